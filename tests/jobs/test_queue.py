"""The queue itself, on SQLite and PostgreSQL: one active job per case and kind (the unique
index decides, not a Python set), each queued job claimed once by many workers, dead workers'
jobs handed on (queued again or interrupted, in words), retry, and the job folders tidied."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import update
from tests.jobs.conftest import make_case

from xiabo.jobs import JobBusy, JobLost, Worker, enqueue_job, job_view, kind, retry_job
from xiabo.jobs.files import job_folder, sweep
from xiabo.store import jobs as rows
from xiabo.store.models import utcnow


def _age(db, job_id: int, seconds: float) -> None:
    with db.write() as s:
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job_id)
                  .values(heartbeat_at=utcnow() - timedelta(seconds=seconds)))


def test_one_active_job_per_case_and_kind(db, case):
    first = enqueue_job(db, "backup", case.id, {"n": 1})
    with pytest.raises(JobBusy) as busy:
        enqueue_job(db, "backup", case.id, {"n": 2})
    assert busy.value.job_id == first
    other = make_case(db, "另一个直播间")
    enqueue_job(db, "backup", other.id, {})           # another case: fine
    enqueue_job(db, "opinion-import", case.id, {})    # another kind: fine
    claimed = rows.claim(db, "w1", ("backup",))
    assert claimed.id == first and claimed.state == "running"
    with pytest.raises(JobBusy):                      # running counts as active too
        enqueue_job(db, "backup", case.id, {})
    assert rows.finish(db, first, "w1", "done", result={"ok": True})
    again = enqueue_job(db, "backup", case.id, {"n": 3})  # ended: a new one may start
    assert again != first and rows.get(db, first).result == {"ok": True}


def test_many_workers_claim_each_job_once(db):
    cases = [make_case(db, f"直播间{i}") for i in range(12)]
    for c in cases:
        enqueue_job(db, "backup", c.id, {})
    got: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def claimer(name: str) -> None:
        start.wait()
        while True:
            row = rows.claim(db, name, ("backup",))
            if row is None:
                return
            with lock:
                got.append(row.id)

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(got) == sorted(set(got)) and len(got) == 12


def test_a_dead_workers_jobs_are_handed_on(db, case, test_kinds):
    runs: list[int] = []

    @kind("t-resume", resumable=True)
    def resumable(ctx):
        runs.append(ctx.attempt)
        return {"attempt": ctx.attempt}

    @kind("t-once", resumable=False)
    def once(ctx):
        return {}

    a = enqueue_job(db, "t-resume", case.id, {})
    b = enqueue_job(db, "t-once", case.id, {}, files={"upload.csv": b"x"})
    assert (job_folder(b) / "upload.csv").read_bytes() == b"x"
    assert rows.claim(db, "dead", ("t-resume",)).id == a
    assert rows.claim(db, "dead", ("t-once",)).id == b
    worker = Worker(db, stale_after=5)
    assert worker.reap() == []          # still heartbeating (just now): alive
    _age(db, a, 60)
    _age(db, b, 60)
    assert sorted(worker.reap()) == [a, b]
    resumed, interrupted = rows.get(db, a), rows.get(db, b)
    assert resumed.state == "queued" and resumed.worker is None
    assert interrupted.state == "interrupted" and "做到一半停了" in interrupted.error["zh"]
    assert "stopped half-way" in interrupted.error["en"]
    assert not job_folder(b).exists()   # its upload is gone with it
    assert job_view(interrupted)["retryable"] and not job_view(resumed)["retryable"]
    # the resumable one runs again on the living worker, as its second attempt
    assert worker.run_once() and runs == [2]
    assert rows.get(db, a).state == "done" and rows.get(db, a).result == {"attempt": 2}
    # the interrupted one can be retried; a retried job that is not ended cannot
    retry_job(db, b)
    assert rows.get(db, b).state == "queued"
    from xiabo.errors import UserError

    with pytest.raises(UserError) as err:
        retry_job(db, b)
    assert "不能重试" in err.value.render("zh")


def test_a_worker_that_lost_its_job_stops_without_writing(db, case, test_kinds):
    seen = {}

    @kind("t-slow", resumable=True)
    def slow(ctx):
        rows.requeue_or_interrupt(db, ctx.job_id, rows.get(db, ctx.job_id).heartbeat_at,
                                  requeue=True)  # as a reaper would, meanwhile
        ctx.update(step=1)
        with pytest.raises(JobLost):
            ctx.checkpoint(step=2)
        seen["lost"] = True
        raise JobLost()

    job = enqueue_job(db, "t-slow", case.id, {})
    worker = Worker(db, stale_after=30)
    assert worker.run_job(rows.claim(db, worker.name, ("t-slow",))) is None
    assert seen["lost"] and rows.get(db, job).state == "queued"  # untouched by the loser


def test_failures_are_words_and_the_folder_is_removed(db, case, test_kinds):
    from xiabo.errors import UserError

    @kind("t-fail", resumable=False)
    def fail(ctx):
        assert (ctx.folder / "in.txt").read_text() == "in"
        raise UserError("jobs.err.upload_gone", {"name": "评论.csv"},
                        fix_key="jobs.err.upload_gone_fix")

    @kind("t-crash", resumable=False)
    def crash(ctx):
        raise RuntimeError("disk on fire")

    a = enqueue_job(db, "t-fail", case.id, {}, files={"in.txt": b"in"})
    b = enqueue_job(db, "t-crash", case.id, {})
    worker = Worker(db)
    assert worker.run_once() and worker.run_once() and not worker.run_once()
    failed = rows.get(db, a)
    assert failed.state == "failed" and "评论.csv" in failed.error["zh"]
    assert "重新上传" in failed.error["zh"] and not job_folder(a).exists()
    assert "disk on fire" in rows.get(db, b).error["en"]


def test_sweep_removes_folders_of_ended_or_unknown_jobs(db, case, test_kinds):
    active = enqueue_job(db, "t-x", case.id, {}, files={"a": b"1"})
    ended = enqueue_job(db, "t-y", case.id, {}, files={"b": b"2"})
    assert rows.claim(db, "w", ("t-y",)).id == ended
    rows.finish(db, ended, "w", "failed", error={"zh": "x", "en": "x"})
    job_folder(ended).mkdir(parents=True, exist_ok=True)  # as a killed worker left it
    job_folder(99999).mkdir(parents=True)
    job_folder(99998).mkdir(parents=True)  # just written, its row not committed yet
    from xiabo.jobs.files import incoming_folder

    (incoming_folder() / "old").mkdir(parents=True)  # a request that died mid-upload
    (incoming_folder() / "new").mkdir()
    old = time.time() - 7200
    for path in (job_folder(active), job_folder(ended), job_folder(99999),
                 incoming_folder() / "old"):
        os.utime(path, (old, old))
    assert sorted(sweep(db)) == sorted([ended, 99999])
    assert job_folder(active).is_dir() and not job_folder(ended).exists()
    assert job_folder(99998).is_dir() and (incoming_folder() / "new").is_dir()
    assert not (incoming_folder() / "old").exists()
