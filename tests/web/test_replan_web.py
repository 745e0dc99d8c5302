"""The web and the API live in time: statuses, mark-done facts, future dates refused, next item."""

from __future__ import annotations

import re
from datetime import date

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store.cases import Actor

LOCAL = Actor()


def _create(web, profile, **over):
    return stored.create_case(web.db, dict(profile, **over), today=web.today, actor=LOCAL)


def test_a_future_done_date_is_a_form_error(web, profile):
    case = _create(web, profile)
    token = web.form_csrf(f"/cases/{case.id}")
    html = web.client.get(f"/cases/{case.id}?task=mcn-notice").text  # the task opened
    assert f'max="{web.today.isoformat()}"' in html  # the browser offers no later day
    r = web.client.post(f"/cases/{case.id}/tasks/mcn-notice/done",
                        data={"csrf": token, "done": "2026-12-06"})
    assert r.status_code == 422
    assert "2026-12-06" in r.text and "还没发生的事不能记为完成" in r.text
    assert repo.get_case(web.db, case.id).tasks_done == 0


def test_api_refuses_a_future_date_in_the_error_shape(make_web, sqlite_url, profile):
    import json

    site = make_web(sqlite_url)
    body = json.loads(json.dumps(profile, default=str))
    cid = site.client.post("/api/cases", json={"profile": body}).json()["id"]
    r = site.client.post(f"/api/cases/{cid}/tasks/mcn-notice", json={"done": "2026-12-06"})
    assert r.status_code == 422
    err = r.json()
    assert err["error"] == "replan.done_in_future" and err["field"] == "done"
    assert "2026-12-06" in err["message"] and err["fix"]
    r = site.client.patch(f"/api/cases/{cid}/dates", json={"notice_sent_on": "2026-12-06"})
    assert r.status_code == 422 and r.json()["field"] == "notice_sent_on"
    # marked on the day: the fact is recorded and the changes say why in one line
    site.today = date(2026, 12, 10)
    r = site.client.post(f"/api/cases/{cid}/tasks/mcn-notice", json={"done": "2026-12-10"})
    assert r.status_code == 200 and r.json()["status"] == "done"
    detail = site.client.get(f"/api/cases/{cid}").json()
    assert detail["profile"]["contract"]["notice_sent_on"] == "2026-12-10"
    changes = site.client.get(f"/api/cases/{cid}/changes").json()
    assert "项还没办完、已晚于原计划" in changes["summary"]
    assert "1 项比计划晚完成" in changes["summary"]
    tasks = {t["id"]: t for t in site.client.get(f"/api/cases/{cid}/tasks").json()}
    late = [t for t in tasks.values() if t["status"] == "behind"]
    assert late and all(t["behind_days"] > 0 and t["due"] >= "2026-12-10" for t in late)
    assert not any(t["status"] == "overdue" for t in tasks.values())  # no real deadline passed


def test_case_page_shows_late_tasks_with_their_days(web, profile):
    web.today = date(2026, 12, 20)
    case = _create(web, profile, start="2026-12-01")
    html = web.client.get(f"/cases/{case.id}").text
    badges = re.findall(r'class="badge behind"[^>]*>比原计划晚 (\d+) 天<', html)
    assert badges and max(int(n) for n in badges) == 19
    assert "逾期" not in html.split('id="now"')[1].split("</section>")[0]  # no deadline passed


def test_dashboard_next_item_is_the_most_overdue(web, profile):
    late = _create(web, profile, name="落后的主播", start="2026-10-01")
    _create(web, profile, name="按时的主播")
    html = web.client.get("/cases").text
    row = html[html.index("落后的主播"):]
    row = row[:row.index("</tr>")]
    behind = [t for t in stored.changes(repo.get_case(web.db, late.id), web.db, web.today)[0].tasks
              if t.behind_days]
    most = max(t.behind_days for t in behind)
    assert any(t.title in row for t in behind if t.behind_days == most)
    assert f"比原计划晚 {most} 天" in row
    other = html[html.index("按时的主播"):]
    assert "晚" not in other[:other.index("</tr>")]
