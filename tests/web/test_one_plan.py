"""One case, one plan: a copy request drafted and marked sent *on the web* shows up everywhere
the case is planned — the case page, the API plan, the dashboard's stored columns and the
calendar — on SQLite and PostgreSQL (issue 19's failing story)."""

from __future__ import annotations

import re
from datetime import date

from tests.helpers import base_profile

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _dashboard_row(web, case_id: int) -> dict:
    rows = web.client.get("/api/cases").json()["cases"]
    return next(r for r in rows if r["id"] == case_id)


def test_a_copy_request_sent_on_the_web_holds_back_deletion_everywhere(make_web, any_db_url,
                                                                        home):
    web = make_web(any_db_url)
    case = stored.create_case(web.db, base_profile(name="网页副本申请"), today=web.today,
                              actor=LOCAL)
    before = web.client.get(f"/api/cases/{case.id}/plan").json()
    assert not [t for t in before["tasks"] if t["id"].startswith("letter-")]
    total_before = _dashboard_row(web, case.id)["tasks_total"]

    page = web.client.get(f"/cases/{case.id}")
    token = _csrf(page.text)
    r = web.client.post(f"/cases/{case.id}/letters", data={"csrf": token, "kind": "pi-copy"})
    assert r.status_code == 303 and r.headers["location"].endswith("/letters/pi-copy-1")
    # a draft is not a request yet: nothing waits on it
    plan = web.client.get(f"/api/cases/{case.id}/plan").json()
    assert not [b for b in plan["blockers"] if b["id"].startswith("letter:")]
    r = web.client.post(f"/cases/{case.id}/letters/pi-copy-1/sent",
                        data={"csrf": token, "via": "app"})
    assert r.status_code == 303

    # the API plan: the letter's task, its blocker, and deletion waits for it
    plan = web.client.get(f"/api/cases/{case.id}/plan").json()
    task = next(t for t in plan["tasks"] if t["id"] == "letter-pi-copy-1")
    assert task["due"] == "2026-12-25" and "个人信息复制申请" in task["title"]  # 11-25 + 30
    blocker = next(b for b in plan["blockers"] if b["id"] == "letter:pi-copy-1")
    assert "副本" in blocker["message"]
    apply = next(t for t in plan["tasks"] if t["id"] == "apply-deletion")
    assert "letter-pi-copy-1" in apply["depends_on"] and apply["start"] > task["due"]

    # the case page shows the same task and blocker
    page = web.client.get(f"/cases/{case.id}").text
    assert 'id="task-letter-pi-copy-1"' in page
    assert blocker["message"] in page

    # the dashboard's stored columns were re-planned with the letter: one more task, and the
    # stored task rows hold it with the same dates as the API's plan
    row = _dashboard_row(web, case.id)
    assert row["tasks_total"] == total_before + 1 == len(plan["tasks"])
    tasks = {t["id"]: t for t in web.client.get(f"/api/cases/{case.id}/tasks").json()}
    assert tasks["letter-pi-copy-1"]["due"] == task["due"]
    from sqlalchemy import select

    from xiabo.store.models import CaseTask

    with web.db.read() as s:
        due = s.scalar(select(CaseTask.due).where(CaseTask.case_id == case.id,
                                                  CaseTask.task_id == "letter-pi-copy-1"))
    assert due == date(2026, 12, 25)
    assert date.fromisoformat(row["next_due"]) <= due

    # the calendar: the letter's deadline is an event with the plan's stable id
    ics = web.client.get(f"/cases/{case.id}/export/ics")
    assert ics.status_code == 200
    body = ics.content.decode("utf-8").replace("\r\n ", "")
    assert "letter-pi-copy-1@xiabo" in body and "个人信息复制申请" in body

    # the answer arrives on the API: the blocker goes everywhere, the task is done that day
    web.today = date(2026, 12, 20)
    r = web.client.post(f"/api/cases/{case.id}/letters/pi-copy-1/reply",
                        json={"on": "2026-12-18"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "answered"
    plan = web.client.get(f"/api/cases/{case.id}/plan").json()
    assert not [b for b in plan["blockers"] if b["id"].startswith("letter:")]
    assert next(t for t in plan["tasks"] if t["id"] == "letter-pi-copy-1")["done"] == \
        "2026-12-18"
    with web.db.read() as s:
        done = s.scalar(select(CaseTask.done).where(CaseTask.case_id == case.id,
                                                    CaseTask.task_id == "letter-pi-copy-1"))
    assert done == date(2026, 12, 18)


def test_letters_on_the_api_speak_like_the_cli(make_web, any_db_url, home):
    web = make_web(any_db_url)
    case = stored.create_case(web.db, base_profile(name="接口信函"), today=web.today, actor=LOCAL)
    r = web.client.post(f"/api/cases/{case.id}/letters", json={"kind": "pi-deletion"})
    assert r.status_code == 201, r.text
    letter = r.json()
    assert letter["id"] == "pi-deletion-1" and letter["state"] == "drafted"
    assert set(letter) == {"id", "kind", "state", "sent_on", "due", "overdue_days", "next",
                           "tracking", "escalated_to"}
    r = web.client.post(f"/api/cases/{case.id}/letters/pi-deletion-1/sent",
                        json={"on": "2026-11-25", "via": "email", "tracking": "MAIL-1"})
    assert r.status_code == 200, r.text
    sent = r.json()
    assert sent["state"] == "sent" and sent["sent_on"] == "2026-11-25" and sent["tracking"] == \
        "MAIL-1" and sent["due"]
    listed = web.client.get(f"/api/cases/{case.id}/letters").json()
    assert listed == [sent]

    # refused in words: a kind that does not exist, a step that cannot happen, a future day
    bad = web.client.post(f"/api/cases/{case.id}/letters", json={"kind": "love-letter"})
    assert bad.status_code == 422 and "love-letter" in bad.json()["message"]
    again = web.client.post(f"/api/cases/{case.id}/letters/pi-deletion-1/close", json={})
    assert again.status_code == 200 and again.json()["state"] == "closed"
    twice = web.client.post(f"/api/cases/{case.id}/letters/pi-deletion-1/followup", json={})
    assert twice.status_code == 422 and twice.json()["message"]
    future = web.client.post(f"/api/cases/{case.id}/letters/pi-deletion-1/reply",
                             json={"on": "2027-01-01"})
    assert future.status_code == 422
    missing = web.client.post(f"/api/cases/{case.id}/letters/pi-copy-9/sent", json={})
    assert missing.status_code == 422 and "pi-copy-9" in missing.json()["message"]


def test_letters_on_the_api_are_private(make_web, sqlite_url, home, cheap_argon2):
    from xiabo.store import users

    web = make_web(sqlite_url, auth=True)
    alice = users.add_user(web.db, "alice", "operator", "correct horse battery")
    users.add_user(web.db, "bob", "operator", "correct horse staple")
    case = stored.create_case(web.db, base_profile(name="甲"), today=web.today,
                              actor=repo.Actor(alice.id, "alice", "operator"),
                              operator_id=alice.id)
    assert web.login("bob", "correct horse staple").status_code == 303
    assert web.client.get(f"/api/cases/{case.id}/letters").status_code == 404
    r = web.client.post(f"/api/cases/{case.id}/letters", json={"kind": "pi-copy"})
    assert r.status_code == 404
