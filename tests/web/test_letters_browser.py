"""Letters in a real browser (Playwright + the system's Chromium): draft, mark sent with a
tracking number from the case page in one tap, see the clock."""

from __future__ import annotations

from datetime import date

import pytest
from tests.helpers import base_profile

from xiabo.cases import stored
from xiabo.store import cases as repo

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 25)


@pytest.fixture
def page(phone_page):
    return phone_page


def test_draft_and_mark_sent_on_a_phone(page, sqlite_url, live_server, artifacts, tmp_path,
                                        monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: TODAY))
    db = Database(sqlite_url)
    case = stored.create_case(db, base_profile(name="浏览器信函"), today=TODAY, actor=repo.Actor())
    db.dispose()
    server = live_server(app)
    page.goto(f"{server.url}/cases/{case.id}/letters/new")
    page.click('form:has(input[value="pi-copy"]) button[type="submit"]')
    page.wait_for_url("**/letters/pi-copy-1")
    assert "【待填写：平台账号 ID】" in page.inner_text("main")
    page.goto(f"{server.url}/cases/{case.id}?show=documents#letters")
    section = page.locator("#letters")
    section.locator('input[name="tracking"]').fill("EMS2233445566")
    section.locator('button[type="submit"]').first.click()
    page.wait_for_url("**/letters/pi-copy-1?msg=sent")
    text = page.inner_text("main")
    assert "EMS2233445566" in text and "2026-12-25" in text and "已寄出" in text
    page.screenshot(path=str(artifacts / "letters-sent.png"), full_page=True)
