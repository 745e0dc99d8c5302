"""Agency mode: login, roles on every page and API call, CSRF, rate limits, audit."""

from __future__ import annotations

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store.users import add_user

LOCAL = repo.Actor()


@pytest.fixture
def agency(make_web, any_db_url, profile):
    """Two cases, an admin, an operator (case A) and a streamer (case B)."""
    web = make_web(any_db_url, auth=True)
    a = stored.create_case(web.db, dict(profile, name="甲主播"), today=web.today, actor=LOCAL)
    b = stored.create_case(web.db, dict(profile, name="乙主播"), today=web.today, actor=LOCAL)
    add_user(web.db, "boss", "admin", "boss-password")
    add_user(web.db, "op", "operator", "op-tea-kettle", case_ids=[a.id])
    add_user(web.db, "amy", "streamer", "amy-password", case_ids=[b.id])
    web.case_a, web.case_b = a.id, b.id
    return web


def test_everything_needs_login(agency):
    c = agency.client
    r = c.get(f"/cases/{agency.case_a}")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    # who is asking comes first, as on every route: no case, no number out of range, no fold
    # of the case page answers before the login does
    for path in ("/cases/999999", "/cases/99999999999999999999",
                 f"/cases/{agency.case_a}/fold/money", f"/cases/{agency.case_a}/fold/nope"):
        r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next="), path
    assert c.get("/api/cases").status_code == 401
    assert c.get("/cases").status_code == 303
    assert c.get("/login").status_code == 200
    assert c.get("/static/app.css").status_code == 200


def test_login_sets_a_safe_cookie_and_redirects_back(agency):
    r = agency.login("boss", "boss-password")
    assert r.status_code == 303
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("xiabo_session=")][0]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback
    assert agency.client.get("/cases").status_code == 200


def test_cookie_is_secure_behind_https(make_web, sqlite_url):
    web = make_web(sqlite_url, auth=True, https=True)
    add_user(web.db, "boss", "admin", "boss-password")
    r = web.login("boss", "boss-password")
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("xiabo_session=")][0]
    assert "secure" in cookie.lower()


def test_wrong_password_and_rate_limit(agency):
    r = agency.login("boss", "nope")
    assert r.status_code == 401 and "用户名或密码不对" in r.text
    for _ in range(5):
        agency.login("boss", "nope")
    r = agency.login("boss", "boss-password")
    assert r.status_code == 429 and "分钟后再试" in r.text


def test_login_form_needs_csrf(agency):
    r = agency.client.post("/login", data={"name": "boss", "password": "boss-password"})
    assert r.status_code == 403


def test_open_redirect_is_refused(agency):
    token = agency.csrf()
    r = agency.client.post("/login", data={"csrf": token, "name": "boss",
                                           "password": "boss-password",
                                           "next": "https://evil.example/"})
    assert r.headers["location"] == "/"


def test_streamer_sees_only_their_case(agency):
    agency.login("amy", "amy-password")
    c = agency.client
    assert c.get("/").headers["location"] == f"/cases/{agency.case_b}"
    assert c.get(f"/cases/{agency.case_b}").status_code == 200
    assert c.get(f"/cases/{agency.case_a}").status_code == 404
    assert c.get(f"/api/cases/{agency.case_a}").status_code == 404
    assert c.get(f"/api/cases/{agency.case_a}/plan").status_code == 404
    assert c.post(f"/api/cases/{agency.case_a}/tasks/mcn-notice",
                  json={"done": "2026-11-20"}).status_code == 404
    assert [x["id"] for x in c.get("/api/cases").json()["cases"]] == [agency.case_b]
    assert c.get("/cases/new").status_code == 403
    assert c.get("/cases/import").status_code == 403
    assert c.get("/admin/audit").status_code == 403
    assert c.get("/api/dashboard").status_code == 403
    assert c.post("/api/cases", json={"profile": {"name": "x", "platform": "douyin"}}
                  ).status_code == 403
    # they can work on their own case
    token = agency.form_csrf(f"/cases/{agency.case_b}")
    r = c.post(f"/cases/{agency.case_b}/tasks/mcn-notice/done",
               data={"csrf": token, "done": "2026-11-20"})
    assert r.status_code == 303
    assert repo.get_case(agency.db, agency.case_b).tasks_done == 1
    # and not on the other one, even with a valid token
    r = c.post(f"/cases/{agency.case_a}/tasks/mcn-notice/done",
               data={"csrf": token, "done": "2026-11-20"})
    assert r.status_code == 404 and repo.get_case(agency.db, agency.case_a).tasks_done == 0


def test_operator_sees_assigned_cases_and_creates_own(agency, profile):
    agency.login("op", "op-tea-kettle")
    c = agency.client
    html = c.get("/cases").text
    assert "甲主播" in html and "乙主播" not in html
    assert c.get(f"/cases/{agency.case_b}").status_code == 404
    import json

    r = c.post("/api/cases", json={"profile": json.loads(json.dumps(
        dict(profile, name="新主播"), default=str))})
    assert r.status_code == 201
    assert {x["name"] for x in c.get("/api/cases").json()["cases"]} == {"甲主播", "新主播"}
    assert c.get("/admin/audit").status_code == 403


def test_admin_sees_all_and_the_audit_log(agency):
    agency.login("amy", "amy-password")
    token = agency.form_csrf(f"/cases/{agency.case_b}")
    agency.client.post(f"/cases/{agency.case_b}/tasks/mcn-notice/done",
                       data={"csrf": token, "done": "2026-11-20", "note": "<i>寄出</i>"})
    agency.client.post("/logout", data={"csrf": token})
    assert agency.client.get("/cases").status_code == 303  # logged out
    agency.login("boss", "boss-password")
    html = agency.client.get("/cases").text
    assert "甲主播" in html and "乙主播" in html
    audit = agency.client.get("/admin/audit").text
    assert "amy" in audit and "标记完成" in audit and "&lt;i&gt;寄出&lt;/i&gt;" in audit
    assert "<i>寄出</i>" not in audit
    assert "boss" in agency.client.get("/admin/users").text


def test_admin_assigns_operator(agency):
    agency.login("boss", "boss-password")
    token = agency.form_csrf(f"/cases/{agency.case_b}")
    from xiabo.store.users import get_user

    op = get_user(agency.db, "op")
    r = agency.client.post(f"/cases/{agency.case_b}/operator",
                           data={"csrf": token, "operator": str(op.id)})
    assert r.status_code == 303
    assert repo.get_case(agency.db, agency.case_b).operator_id == op.id


def test_session_csrf_is_per_session(agency):
    agency.login("boss", "boss-password")
    token = agency.form_csrf(f"/cases/{agency.case_a}")
    assert token != agency.client.cookies.get("xiabo_csrf")
    r = agency.client.post(f"/cases/{agency.case_a}/baseline",
                           data={"csrf": agency.client.cookies.get("xiabo_csrf")})
    assert r.status_code == 403
    assert agency.client.post(f"/cases/{agency.case_a}/baseline",
                              data={"csrf": token}).status_code == 303
