"""The privacy page in a real browser at 390 px: upload a small workbook, land on the job's
page (queued, refreshing itself), the job runs, the job's page says what was found and links
to the report, which shows the columns, masked samples and the download."""

from __future__ import annotations

from datetime import date

import pytest
from tests.helpers import base_profile, make_xlsx
from tests.privacy.ids import ID, MOBILE

from xiabo.cases import stored
from xiabo.store import cases as repo

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 25)


@pytest.fixture
def page(phone_page):
    return phone_page


def _fits(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"scrolls sideways: {width} > {inner}"


def test_a_privacy_scan_as_a_job_on_a_phone(page, sqlite_url, live_server, artifacts, tmp_path,
                                            monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    from xiabo.jobs import Worker
    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: TODAY))
    db = Database(sqlite_url)
    case = stored.create_case(db, base_profile(name="隐私检查"), today=TODAY, actor=repo.Actor())
    fans = make_xlsx(tmp_path / "粉丝名单.xlsx", {"粉丝": [
        ["昵称", "手机", "身份证", "备注"], ["小明", MOBILE, ID, "老粉"],
        ["小红", "13900001111", "", "无"], ["小刚", "", "", "没有联系方式"]]})
    server = live_server(app)
    page.goto(f"{server.url}/cases/{case.id}/privacy")
    page.set_input_files("input[name=file]", str(fans))
    page.click("form[action$='/privacy'] button[type=submit]")
    page.wait_for_url(f"**/cases/{case.id}/jobs/*")
    text = page.inner_text("main")
    assert "排队中" in text and "正在排队检查" in text
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    _fits(page)
    page.screenshot(path=str(artifacts / "privacy-job-queued.png"), full_page=True)

    assert Worker(db).run_once()  # what the worker beside ``xiabo serve`` does
    db.dispose()
    page.reload()
    text = page.inner_text("main")
    assert "已完成" in text and "共 4 行，发现 3 处个人信息" in text, text
    assert "手机号 2 处" in text and "没有剩下能识别的个人信息" in text
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    _fits(page)
    page.screenshot(path=str(artifacts / "privacy-job-done.png"), full_page=True)

    page.click("text=查看结果")
    page.wait_for_url(f"**/cases/{case.id}/privacy?job=*")
    text = page.inner_text("main")
    assert "“粉丝名单.xlsx”共 4 行，发现 3 处个人信息" in text
    assert "B 列「手机」" in text and "C 列「身份证」" in text
    assert MOBILE not in page.content() and ID not in page.content()
    assert page.locator("a[href$='/privacy/cleaned']").count() == 1
    _fits(page)
    page.screenshot(path=str(artifacts / "privacy-job-report.png"), full_page=True)


def test_a_failed_privacy_scan_says_why_on_a_phone(page, sqlite_url, live_server, artifacts,
                                                   tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    from tests.hostile.builders import wide_row_xlsx

    from xiabo.jobs import Worker
    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: TODAY))
    db = Database(sqlite_url)
    case = stored.create_case(db, base_profile(name="宽表"), today=TODAY, actor=repo.Actor())
    wide = wide_row_xlsx(tmp_path / "很宽的粉丝表.xlsx", 20_000, refs=True, header=["昵称", "手机"])
    server = live_server(app)
    page.goto(f"{server.url}/cases/{case.id}/privacy")
    page.set_input_files("input[name=file]", str(wide))
    page.click("form[action$='/privacy'] button[type=submit]")
    page.wait_for_url(f"**/cases/{case.id}/jobs/*")
    assert Worker(db).run_once()
    db.dispose()
    page.reload()
    text = page.inner_text("main")
    assert "失败" in text and "很宽的粉丝表.xlsx" in text and "16384" in text, text
    assert str(tmp_path) not in page.content()
    _fits(page)
    page.screenshot(path=str(artifacts / "privacy-job-failed.png"), full_page=True)
    page.click("text=回到页面，看看怎么改")
    page.wait_for_url(f"**/cases/{case.id}/privacy?job=*")
    assert "16384" in page.inner_text("main")
    _fits(page)
    page.screenshot(path=str(artifacts / "privacy-job-failed-page.png"), full_page=True)
