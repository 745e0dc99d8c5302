"""``xiabo serve``'s embedded worker: threads over the same table run a queued job (SQLite, no
extra service; on PostgreSQL the queue's worker in a thread); ``XIABO_INPROCESS_WORKER=0`` turns
them off for deployments with workers."""

from __future__ import annotations

import time

from tests.jobs.conftest import make_case

from xiabo.jobs import enqueue_job, kind
from xiabo.jobs.inprocess import start_threads, wanted
from xiabo.store import jobs as rows


def test_serve_threads_run_queued_jobs(any_db_url, db, test_kinds):
    """SQLite: threads claim rows of the table. PostgreSQL: one thread runs the queue's
    (procrastinate's) worker, and the job's delivery ends as succeeded."""
    @kind("t-echo", resumable=False)
    def echo(ctx):
        return {"seen": ctx.payload["x"]}

    case = make_case(db)
    job = enqueue_job(db, "t-echo", case.id, {"x": "你好"})
    stop, threads = start_threads(any_db_url, count=2)
    try:
        deadline = time.monotonic() + 20
        while rows.get(db, job).state != "done":
            assert time.monotonic() < deadline, "the in-process worker did not run the job"
            time.sleep(0.05)
    finally:
        stop.set()
        for th in threads:
            th.join(10)
    assert rows.get(db, job).result == {"seen": "你好"}
    assert not any(th.is_alive() for th in threads)
    if db.dialect == "postgresql":
        from tests.jobs.test_pgqueue import deliveries

        assert [th.name for th in threads] == ["xiabo-jobs-pg"]
        assert [d["status"] for d in deliveries(db)] == ["succeeded"]
    else:
        assert len(threads) == 2


def test_deployments_turn_the_threads_off(monkeypatch):
    monkeypatch.delenv("XIABO_INPROCESS_WORKER", raising=False)
    assert wanted()
    monkeypatch.setenv("XIABO_INPROCESS_WORKER", "0")
    assert not wanted()
