"""The web's opinion store in the main database (SQLite and PostgreSQL): idempotent ingest, the
same aggregates as the CLI's SQLite file, the one-time copy of a case folder's file, and the
migration up and down."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from tests.opinion.conftest import HEADER, comment_rows, write_csv
from xiabo.cases import stored
from xiabo.cases.opinion_store import CaseStore
from xiabo.opinion.ingest import ingest_file
from xiabo.opinion.report import build_report
from xiabo.opinion.store import open_store
from xiabo.store import cases as repo
from xiabo.store.db import Database

from ..helpers import base_profile

TODAY = date(2026, 11, 25)
LAST_LIVE = date(2026, 11, 5)


@pytest.fixture
def db(any_db_url):
    database = Database(any_db_url)
    yield database
    database.dispose()


@pytest.fixture
def case_id(db) -> int:
    case = stored.create_case(db, base_profile(name="头部主播", followers=3_000_000), today=TODAY,
                            actor=repo.Actor())
    return case.id


@pytest.fixture
def export(tmp_path):
    rows = comment_rows(4000, start=datetime(2026, 11, 1, 8), days=12)
    rows += [["公会太黑心了 电话13812345678", "2026-11-09 21:00:00", 900, 40, "乙"]] * 3
    return write_csv(tmp_path / "评论.csv", HEADER, rows)


def _tables(db, case_id):
    with db.engine.connect() as conn:
        return tuple(conn.execute(sa.text(f"SELECT COUNT(*) FROM {t} WHERE case_id = :c"),
                                  {"c": case_id}).scalar()
                     for t in ("opinion_messages", "opinion_terms", "opinion_imports"))


def test_same_file_twice_adds_nothing(db, case_id, export):
    store = CaseStore(db.engine, case_id)
    first = ingest_file(store, export, name="评论.csv")
    assert first.added == 4001 and first.duplicates == 2
    messages, terms, imports = _tables(db, case_id)
    assert (messages, imports) == (4001, 1) and terms > 0
    with db.engine.connect() as conn:
        total_n = conn.execute(sa.text("SELECT SUM(n) FROM opinion_terms")).scalar()
    again = ingest_file(store, export, name="again.csv")
    assert again.added == 0 and again.duplicates == 4003
    assert _tables(db, case_id) == (4001, terms, 2)
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT SUM(n) FROM opinion_terms")).scalar() == total_n
        names = [r[0] for r in conn.execute(sa.text(
            "SELECT name FROM opinion_imports ORDER BY id"))]
        assert names == ["评论.csv", "again.csv"]


def test_a_failed_file_leaves_nothing(db, case_id, tmp_path):
    from xiabo.errors import UserError

    bad = write_csv(tmp_path / "bad.csv", HEADER, [["你好", "昨天", 0, 0, "a"]] * 5)
    with pytest.raises(UserError):
        ingest_file(CaseStore(db.engine, case_id), bad)
    assert _tables(db, case_id) == (0, 0, 0)


def test_aggregates_equal_the_cli_store(db, case_id, export, tmp_path):
    web = CaseStore(db.engine, case_id)
    ingest_file(web, export)
    with open_store(tmp_path / "cli") as cli:
        ingest_file(cli, export)
        since, until = date(2026, 11, 1), date(2026, 11, 13)
        assert web.span() == cli.span() == (since, until)
        assert web.count() == cli.count()
        assert sorted(web.day_counts(since, until)) == sorted(cli.day_counts(since, until))
        assert sorted(web.hour_counts(since, until)) == sorted(cli.hour_counts(since, until))
        assert web.days(date(2026, 11, 3), date(2026, 11, 30)) == \
            cli.days(date(2026, 11, 3), date(2026, 11, 30))
        for negative in (False, True):
            assert web.term_totals(since, until, 15, negative) == \
                cli.term_totals(since, until, 15, negative)
        assert web.term_split(since, until, date(2026, 11, 10), 1) == \
            cli.term_split(since, until, date(2026, 11, 10), 1)
        for by in ("likes", "replies", "time"):
            assert web.top_negative(since, until, by, 5) == cli.top_negative(since, until, by, 5)
        want = build_report(cli, today=TODAY, last_live=LAST_LIVE).to_dict()
    got = build_report(web, today=TODAY, last_live=LAST_LIVE).to_dict()
    assert got == want
    assert got["total"] == 4001 and got["hours"] and got["keywords"]
    assert "13812345678" not in str(got) and got["most_liked_negative"][0]["likes"] == 900


def test_cases_do_not_mix(db, case_id, export, tmp_path):
    other = stored.create_case(db, base_profile(name="另一个", followers=3_000_000), today=TODAY,
                             actor=repo.Actor()).id
    ingest_file(CaseStore(db.engine, case_id), export)
    store = CaseStore(db.engine, other)
    assert store.count() == 0 and store.span() is None
    assert ingest_file(store, export).added == 4001     # the same export, another case
    assert CaseStore(db.engine, case_id).count() == 4001


def test_old_case_folder_file_is_copied_once(db, case_id, export, tmp_path):
    import hashlib

    from xiabo.cases.opinion_adopt import adopt
    from xiabo.cases.opinion_store import store_facts
    from xiabo.store.opinion import record_import

    folder = tmp_path / "case" / "opinion"
    with open_store(folder) as old:                     # what the web wrote before 0009
        result = ingest_file(old, export)
        want = build_report(old, today=TODAY, last_live=LAST_LIVE).to_dict()
    record_import(db, case_id, "评论.csv", hashlib.sha256(export.read_bytes()).hexdigest(),
                  result.rows, result.added)
    assert store_facts(db.engine, case_id, folder) is None
    assert adopt(db.engine, case_id, folder) == 4001
    assert adopt(db.engine, case_id, folder) == 0        # idempotent
    store = CaseStore(db.engine, case_id)
    assert build_report(store, today=TODAY, last_live=LAST_LIVE).to_dict() == want
    with db.engine.connect() as conn:
        linked = conn.execute(sa.text(
            "SELECT COUNT(*) FROM opinion_messages WHERE import_id IS NOT NULL")).scalar()
    assert linked == 4001                                # joined to the recorded import
    facts = store_facts(db.engine, case_id, folder)
    assert facts["messages"] == 4001 and facts["first"] == date(2026, 11, 1)
    # the store now answers; the old file is no longer written
    assert ingest_file(store, export).added == 0
    with open_store(folder) as old:
        assert old.count() == 4001 and len(old.files()) == 1


def test_plan_facts_follow_a_new_import(db, case_id, tmp_path):
    """The plan's opinion facts (``xiabo.cases``, cached on the case's opinion stamp) move with
    every import, whether the case was loaded with its satellites or not."""
    from xiabo.cases import CaseRef, gather
    from xiabo.store.satellites import load_with_satellites

    def facts():
        plain = gather(CaseRef.for_stored(repo.get_case(db, case_id), db), None, TODAY)
        loaded = gather(CaseRef.for_stored(load_with_satellites(db, case_id), db), None, TODAY)
        assert plain["opinion"] == loaded["opinion"]
        return plain["opinion"]

    assert facts() is None
    store = CaseStore(db.engine, case_id)
    rows = [[f"谢谢{d}", f"2026-11-{10 + d:02d} 10:00:00", 0, 0, "a"] for d in range(3)]
    ingest_file(store, write_csv(tmp_path / "a.csv", HEADER, rows))
    assert facts()["messages"] == 3
    more = [[f"再见{d}", f"2026-11-{13 + d:02d} 10:00:00", 0, 0, "a"] for d in range(2)]
    ingest_file(store, write_csv(tmp_path / "b.csv", HEADER, more))
    found = facts()
    assert found["messages"] == 5 and found["last"] == date(2026, 11, 14)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_db(request, tmp_path):
    """An empty database (no migrations yet) on each engine."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        base = request.getfixturevalue("pg_server")
        name = f"op_{tmp_path.name[-20:].replace('-', '_').lower()}"
        engine = sa.create_engine(base.rsplit("/", 1)[0] + "/postgres",
                                  isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        url = base.rsplit("/", 1)[0] + f"/{name}"
    database = Database(url)
    yield database
    database.dispose()


def test_migration_up_and_down(fresh_db, export):
    from alembic import command

    db = fresh_db
    command.upgrade(db.alembic_config(), "0008_merge")
    assert "opinion_messages" not in sa.inspect(db.engine).get_table_names()
    db.upgrade()
    inspector = sa.inspect(db.engine)
    assert {"opinion_messages", "opinion_terms"} <= set(inspector.get_table_names())
    indexes = {i["name"] for i in inspector.get_indexes("opinion_messages")}
    assert {"ix_opinion_messages_day", "ix_opinion_messages_hour"} <= indexes
    case = stored.create_case(db, base_profile(followers=3_000_000), today=TODAY,
                            actor=repo.Actor())
    assert ingest_file(CaseStore(db.engine, case.id), export).added == 4001
    command.downgrade(db.alembic_config(), "0008_merge")
    names = set(sa.inspect(db.engine).get_table_names())
    assert "opinion_messages" not in names and "opinion_terms" not in names
    assert "opinion_imports" in names
    db.upgrade()
    assert CaseStore(db.engine, case.id).count() == 0
