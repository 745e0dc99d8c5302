"""The JSON API on SQLite and on PostgreSQL."""

from __future__ import annotations

import jsonschema
import pytest


@pytest.fixture
def site(make_web, any_db_url):
    return make_web(any_db_url)


@pytest.fixture
def api(site):
    return site.client


@pytest.fixture
def profile(profile):
    """The example profile as JSON would carry it (dates as text)."""
    import json

    return json.loads(json.dumps(profile, default=str))


def test_create_list_get_plan(api, profile):
    r = api.post("/api/cases", json={"profile": profile})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["name"] == "小美的直播间" and case["tasks_total"] > 20 and case["version"] == 1
    listing = api.get("/api/cases").json()
    assert listing["total"] == 1 and listing["cases"][0]["id"] == case["id"]
    assert api.get(f"/api/cases/{case['id']}").json()["profile"]["platform"] == "kuaishou"
    plan = api.get(f"/api/cases/{case['id']}/plan?lang=en&today=2026-11-25").json()
    assert plan["schema"] == "xiabo.plan/1" and plan["lang"] == "en"
    # same document as the CLI's planner for the same profile and day
    from datetime import date

    from xiabo.cases import CaseRef, plan_case
    from xiabo.roadmap.profile import profile_from_dict
    from xiabo.rules import load_rulebook

    cli_plan = plan_case(profile_from_dict(profile), CaseRef.for_file(None, case["key"]),
                         today=date(2026, 11, 25), lang="en", book=load_rulebook()).to_dict()
    assert plan == cli_plan


def test_plan_validates_against_the_published_schema(api, profile):
    import json
    from pathlib import Path

    schema_file = Path(__file__).resolve().parents[2] / "docs" / "plan-schema.json"
    if not schema_file.exists():
        pytest.skip("docs/plan-schema.json not present")
    case = api.post("/api/cases", json={"profile": profile}).json()
    plan = api.get(f"/api/cases/{case['id']}/plan").json()
    jsonschema.validate(plan, json.loads(schema_file.read_text(encoding="utf-8")))


def test_mark_task_replans_and_reports_changes(site, api, profile):
    from datetime import date

    cid = api.post("/api/cases", json={"profile": profile}).json()["id"]
    site.today = date(2026, 12, 10)  # the notice went out on the 10th: mark it that day
    r = api.post(f"/api/cases/{cid}/tasks/mcn-notice", json={"done": "2026-12-10", "note": "寄出"})
    assert r.status_code == 200 and r.json()["status"] == "done" and r.json()["note"] == "寄出"
    changes = api.get(f"/api/cases/{cid}/changes").json()["changes"]
    moved = {c["task"]: c["due_days"] for c in changes if c["kind"] == "moved"}
    assert moved["mcn-termination"] == 11
    tasks = {t["id"]: t for t in api.get(f"/api/cases/{cid}/tasks").json()}
    assert tasks["mcn-termination"]["due"] == "2027-01-11"
    assert api.post(f"/api/cases/{cid}/baseline").json()["changes"] == []
    r = api.post(f"/api/cases/{cid}/tasks/mcn-notice", json={"done": None})
    # its planned end has passed: behind plan (the plan's own date), not overdue
    assert r.json()["status"] == "behind" and r.json()["behind_days"] == 9
    assert r.json()["overdue_days"] == 0


def test_dates_patch(site, api, profile):
    from datetime import date

    cid = api.post("/api/cases", json={"profile": profile}).json()["id"]
    r = api.patch(f"/api/cases/{cid}/dates", json={"start": "2026-12-03"})
    assert r.status_code == 200
    assert any(c["start_days"] == 2 for c in r.json()["changes"])
    site.today = date(2026, 12, 4)
    r = api.patch(f"/api/cases/{cid}/dates", json={"notice_sent_on": "2026-12-04"})
    assert api.get(f"/api/cases/{cid}").json()["profile"]["contract"]["notice_sent_on"] == \
        "2026-12-04"
    api.patch(f"/api/cases/{cid}/dates", json={"clear_notice_sent_on": True})
    assert "notice_sent_on" not in api.get(f"/api/cases/{cid}").json()["profile"]["contract"]


def test_errors_name_field_and_fix(api, profile):
    bad = dict(profile, followers=-1)
    r = api.post("/api/cases", json={"profile": bad})
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "profile.invalid" and body["field"] == "followers" and body["fix"]
    r = api.post("/api/cases", json={"profile": dict(profile, platform="nope")})
    assert r.status_code == 422 and r.json()["field"] == "platform"
    assert api.get("/api/cases/12345").status_code == 404
    cid = api.post("/api/cases", json={"profile": profile}).json()["id"]
    assert api.post(f"/api/cases/{cid}/tasks/nope", json={"done": None}).status_code == 404
    assert api.post("/api/cases", content=b"{", headers={"content-type": "application/json"}
                    ).status_code == 422


def test_put_profile_keeps_progress(site, api, profile):
    from datetime import date

    cid = api.post("/api/cases", json={"profile": profile}).json()["id"]
    site.today = date(2026, 12, 1)
    api.post(f"/api/cases/{cid}/tasks/evidence-setup", json={"done": "2026-12-01"})
    r = api.put(f"/api/cases/{cid}/profile", json={"profile": dict(profile, followers=5)})
    assert r.status_code == 200
    body = r.json()
    assert body["profile"]["followers"] == 5 and "evidence-setup" in body["profile"]["progress"]
    assert body["version"] == 3


def test_dashboard_and_rules(api, profile):
    for name in ("a", "b"):
        api.post("/api/cases", json={"profile": dict(profile, name=name)})
    dash = api.get("/api/dashboard").json()
    assert dash["total"] == 2 and dash["upcoming_milestones"]
    rules = api.get("/api/rules?platform=douyin&lang=en").json()
    ids = {r["id"] for r in rules}
    assert "common.law.consumer_return_days" in ids and not any(i.startswith("kuaishou.")
                                                                 for i in ids)
    assert all({"source", "reference", "verified"} <= set(r) for r in rules)


def test_openapi_documents_the_api(api):
    spec = api.get("/api/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/cases", "/api/cases/{case_id}/plan", "/api/cases/{case_id}/tasks/{task_id}",
            "/api/cases/{case_id}/changes", "/api/dashboard", "/api/rules"} <= set(paths)
    assert not any(p.startswith("/cases") for p in paths)  # pages are not API


def test_cross_site_writes_are_refused(api, profile):
    cid = api.post("/api/cases", json={"profile": profile}).json()["id"]
    r = api.post(f"/api/cases/{cid}/baseline", headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and r.json()["error"] == "web.errors.cross_site"
    r = api.post(f"/api/cases/{cid}/baseline", headers={"Origin": "http://testserver"})
    assert r.status_code == 200
    assert api.get(f"/api/cases/{cid}", headers={"Origin": "http://evil.example"}
                   ).status_code == 200  # reads are harmless (and not readable cross-site)
