"""Bulk jobs in a real browser on a phone (390 px): a list of streamers uploaded, its job page
refreshing itself until the report shows; then the kits of the ticked cases as one zip."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.browser


def _axe_clean(page) -> None:
    """No serious or critical axe finding on the page (when axe-core is installed)."""
    from tests.web.test_phone import AXE, AXE_RUN

    if AXE.is_file():  # evaluated by the test, not a page script: the page's CSP stays on
        page.evaluate("source => { (0, eval)(source); }", AXE.read_text(encoding="utf-8"))
        assert page.evaluate("typeof axe") == "object"
        assert page.evaluate(AXE_RUN) == []
TODAY = date(2026, 11, 25)

CSV = ("name,platform,followers\n手机导入甲,kuaishou,1000\n手机导入乙,douyin,abc\n"
       "手机导入丙,douyin,20\n")


def test_import_and_kits_as_jobs_on_a_phone(phone_page, sqlite_url, live_server, artifacts, tmp_path,
                                            monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    page = phone_page
    page.set_default_timeout(20000)
    from xiabo.jobs.inprocess import start_threads
    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: TODAY))
    server = live_server(app)
    stop, threads = start_threads(sqlite_url)  # the worker ``xiabo serve`` runs beside it
    try:
        upload = tmp_path / "主播名单.csv"
        upload.write_text(CSV, encoding="utf-8")
        page.goto(f"{server.url}/cases/import")
        page.set_input_files('input[type="file"]', str(upload))
        page.click('button[type="submit"].primary')
        page.wait_for_url("**/jobs/*")
        page.wait_for_selector("#report", timeout=30000)  # the page refreshed itself
        text = page.inner_text("main")
        assert "导入完成：新建个案 2 个，失败 1 行" in text
        assert "手机导入甲" in text and "粉丝" in text  # the refused row's field, in words
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width} px)"
        page.screenshot(path=str(artifacts / "bulk-import-job-390.png"), full_page=True)
        _axe_clean(page)

        page.goto(f"{server.url}/cases")
        boxes = page.locator('input[type="checkbox"][form="bulk-kits"]')
        assert boxes.count() == 2
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.screenshot(path=str(artifacts / "bulk-kits-dashboard-390.png"), full_page=True)
        _axe_clean(page)
        page.click('form#bulk-kits button[type="submit"]')
        page.wait_for_url("**/jobs/*")
        page.wait_for_selector('a[href$="/kits.zip"]', timeout=30000)
        text = page.inner_text("main")
        assert "包含个案 2 个（共选了 2 个）" in text and "保留到" in text
        page.screenshot(path=str(artifacts / "bulk-kits-job-390.png"), full_page=True)
        _axe_clean(page)
        with page.expect_download() as got:
            page.click('a[href$="/kits.zip"]')
        assert got.value.suggested_filename.endswith(".zip")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
