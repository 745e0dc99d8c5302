"""Schemathesis over the OpenAPI schema: generated requests never get a 5xx answer.

The app runs in single-user mode on a throwaway SQLite store seeded with two cases, so
generated ids sometimes hit a real case. Schemathesis loads the schema when this module is
imported, so the store is made here (in its own temp folder, removed at exit). Examples per
operation are bounded to keep the run short.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path

import schemathesis
import yaml
from hypothesis import HealthCheck, settings

from xiabo.store import cases as repo
from xiabo.store.db import Database
from xiabo.web import WebConfig, create_app

_DIR = Path(tempfile.mkdtemp(prefix="xiabo-fuzz-"))
atexit.register(shutil.rmtree, _DIR, True)
_URL = f"sqlite:///{_DIR / 'fuzz.sqlite3'}"


def _seeded_app():
    db = Database(_URL)
    db.upgrade()
    root = Path(__file__).resolve().parents[2]
    profile = yaml.safe_load((root / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    for name in ("一", "二"):
        repo.create_case(db, dict(profile, name=name), today=date(2026, 11, 25),
                         actor=repo.Actor())
    db.dispose()
    return create_app(WebConfig(database_url=_URL, today=lambda: date(2026, 11, 25)))


app = _seeded_app()
# The schema comes straight from the app (``from_asgi`` would start an event-loop thread at
# import time, which other areas' fork-based tests then see); requests still go to the app.
schema = schemathesis.openapi.from_dict(app.openapi())
schema.app = app
schema.location = "/api/openapi.json"


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        body = json.loads(response.text)
        assert "detail" in body or "error" in body
