"""Bulk jobs in the schema: ``0012_bulk_jobs`` keeps the jobs of 0011 (and their one-per-case
guard), lets a job have no case, and keeps one active bulk job per kind and owner, the local
user's included, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from tests.jobs.conftest import TODAY
from tests.store import test_migrations

from xiabo.jobs import JobBusy, enqueue_job
from xiabo.store.db import Database
from xiabo.store.users import add_user

fresh_url = test_migrations.fresh_url  # an empty database on each engine


def test_upgrade_from_0011_keeps_jobs_and_their_guard(fresh_url, home, profile):
    from alembic import command

    from xiabo.cases import stored
    from xiabo.store import cases as repo

    db = Database(fresh_url)
    command.upgrade(db.alembic_config(), "0011_jobs")
    case = stored.create_case(db, profile, today=TODAY, actor=repo.Actor())
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO jobs (kind, case_id, state, payload_json, progress_json, attempts, "
            "created_at) VALUES ('backup', :c, 'running', '{\"a\": 1}', '{\"done\": 5}', 1, "
            "'2026-11-25 08:00:00'), ('backup', :c, 'done', '{}', '{}', 1, "
            "'2026-11-24 08:00:00')"), {"c": case.id})
    command.upgrade(db.alembic_config(), "head")
    with db.engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT kind, case_id, state, payload_json, progress_json, "
                                    "owner_id FROM jobs ORDER BY id")).all()
    assert [tuple(r) for r in kept] == [
        ("backup", case.id, "running", '{"a": 1}', '{"done": 5}', None),
        ("backup", case.id, "done", "{}", "{}", None)]
    with pytest.raises(JobBusy):  # the one-backup-per-case guard survived the table copy
        enqueue_job(db, "backup", case.id, {})
    first = enqueue_job(db, "cases-import", None, {})
    with pytest.raises(JobBusy) as busy:  # the local user (no id) has one import at a time
        enqueue_job(db, "cases-import", None, {})
    assert busy.value.job_id == first
    assert enqueue_job(db, "letters-followup", None, {})  # another kind may run beside it
    db.dispose()


def test_one_bulk_job_per_kind_and_owner(db):
    a = add_user(db, "op-a", "operator", "op-a-tea-kettle")
    b = add_user(db, "op-b", "operator", "op-b-tea-kettle")
    job = enqueue_job(db, "cases-import", None, {}, owner_id=a.id)
    with pytest.raises(JobBusy) as busy:
        enqueue_job(db, "cases-import", None, {}, owner_id=a.id)
    assert busy.value.job_id == job
    assert enqueue_job(db, "cases-import", None, {}, owner_id=b.id)  # B does not wait for A
    with db.write() as s:
        s.execute(sa.text("UPDATE jobs SET state = 'done' WHERE id = :j"), {"j": job})
    assert enqueue_job(db, "cases-import", None, {}, owner_id=a.id)  # A's first one ended


def test_downgrade_to_0011_drops_bulk_jobs_only(fresh_url, home, profile):
    from alembic import command

    from xiabo.cases import stored
    from xiabo.store import cases as repo

    db = Database(fresh_url)
    db.upgrade()
    case = stored.create_case(db, profile, today=TODAY, actor=repo.Actor())
    enqueue_job(db, "backup", case.id, {})
    enqueue_job(db, "cases-import", None, {})
    command.downgrade(db.alembic_config(), "0011_jobs")
    with db.engine.connect() as conn:
        left = conn.execute(sa.text("SELECT kind, case_id FROM jobs")).all()
    assert [tuple(r) for r in left] == [("backup", case.id)]
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("jobs")}
    assert "owner_id" not in columns
    db.dispose()
