"""Job fixtures: a migrated database on each engine (SQLite, and the shared throwaway
PostgreSQL), a data folder of its own, a stored case, and job kinds that exist only here."""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2026, 11, 25)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def db(any_db_url, home):
    from xiabo.store.db import Database

    database = Database(any_db_url)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url, home):
    from xiabo.store.db import Database

    database = Database(sqlite_url)
    yield database
    database.dispose()


def make_case(db, name: str = "测试直播间", **over):
    from tests.helpers import base_profile

    from xiabo.cases import stored
    from xiabo.store import cases as repo

    return stored.create_case(db, base_profile(name=name, **over), today=TODAY,
                              actor=repo.Actor())


@pytest.fixture
def case(db):
    return make_case(db)


@pytest.fixture
def test_kinds():
    """Kinds registered for one test, removed after it."""
    from xiabo.jobs.registry import KINDS

    before = dict(KINDS)
    yield KINDS
    KINDS.clear()
    KINDS.update(before)


def silence(db, job_id: int, seconds: int = 120) -> None:
    """The job's worker stopped heartbeating ``seconds`` ago (as a reaper will see it)."""
    from datetime import timedelta

    from sqlalchemy import update

    from xiabo.store import jobs as rows
    from xiabo.store.models import utcnow

    with db.write() as s:
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job_id)
                  .values(heartbeat_at=utcnow() - timedelta(seconds=seconds)))


def die_for_good(db, job_id: int, kind: str) -> None:
    """The job is claimed and its worker dies, as often as a reaper allows: interrupted."""
    from xiabo.jobs import Worker
    from xiabo.jobs.worker import MAX_ATTEMPTS
    from xiabo.store import jobs as rows

    reaper = Worker(db, stale_after=5)
    for _ in range(MAX_ATTEMPTS):
        assert rows.claim(db, "dead", (kind,)).id == job_id
        silence(db, job_id, 60)
        reaper.reap()
