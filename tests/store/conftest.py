"""Store fixtures: every test runs against SQLite and against a real PostgreSQL.

The PostgreSQL cluster is a throwaway one started here (initdb into a temp dir, a free
loopback port) and stopped after the session; without the binaries those tests skip with the
reason shown in the summary.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from xiabo.store import pgcluster

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session")
def pg_server():
    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL: {reason}")
    with pgcluster.throwaway_cluster("xiabo_store") as url:
        from xiabo.store.db import Database

        db = Database(url)
        db.upgrade()
        db.dispose()
        yield url


def _truncate(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE audit_log, login_attempts, web_sessions, case_tasks, "
                             "cases, users RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A migrated, empty database URL (SQLite file, or the shared PG cluster truncated)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
        from xiabo.store.db import Database

        db = Database(url)
        db.upgrade()
        db.dispose()
        return url
    url = request.getfixturevalue("pg_server")
    _truncate(url)
    return url


@pytest.fixture
def db(db_url):
    from xiabo.store.db import Database

    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def profile() -> dict:
    return yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    """Tests hash many passwords: use argon2id with tiny costs (the format stays the same)."""
    from argon2 import PasswordHasher

    from xiabo.store import users

    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))
    monkeypatch.setattr(users, "_DUMMY_HASH", None)
