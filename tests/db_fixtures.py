"""Database fixtures shared by tests/store and tests/web (loaded from tests/conftest.py).

One throwaway PostgreSQL cluster serves the whole session (initdb into a temp dir, a free
loopback port, stopped after); without the binaries the PostgreSQL cases skip with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def pg_server():
    from xiabo.store import pgcluster

    reason = pgcluster.unavailable_reason()
    if reason:
        pytest.skip(f"PostgreSQL: {reason}")
    with pgcluster.throwaway_cluster("xiabo_test") as url:
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
        # the queue's deliveries name job ids that start again from 1
        conn.execute(sa.text("TRUNCATE procrastinate_jobs, procrastinate_workers "
                             "RESTART IDENTITY CASCADE"))
    engine.dispose()


def migrated_sqlite_url(path: Path) -> str:
    """A fresh SQLite file at ``path`` with every migration applied."""
    from xiabo.store.db import Database

    url = f"sqlite:///{path}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    return url


@pytest.fixture
def sqlite_url(tmp_path):
    return migrated_sqlite_url(tmp_path / "xiabo.sqlite3")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path):
    """A migrated, empty database on each engine (the shared PG cluster truncated)."""
    if request.param == "sqlite":
        return migrated_sqlite_url(tmp_path / "xiabo.sqlite3")
    url = request.getfixturevalue("pg_server")
    _truncate(url)
    return url


@pytest.fixture
def profile() -> dict:
    """The bundled example profile as a mapping."""
    return yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def cheap_argon2(monkeypatch):
    """Tests hash many passwords: use argon2id with tiny costs (the format stays the same)."""
    from argon2 import PasswordHasher

    from xiabo.store import users

    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))
    monkeypatch.setattr(users, "_DUMMY_HASH", None)
