"""Every API route against generated and extreme input (schemathesis): never a 5xx, fast.

Bounded examples keep the run short; the app runs in single-user mode with two cases so that
the case routes reach the store, the planner and the exports.
"""

from __future__ import annotations

import json
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from tests.web.conftest import TODAY


@pytest.fixture
def api_app(sqlite_url, profile):
    from xiabo.cases import stored
    from xiabo.store import cases as repo
    from xiabo.web import WebConfig, create_app

    app = create_app(WebConfig(database_url=sqlite_url, today=lambda: TODAY,
                               secret=b"k" * 32))
    clean = json.loads(json.dumps(profile, default=str))
    for name in ("甲", "乙"):
        stored.create_case(app.state.db, dict(clean, name=name), today=TODAY, actor=repo.Actor())
    yield app
    app.state.db.dispose()


def _check(client, case) -> None:
    from schemathesis.core import NotSet

    started = time.monotonic()
    kwargs = {"params": case.query or None, "headers": case.headers or None}
    if not isinstance(case.body, NotSet):
        kwargs["content"] = json.dumps(case.body, ensure_ascii=False).encode("utf-8", "replace")
        kwargs["headers"] = {**(case.headers or {}), "content-type": "application/json"}
    response = client.request(case.method, case.formatted_path, **kwargs)
    took = time.monotonic() - started
    where = (case.method, case.formatted_path)
    assert response.status_code < 500, (*where, response.text[:500])
    assert took < 5, (*where, took)
    if response.status_code in (401, 403, 404, 409, 413, 422) and \
            response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
        assert {"error", "message", "field", "fix"} <= set(body), (*where, body)


def test_no_api_route_answers_5xx(api_app):
    from fastapi.testclient import TestClient
    from hypothesis import given

    client = TestClient(api_app, raise_server_exceptions=False)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            _check(client, case)

        run()
    client.close()


EXTREMES = [{"start": "9999-12-31"}, {"start": "0001-01-01"}, {"diamonds": 1e30},
            {"followers": 10**30}, {"name": "名" * 100_000}, {"name": "\x00\x1f"},
            {"account": {"bindings": ["wechat", "wechat"]}}, {"money": {"balance_cny": "NaN"}},
            {"notice_sent_on": "9999-12-31"}, {"platform": "²"}]


@pytest.mark.parametrize("extra", EXTREMES, ids=lambda e: next(iter(e)))
def test_extreme_profiles_are_never_a_5xx(api_app, profile, extra):
    from fastapi.testclient import TestClient

    body = {"profile": {**json.loads(json.dumps(profile, default=str)), **extra}}
    with TestClient(api_app, raise_server_exceptions=False) as client:
        started = time.monotonic()
        r = client.post("/api/cases", json=body)
        assert r.status_code in (201, 413, 422), r.text[:300]
        r = client.put("/api/cases/1/profile", json=body)
        assert r.status_code in (200, 413, 422), r.text[:300]
        assert time.monotonic() - started < 10
