"""The guild exit on the web: the wizard asks what the platform's procedure needs (in the
platform's words), and the case page shows the guild tasks; a phone screenshot of the step."""

from __future__ import annotations

import json
import re

import pytest
from tests.web.test_pages import WIZARD

from xiabo.store import cases as repo

HUYA = dict(WIZARD, platform="huya", **{"contract.signed": "false", "guild.bound": "true",
                                       "guild.name": "虎虎公会", "guild.level": "platinum",
                                       "guild.level_lost": "true"})


def _fieldset(html: str, qid: str) -> str:
    block = html[html.index(f'id="q-{qid.replace(".", "-")}"'):]
    return block[:block.index("</fieldset>")]


def test_wizard_asks_the_guild_questions_where_the_procedure_needs_them(web):
    html = web.client.get("/cases/new?step=contract").text
    level = _fieldset(html, "guild.level")
    assert "白金公会" in level and "其他公会" in level  # 虎牙's own words
    owner = _fieldset(html, "guild.channel_owner")
    assert "OW" in owner  # YY's word for the channel owner
    def platforms(qid: str) -> list[str]:
        found = re.search(rf'id="q-{qid}"[^>]*data-platforms="([^"]*)"', html)
        return found.group(1).split(",")

    assert platforms("guild-level") == ["huya"]
    assert platforms("guild-channel_owner") == ["yy"]
    assert "douyu" in platforms("guild-joined_on") and "huya" not in platforms("guild-joined_on")
    assert platforms("guild-exit_started_on") == ["douyin"]


def test_wizard_makes_a_guild_case_and_its_page_shows_the_guild_tasks(web):
    r = web.client.post("/cases/new", data=dict(HUYA, csrf=web.csrf()))
    assert r.status_code == 303, r.text[:2000]
    case_id = int(re.fullmatch(r"/cases/(\d+)\?msg=created", r.headers["location"]).group(1))
    kept = json.loads(repo.get_case(web.db, case_id).profile_json)
    assert kept["guild"] == {"bound": True, "name": "虎虎公会", "level": "platinum",
                             "level_lost": True}
    html = web.client.get(f"/cases/{case_id}").text
    assert "虎虎公会已失去「白金公会」资格" in html
    assert "还没有退出虎虎公会：账号注销要等退会完成。" in html  # the blocker
    task = web.client.get(f"/cases/{case_id}?task=guild-exit-apply").text
    task = task[task.index('id="task-guild-exit-apply"'):]
    assert "不付违约金、不损失经验" in task
    api = web.client.get(f"/api/cases/{case_id}/plan").json()
    ids = {t["id"] for t in api["tasks"]}
    assert {"guild-check", "guild-exit-apply", "guild-exit-done"} <= ids


@pytest.mark.browser
def test_wizard_guild_step_on_a_phone(web, browser, live_server, artifacts):
    srv = live_server(web.app)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(srv.url + "/cases/new?lang=zh")
    page.fill('input[name="name"]', "小虎")
    page.select_option('select[name="platform"]', "huya")
    page.fill('input[name="followers"]', "5000")
    for _ in range(5):  # next until the step with the guild questions
        page.click("#wizard-next")
        page.wait_for_url("**step=*")
        if page.locator("#q-guild-bound").count():
            break
    page.locator('#q-guild-bound input[value="true"]').check()
    level = page.locator("#q-guild-level")
    assert level.is_visible() and "白金公会" in level.inner_text()
    assert not page.locator("#q-guild-joined_on").is_visible()  # 虎牙: no tenure rule
    assert not page.locator("#q-guild-channel_owner").is_visible()  # that is YY's
    level.locator('input[value="platinum"], option[value="platinum"]').first.check() \
        if level.locator('input[value="platinum"]').count() else \
        page.select_option('[name="guild.level"]', "platinum")
    assert page.locator("#q-guild-level_lost").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#q-guild-bound").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "wizard-guild-390.png"), full_page=True)
    from xiabo.cases import stored

    case = stored.create_case(web.db, {"name": "小鱼", "platform": "douyin", "start": "2026-11-25",
                                       "guild": {"bound": True, "name": "星光公会",
                                                 "exit_started_on": "2026-11-25"}},
                              today=web.today, actor=repo.Actor())
    page.goto(srv.url + f"/cases/{case.id}?task=guild-answer#task-guild-answer")
    assert "星光公会须在 7 天内答复退会申请" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "case-guild-390.png"), full_page=False)
    page.close()


