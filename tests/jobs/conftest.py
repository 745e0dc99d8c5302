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
