"""Store fixtures: every test runs against SQLite and against a real PostgreSQL.

The databases come from tests/db_fixtures.py (one throwaway PostgreSQL cluster for the whole
session, shared with tests/web); without the binaries the PostgreSQL cases skip with the
reason shown in the summary.
"""

from __future__ import annotations

from datetime import date

import pytest

TODAY = date(2026, 11, 25)


@pytest.fixture
def db_url(any_db_url):
    """A migrated, empty database URL (SQLite file, or the shared PG cluster truncated)."""
    return any_db_url


@pytest.fixture
def db(db_url):
    from xiabo.store.db import Database

    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(autouse=True)
def _cheap_argon2(cheap_argon2):
    """Every store test hashes with tiny argon2 costs."""
