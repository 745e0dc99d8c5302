"""Findings 6 and 12: never a bare 500; 422 in the documented shape; 503 for operational ones."""

from __future__ import annotations

import errno
import json

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store.users import add_user

SHAPE = {"error", "message", "field", "fix"}


@pytest.fixture
def profile(profile) -> dict:
    """The example profile as JSON would carry it (dates as text)."""
    return json.loads(json.dumps(profile, default=str))


def _problem(r, status: int) -> dict:
    assert r.status_code == status, r.text[:500]
    body = json.loads(r.content.decode("utf-8"))  # always valid UTF-8 JSON
    assert set(body) == SHAPE, body
    assert body["message"] and "detail" not in body
    return body


def test_body_validation_answers_the_documented_shape(web):
    body = _problem(web.client.post("/api/cases", json={"profile": 5}), 422)
    assert body["field"] == "profile" and body["fix"]
    body = _problem(web.client.post("/api/cases", json={"profile": {}, "x": 1}), 422)
    assert body["field"] == "x"
    body = _problem(web.client.post("/api/cases", json={}), 422)
    assert body["field"] == "profile"


def test_a_body_that_is_not_json_is_a_422_not_a_400(web):
    r = web.client.post("/api/cases", content=b"{not json",
                        headers={"content-type": "application/json"})
    body = _problem(r, 422)
    assert "JSON" in body["message"]
    r = web.client.post("/api/cases", content=b"\xff\xfe\x00",
                        headers={"content-type": "application/json"})
    _problem(r, 422)


def test_a_lone_surrogate_is_answered_cleanly(web, profile):
    raw = json.dumps({"profile": {**profile, "name": "\ud800主播"}}).encode()
    r = web.client.post("/api/cases", content=raw, headers={"content-type": "application/json"})
    assert r.status_code in (201, 422)
    assert "\ud800" not in r.content.decode("utf-8")
    raw = b'{"profile": {"name": "\\ud800"}, "\\udfff": 1}'
    r = web.client.post("/api/cases", content=raw, headers={"content-type": "application/json"})
    body = _problem(r, 422)
    assert "\ud800" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("query", ["operator=²", "operator=1e400", "page=99999999999999999999",
                                   "status=%00", "q=%ff%fe"])
def test_odd_query_values_are_never_a_500(web, query):
    for path in ("/cases", "/", "/api/cases", "/api/dashboard", "/rules"):
        r = web.client.get(f"{path}?{query}")
        assert r.status_code < 500, (path, query, r.status_code)


def test_far_dates_in_the_api_are_422(web, profile):
    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    for body in ({"start": "10000-01-01"}, {"notice_sent_on": "9999-12-31"},
                 {"start": "0000-01-01"}):
        r = web.client.patch(f"/api/cases/{case.id}/dates", json=body)
        assert r.status_code == 422, (body, r.text[:300])
        assert set(r.json()) == SHAPE


def test_a_full_disk_is_a_503_that_says_what_to_do(web, monkeypatch, profile):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(stored, "create_case", full)
    body = _problem(web.client.post("/api/cases", json={"profile": profile}), 503)
    assert "磁盘满" in body["message"] and "清理" in body["fix"]


def _read_only_url(path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def test_a_read_only_store_is_a_503_page_and_login_too(make_web, tmp_path, profile):
    from tests.db_fixtures import migrated_sqlite_url

    path = tmp_path / "ro.sqlite3"
    rw = make_web(migrated_sqlite_url(path), auth=True)
    add_user(rw.db, "boss", "admin", "correct horse")
    stored.create_case(rw.db, profile, today=rw.today, actor=repo.Actor())
    rw.close()
    ro = make_web(_read_only_url(path), auth=True)
    r = ro.login("boss", "correct horse")
    assert r.status_code == 503
    assert "只读" in r.text and "XIABO_HOME" in r.text
    body = _problem(ro.client.post("/api/cases", json={"profile": profile}), 401)
    assert body["error"] == "web.errors.login_required"


def test_an_unreachable_database_is_a_503(make_web):
    from xiabo.store.pgcluster import free_port
    from xiabo.web import WebConfig, create_app

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone?connect_timeout=2"
    app = create_app(WebConfig(database_url=url, auth=True, check_migrations=False))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        client.cookies.set("xiabo_session", "x" * 40)
        r = client.get("/api/cases")
        body = _problem(r, 503)
        assert "数据库" in body["message"] and "XIABO_DATABASE_URL" in body["fix"]
        assert client.get("/cases").status_code == 503
    app.state.db.dispose()


def test_cli_on_a_read_only_store_exits_2_with_the_same_words(cli, monkeypatch, tmp_path):
    from tests.db_fixtures import migrated_sqlite_url

    path = tmp_path / "c.sqlite3"
    migrated_sqlite_url(path)
    monkeypatch.setenv("XIABO_DATABASE_URL", _read_only_url(path))
    r = cli("users", "add", "boss", "--role", "admin", "--password-stdin",
            stdin="correct horse battery\n")
    assert r.code == 2, (r.code, r.err)
    assert "只读" in r.err and "XIABO_HOME" in r.err
