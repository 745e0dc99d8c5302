"""Browser tests: Playwright (sync API) driving the system's Chromium against a live server.

Screenshots go to test-artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

from datetime import date

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 25)


def _app(url, auth=False, today=lambda: TODAY):
    from xiabo.web import WebConfig, create_app

    return create_app(WebConfig(database_url=url, auth=auth, today=today))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def _bar_x(page, task_id: str) -> float:
    return float(page.get_attribute(f'g[data-task="{task_id}"] rect.bar', "x"))


def test_wizard_tick_timeline_and_language(page, sqlite_url, live_server, artifacts):
    clock = {"today": TODAY}  # the days pass: a task is marked done on the day it was done
    server = live_server(_app(sqlite_url, today=lambda: clock["today"]))
    page.goto(server.url + "/")
    assert page.url.endswith("/cases/new")
    page.fill('input[name="name"]', "浏览器主播")
    page.select_option('select[name="platform"]', "kuaishou")
    page.fill('input[name="start"]', "2026-12-01")
    page.click("#wizard-next")  # the wizard goes step by step (第 n / N 步)
    while page.locator('input[name="contract.signed"]').count() == 0:
        page.click("#wizard-next")
    agency = page.locator("#q-contract-agency")
    assert agency.is_hidden()  # shown only once a contract is signed
    page.check('input[name="contract.signed"][value="true"]')
    assert agency.is_visible()
    page.fill('input[name="contract.agency"]', "星光文化传媒")
    page.click("#wizard-next")
    page.fill('input[name="equipment.0.name"]', "iPhone 15")
    page.click("#add-device")
    assert page.locator(".device-row").count() >= 2
    page.screenshot(path=str(artifacts / "wizard.png"), full_page=True)
    page.click("#wizard-submit")
    page.wait_for_url("**/cases/*")
    assert "个案已建立" in page.inner_text(".flash")
    assert page.locator("#blockers li").count() >= 1
    # the timeline is sent when opened: its tab fetches it into the page, which stays put
    assert page.locator("#timeline svg").count() == 0
    page.click('a[data-open="timeline"]')
    page.wait_for_selector("#timeline svg")
    assert "show=" not in page.url and page.locator("#timeline[data-lazy]").count() == 0
    before = _bar_x(page, "mcn-termination")
    page.screenshot(path=str(artifacts / "case-before.png"), full_page=True)

    # tick the notice task, late (on 2026-12-10, the day it was sent; a later day than today
    # is refused): the contract end moves right on the timeline. The folded task is a link:
    # the server sends it opened, with its form.
    clock["today"] = date(2026, 12, 10)
    page.click("#task-mcn-notice")
    page.wait_for_url("**task=mcn-notice**")
    form = page.locator("#task-mcn-notice form.done-form")
    form.locator('input[name="done"]').fill("2026-12-10")
    form.locator('input[name="note"]').fill("EMS 回执 <b>1</b>")
    form.locator('button[type="submit"]').click()
    page.wait_for_selector(".flash")
    assert "完成，后面的日期已重新排期" in page.inner_text(".flash")
    assert page.locator("#task-mcn-notice .badge.done").count() == 1
    page.click("#history summary")  # tapping a folded section open fetches it in place
    row = page.locator('#replan tr[data-task="mcn-termination"]')
    row.wait_for()
    assert "+11 天" in row.text_content()
    page.click("#timeline summary")
    page.wait_for_selector("#timeline svg")
    after = _bar_x(page, "mcn-termination")
    assert after > before
    assert page.locator('g[data-task="mcn-termination"] rect.baseline').count() == 1
    page.screenshot(path=str(artifacts / "case-after.png"), full_page=True)

    # switch language
    page.click("#lang-switch")
    page.wait_for_selector("#timeline h2")
    assert page.inner_text("#timeline h2") == "Timeline"
    assert page.get_attribute("html", "lang") == "en"
    page.screenshot(path=str(artifacts / "case-en.png"), full_page=True)
    page.goto(server.url + "/cases")
    assert "Cases overview" in page.inner_text("h1")
    page.screenshot(path=str(artifacts / "dashboard-en.png"), full_page=True)


def test_streamer_cannot_open_another_case(page, sqlite_url, live_server, artifacts, profile):
    from xiabo.store.db import Database
    from xiabo.store.users import add_user

    db = Database(sqlite_url)
    mine = stored.create_case(db, dict(profile, name="我的个案"), today=TODAY, actor=repo.Actor())
    other = stored.create_case(db, dict(profile, name="别人的个案"), today=TODAY, actor=repo.Actor())
    add_user(db, "amy", "streamer", "amy-password", case_ids=[mine.id])
    db.dispose()
    server = live_server(_app(sqlite_url, auth=True))
    page.goto(server.url + f"/cases/{other.id}")
    assert "/login" in page.url
    page.fill('input[name="name"]', "amy")
    page.fill('input[name="password"]', "wrong-password")
    page.click('button[type="submit"]')
    assert "用户名或密码不对" in page.inner_text(".error")
    page.fill('input[name="name"]', "amy")
    page.fill('input[name="password"]', "amy-password")
    page.click('button[type="submit"]')
    page.wait_for_load_state()
    # the login sent her back to the page she asked for, which is not hers
    assert "找不到个案" in page.inner_text("main")
    assert "别人的个案" not in page.content()
    page.screenshot(path=str(artifacts / "streamer-denied.png"), full_page=True)
    page.goto(server.url + "/")
    assert page.url.endswith(f"/cases/{mine.id}")
    assert "我的个案" in page.inner_text("h1")
    response = page.request.get(server.url + f"/api/cases/{other.id}/plan")
    assert response.status == 404
    page.screenshot(path=str(artifacts / "streamer-own.png"), full_page=True)