def test_editing_a_case_keeps_how_far_the_guild_exit_got(web):
    from xiabo.cases import stored

    profile = {"name": "小鱼", "platform": "douyin", "start": "2026-11-10",
               "guild": {"bound": True, "name": "星光公会", "exit_started_on": "2026-11-15",
                         "guild_answer": "refused", "guild_answer_on": "2026-11-20"}}
    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    edited = {"name": "小鱼", "platform": "douyin", "start": "2026-11-10",
              "guild": {"bound": True, "name": "星光公会（改名）"}}
    stored.update_profile(web.db, case.id, edited, today=web.today, actor=repo.Actor())
    kept = json.loads(repo.get_case(web.db, case.id).profile_json)["guild"]
    assert kept == {"bound": True, "name": "星光公会（改名）", "exit_started_on": "2026-11-15",
                    "guild_answer": "refused", "guild_answer_on": "2026-11-20"}
    html = web.client.get(f"/cases/{case.id}/edit?step=contract").text
    assert 'value="星光公会（改名）"' in html


def test_the_guilds_answer_and_the_review_are_recorded_on_the_edit_page(web):
    """No YAML: the edit page asks for the guild's answer once the exit was started, and the
    review's result once the guild refused; the plan then dates the review and the appeal."""
    from xiabo.cases import stored

    profile = {"name": "小鱼", "platform": "douyin", "start": "2026-11-10",
               "guild": {"bound": True, "name": "星光公会", "exit_started_on": "2026-11-15"}}
    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    html = web.client.get(f"/cases/{case.id}/edit?step=contract").text
    answer = _fieldset(html, "guild.guild_answer")
    assert "公会答复你的退会申请了吗？" in answer and "拒绝了" in answer
    assert 'data-when="guild.guild_answer == refused"' in _fieldset(html, "guild.review_result")
    data = dict(WIZARD, csrf=web.csrf(), platform="douyin", **{
        "contract.signed": "false", "guild.bound": "true", "guild.name": "星光公会",
        "guild.exit_started_on": "2026-11-15", "guild.guild_answer": "refused",
        "guild.guild_answer_on": "2026-11-22", "guild.review_result": "rejected",
        "guild.review_result_on": "2026-11-24"})
    r = web.client.post(f"/cases/{case.id}/edit", data=data)
    assert r.status_code == 303, r.text[:3000]
    kept = json.loads(repo.get_case(web.db, case.id).profile_json)["guild"]
    assert kept["guild_answer"] == "refused" and kept["review_result"] == "rejected"
    assert kept["review_result_on"] == "2026-11-24"
    ids = {t["id"] for t in web.client.get(f"/api/cases/{case.id}/plan").json()["tasks"]}
    assert {"guild-review", "guild-appeal"} <= ids


@pytest.mark.browser
def test_the_answer_questions_open_as_the_exit_goes_on(web, browser, live_server):
    """The page's script reads `!=` in a question's condition: the guild's answer shows once
    the exit was started, the review's result once the guild refused."""
    from xiabo.cases import stored

    case = stored.create_case(web.db, {"name": "小鱼", "platform": "douyin", "start": "2026-11-10",
                                       "guild": {"bound": True, "name": "星光公会"}},
                              today=web.today, actor=repo.Actor())
    srv = live_server(web.app)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(srv.url + f"/cases/{case.id}/edit?step=contract&lang=zh")
    answer, result = page.locator("#q-guild-guild_answer"), page.locator("#q-guild-review_result")
    assert not answer.is_visible() and not result.is_visible()
    page.fill('input[name="guild.exit_started_on"]', "2026-11-15")
    page.locator('input[name="guild.exit_started_on"]').dispatch_event("change")
    assert answer.is_visible() and not result.is_visible()
    field = answer.locator('[name="guild.guild_answer"]')
    if field.first.get_attribute("type") == "radio":
        answer.locator('input[value="refused"]').check()
    else:
        page.select_option('[name="guild.guild_answer"]', "refused")
    assert result.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
