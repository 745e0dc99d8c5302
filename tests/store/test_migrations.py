"""Migrations: the schema is made only by Alembic, and it matches the models exactly."""

from __future__ import annotations

import pytest

from xiabo.errors import UserError
from xiabo.store.db import Database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    base = request.getfixturevalue("pg_server")
    import sqlalchemy as sa

    name = f"fresh_{tmp_path.name[-20:].replace('-', '_').lower()}"
    engine = sa.create_engine(base.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


def test_unmigrated_database_is_refused_then_upgrade_fixes_it(fresh_url):
    db = Database(fresh_url)
    with pytest.raises(UserError) as err:
        db.require_current()
    assert err.value.key == "web.db.not_migrated"
    assert err.value.fix_key == "web.db.not_migrated_fix"
    before, after = db.upgrade()
    assert before is None and after == db.head_revision()
    db.require_current()
    # idempotent
    assert db.upgrade() == (after, after)
    db.dispose()


def test_migrations_match_the_models(fresh_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from xiabo.store.tables import Base, is_ours

    db = Database(fresh_url)
    db.upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": is_ours}),
                                Base.metadata)
    db.dispose()
    assert diff == []


def test_downgrade_removes_everything(fresh_url):
    import sqlalchemy as sa
    from alembic import command

    db = Database(fresh_url)
    db.upgrade()
    command.downgrade(db.alembic_config(), "base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    leftovers = _queue_objects(db) if db.dialect == "postgresql" else []
    db.dispose()
    assert tables == set()
    assert leftovers == []


def _queue_objects(db) -> list[str]:
    """Functions and types named like the PostgreSQL queue's (procrastinate_…)."""
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        return list(conn.scalars(sa.text(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'procrastinate%' "
            "UNION ALL SELECT typname FROM pg_type WHERE typname LIKE '%procrastinate%'")))


def test_postgresql_gets_the_queue_and_loses_it_on_downgrade(fresh_url):
    """Migration 0013 makes procrastinate's schema on PostgreSQL (and nothing on SQLite); its
    downgrade removes every object it made, and upgrading again works."""
    import sqlalchemy as sa
    from alembic import command

    db = Database(fresh_url)
    db.upgrade()
    tables = set(sa.inspect(db.engine).get_table_names())
    if db.dialect == "sqlite":
        assert not {t for t in tables if t.startswith("procrastinate")}
        db.dispose()
        return
    assert {"procrastinate_jobs", "procrastinate_workers", "procrastinate_events"} <= tables
    assert "procrastinate_defer_jobs_v1" in _queue_objects(db)
    command.downgrade(db.alembic_config(), "0012_bulk_jobs")
    assert _queue_objects(db) == []
    assert not {t for t in sa.inspect(db.engine).get_table_names()
                if t.startswith("procrastinate")}
    assert "jobs" in sa.inspect(db.engine).get_table_names()
    db.upgrade()
    assert "procrastinate_jobs" in sa.inspect(db.engine).get_table_names()
    db.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    db.dispose()


def test_database_url_from_environment(monkeypatch, _isolated_home):
    from xiabo.store.db import database_url

    monkeypatch.delenv("XIABO_DATABASE_URL", raising=False)
    assert database_url() == f"sqlite:///{_isolated_home / 'xiabo.sqlite3'}"
    monkeypatch.setenv("XIABO_DATABASE_URL", "postgres://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_unreachable_database_is_a_user_error():
    db = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(UserError) as err:
        db.require_current()
    assert err.value.key == "web.db.unreachable"


def test_upgrade_from_0001_moves_documents_and_backfills(fresh_url, profile, today):
    """A store made by the first migration keeps its cases through the second one."""
    import json

    import sqlalchemy as sa
    from alembic import command

    from xiabo.cases import stored
    from xiabo.store import cases as repo

    db = Database(fresh_url)
    command.upgrade(db.alembic_config(), "0001")
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO cases (id, key, name, platform, status, profile_json, plan_json, "
            "baseline_json, baseline_at, plan_today, start, \"end\", tasks_total, tasks_done, "
            "version, created_at, updated_at) VALUES (1, 'k', 'n', 'kuaishou', 'active', "
            "'{\"name\": \"n\", \"platform\": \"kuaishou\", \"start\": \"2026-12-01\"}', "
            "'{\"tasks\": []}', '{\"tasks\": []}', '2026-11-25', '2026-11-25', '2026-12-01', "
            "'2027-01-01', 2, 1, 1, '2026-11-25 00:00:00', '2026-11-25 00:00:00')"))
        conn.execute(sa.text(
            "INSERT INTO case_tasks (case_id, task_id, title_zh, title_en, module, start, due, "
            "done, critical, milestone) VALUES "
            "(1, 'a', 'A', 'A', 'data', '2026-12-01', '2026-12-03', NULL, false, NULL), "
            "(1, 'b', 'B', 'B', 'data', '2026-12-01', '2026-12-02', '2026-12-02', false, NULL)"))
        if db.dialect == "postgresql":
            conn.execute(sa.text("SELECT setval('cases_id_seq', 1)"))
    db.upgrade()
    case = repo.get_case(db, 1)
    assert json.loads(case.profile_json)["name"] == "n"
    assert case.first_open_due.isoformat() == "2026-12-03"
    assert "profile_json" not in {c["name"] for c in sa.inspect(db.engine).get_columns("cases")}
    # and the store still works for new cases
    stored.create_case(db, profile, today=today, actor=repo.Actor())
    db.dispose()
