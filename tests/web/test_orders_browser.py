"""The orders page on a phone (390 px), days after the kept export was checked: the closing
day for today from the check's report, the day its counts are from, and the button that
checks the export again as a job; then the counts of the new day."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import pytest
from tests.helpers import base_profile
from tests.orders.exports import order_csv

from xiabo.cases import stored
from xiabo.store import cases as repo

pytestmark = pytest.mark.browser
CHECKED = date(2026, 11, 25)
LATER = CHECKED + timedelta(days=3)


def test_a_later_day_on_a_phone(phone_page, sqlite_url, live_server, artifacts, tmp_path,
                                monkeypatch):
    from tests.web.test_bulk_browser import _axe_clean

    from xiabo.jobs import Worker, enqueue_job
    from xiabo.orders import check
    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    page = phone_page
    db = Database(sqlite_url)
    profile = base_profile(name="小店主播")
    profile["shop"] = {"open_orders": 3}
    case = stored.create_case(db, profile, today=CHECKED, actor=repo.Actor())
    d = lambda n: (CHECKED - timedelta(days=n)).isoformat()  # noqa: E731
    path = order_csv(tmp_path / "订单.csv", [
        ["A001", "待发货", d(3), "", "", "", "99.00"],
        ["A002", "已签收", d(10), d(8), d(2), "", "59.90"],
        ["A005", "已完成", d(60), d(58), d(50), "", "35.00"]])
    enqueue_job(db, "orders-check", case.id, {
        "case_key": case.folder, "name": "订单.csv", "stored": "订单.csv", "keep": True,
        "mapping": None, "today": CHECKED.isoformat(), "actor": asdict(repo.Actor())},
        files={"订单.csv": path.read_bytes()})
    assert Worker(db).run_once()

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: LATER))
    server = live_server(app)
    page.goto(f"{server.url}/cases/{case.id}/orders")
    text = page.inner_text("main")
    expected = check(path, LATER)
    assert f"最早 {expected.earliest_close.isoformat()} 可以关店" in text, text
    assert f"按 {CHECKED.isoformat()} 计算" in text and "按今天重新检查" in text
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    _axe_clean(page)
    page.screenshot(path=str(artifacts / "orders-later-day.png"), full_page=True)

    page.click("form[action$='/orders/recheck'] button")
    page.wait_for_url(f"**/cases/{case.id}/jobs/*")
    assert Worker(db).run_once()
    db.dispose()
    page.reload()
    page.click(f"a[href^='/cases/{case.id}/orders?job=']")
    text = page.inner_text("main")
    assert f"按 {LATER.isoformat()} 计算" in text and "按今天重新检查" not in text
    assert f"最早 {expected.earliest_close.isoformat()} 可以关店" in text
    page.screenshot(path=str(artifacts / "orders-checked-again.png"), full_page=True)
