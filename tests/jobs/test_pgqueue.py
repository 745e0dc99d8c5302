"""PostgreSQL's queue (procrastinate) delivering the ``jobs`` table's rows: a queued row is one
waiting delivery with the case's lock; a worker runs it once however often it is delivered; a
row whose delivery was lost is delivered by a worker's upkeep; a dead worker's job is handed on
in both the table and the queue; retries and ``xiabo worker --once`` go through the queue too
(the in-process thread of ``xiabo serve``: test_inprocess.py)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from tests.helpers import in_own_thread
from tests.jobs.conftest import make_case, silence

from xiabo.jobs import enqueue_job, kind, pgqueue, retry_job
from xiabo.store import jobs as rows

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(pg_server, home):
    from tests.db_fixtures import _truncate

    from xiabo.store.db import Database

    _truncate(pg_server)
    database = Database(pg_server)
    yield database
    database.dispose()


@pytest.fixture
def counted(test_kinds):
    """A kind that counts its runs (and fails on a payload asking it to)."""
    runs: list[int] = []

    @kind("t-count", resumable=True)
    def run(ctx):
        runs.append(ctx.job_id)
        if ctx.payload.get("fail"):
            raise RuntimeError("asked to fail")
        return {"ran": len(runs)}

    return runs


def deliveries(db) -> list[dict]:
    with db.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(
            "SELECT id, status::text AS status, task_name, lock, queueing_lock, args "
            "FROM procrastinate_jobs ORDER BY id"))]


def serve_once(db, **kw) -> int:
    return in_own_thread(lambda: asyncio.run(pgqueue.PgRunner(db, **kw).serve(wait=False)))


def test_a_queued_row_is_one_delivery_with_its_cases_lock(pg, counted):
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {})
    [waiting] = deliveries(pg)
    assert waiting["status"] == "todo" and waiting["task_name"] == "xiabo.job"
    assert waiting["args"] == {"job_id": job}
    assert waiting["lock"] == f"xiabo:t-count:case:{case.id}"
    assert waiting["queueing_lock"] == f"xiabo:job:{job}"
    # a second delivery of the same row while one waits is refused by the queue itself
    assert pgqueue.deliver(pg, job, "t-count", case.id, None)
    assert len(deliveries(pg)) == 1
    assert serve_once(pg) == 1
    assert counted == [job]
    row = rows.get(pg, job)
    assert row.state == "done" and row.result == {"ran": 1} and row.attempts == 1
    assert [d["status"] for d in deliveries(pg)] == ["succeeded"]


def test_a_late_second_delivery_runs_nothing(pg, counted):
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {})
    assert serve_once(pg) == 1
    assert pgqueue.deliver(pg, job, "t-count", case.id, None)  # e.g. upkeep racing the run
    assert serve_once(pg) == 0
    assert counted == [job] and rows.get(pg, job).attempts == 1
    assert [d["status"] for d in deliveries(pg)] == ["succeeded", "succeeded"]


def test_a_row_whose_delivery_was_lost_is_delivered_by_upkeep(pg, counted, monkeypatch):
    case = make_case(pg)
    monkeypatch.setattr(pgqueue, "_sender", lambda url: (_ for _ in ()).throw(OSError("down")))
    job = enqueue_job(pg, "t-count", case.id, {})  # committed; the delivery failed
    assert deliveries(pg) == []
    monkeypatch.undo()
    # a row this young is left to the process that queued it: its own delivery may come yet
    assert serve_once(pg) == 0 and deliveries(pg) == []
    with pg.write() as s:
        s.execute(sa.update(rows.JobRow).where(rows.JobRow.id == job).values(
            created_at=rows.JobRow.created_at - sa.text("INTERVAL '10 seconds'")))
    assert serve_once(pg) == 1
    assert counted == [job] and rows.get(pg, job).state == "done"
    assert [d["args"] for d in deliveries(pg)] == [{"job_id": job}]


def test_a_dead_workers_job_is_handed_on_in_the_table_and_the_queue(pg, counted):
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {})
    # a worker took it and died: the delivery is "doing" on a worker that no longer exists
    # and the row is running with a heartbeat that stopped
    assert rows.claim_id(pg, job, "dead:1:0", ("t-count",)).id == job
    with pg.engine.begin() as conn:
        conn.execute(sa.text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL"))
    silence(pg, job, 60)
    assert serve_once(pg, stale_after=5) == 1
    row = rows.get(pg, job)
    assert row.state == "done" and row.attempts == 2 and counted == [job]
    assert [d["status"] for d in deliveries(pg)] == ["succeeded"]  # the same delivery retried


def test_a_retried_failure_is_delivered_again(pg, counted):
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {"fail": True})
    serve_once(pg)
    assert rows.get(pg, job).state == "failed"
    retry_job(pg, job)
    assert [d["status"] for d in deliveries(pg)] == ["succeeded", "todo"]
    serve_once(pg)
    assert counted == [job, job] and rows.get(pg, job).attempts == 2


def test_the_queues_lock_holds_a_second_delivery_of_a_case_and_kind(pg, counted):
    """While one delivery of a case and kind is being worked on, another delivery under the
    same lock waits (the table refuses a second row before that); other cases run beside it."""
    a, b = make_case(pg, "甲"), make_case(pg, "乙")
    first = enqueue_job(pg, "t-count", a.id, {})
    second = enqueue_job(pg, "t-count", b.id, {})
    with pg.engine.begin() as conn:  # a live worker is on case a's delivery
        alive = conn.scalar(sa.text("INSERT INTO procrastinate_workers DEFAULT VALUES "
                                    "RETURNING id"))
        conn.execute(sa.text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = :w, "
                             "queueing_lock = NULL WHERE args->>'job_id' = :j"),
                     {"w": alive, "j": str(first)})
    pgqueue.deliver(pg, first, "t-count", a.id, None)  # a stray second delivery of it
    assert serve_once(pg, concurrency=3, stale_after=60) == 1
    assert counted == [second]
    statuses = {(d["args"]["job_id"], d["status"]) for d in deliveries(pg)}
    assert statuses == {(first, "doing"), (first, "todo"), (second, "succeeded")}


def test_worker_once_command_runs_through_the_queue(pg, counted, monkeypatch):
    from click.testing import CliRunner

    from xiabo.cli import main

    monkeypatch.setenv("XIABO_DATABASE_URL", pg.url)
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {})
    result = in_own_thread(lambda: CliRunner().invoke(main, ["worker", "--once", "--lang", "zh"]))
    assert result.exit_code == 0, result.output
    assert "处理了 1 项工作" in result.output
    assert rows.get(pg, job).state == "done"
    assert [d["status"] for d in deliveries(pg)] == ["succeeded"]


def test_a_stalled_delivery_that_cannot_wait_again_is_ended_and_frees_the_lock(pg, counted):
    """A dead worker's delivery is still "doing" when the job is retried by hand: the new
    delivery waits under the same lock and queueing lock, so the old one cannot be put back.
    It is ended instead (failed, in procrastinate's records only), and the job runs once."""
    case = make_case(pg)
    job = enqueue_job(pg, "t-count", case.id, {})
    with pg.engine.begin() as conn:  # its worker died holding it
        conn.execute(sa.text("UPDATE procrastinate_jobs SET status = 'doing', worker_id = NULL"))
    assert pgqueue.deliver(pg, job, "t-count", case.id, None)  # the hand retry's delivery
    assert [d["status"] for d in deliveries(pg)] == ["doing", "todo"]
    assert serve_once(pg, stale_after=5) == 1
    assert counted == [job] and rows.get(pg, job).state == "done"
    assert [d["status"] for d in deliveries(pg)] == ["failed", "succeeded"]


def test_threads_eight_runs_eight_jobs_at_once(pg, test_kinds):
    """``xiabo worker --threads 8`` on a two-core machine: eight jobs run together (the
    default executor of an event loop would hold six threads there)."""
    import threading

    together = threading.Barrier(8, timeout=20)

    @kind("t-meet", resumable=False)
    def meet(ctx):
        together.wait()  # BrokenBarrierError unless all eight are running at once
        return {"met": True}

    jobs = [enqueue_job(pg, "t-meet", make_case(pg, f"直播间{i}").id, {}) for i in range(8)]
    assert serve_once(pg, concurrency=8) == 8
    assert [rows.get(pg, j).result for j in jobs] == [{"met": True}] * 8
