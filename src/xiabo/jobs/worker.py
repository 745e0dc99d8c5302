"""The worker loop: claim the oldest queued job, run its function with a heartbeat beside it,
record how it ended; now and then hand on the jobs of workers that stopped heartbeating.

Why a heartbeat thread and not progress calls: a backup copying one large file calls back
rarely, and a worker that is alive must not be taken for dead. Why hand-on by heartbeat age: a
SIGKILLed process (or a machine that lost power) says nothing; only silence tells.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from ..errors import UserError
from ..store import jobs as rows
from .files import job_folder, remove_folder, sweep
from .registry import JobContext, JobLost, load_kinds

__all__ = ["Worker", "stale_seconds"]

log = logging.getLogger("xiabo.jobs")
MAX_ATTEMPTS = 3  # a resumable job found dead this often is interrupted, not re-queued
SWEEP_EVERY = 600  # seconds between sweeps of ended jobs' folders while running


def stale_seconds() -> float:
    """Seconds of silence after which a running job's worker counts as dead
    (``XIABO_JOB_STALE_SECONDS``, default 30)."""
    try:
        return max(1.0, float(os.environ.get("XIABO_JOB_STALE_SECONDS", "30")))
    except ValueError:
        return 30.0


def _words(key: str, **params) -> dict:
    from ..i18n import t

    return {lang: t(key, lang, **params) for lang in ("zh", "en")}


class Worker:
    """One worker: runs one job at a time. ``run(stop)`` loops until ``stop`` is set."""

    def __init__(self, db, *, name: str | None = None, poll: float = 0.5,
                 heartbeat: float | None = None, stale_after: float | None = None):
        self.db = db
        self.kinds = load_kinds()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{id(self) & 0xffff:x}"
        self.poll = poll
        self.stale_after = stale_after or stale_seconds()
        self.heartbeat = heartbeat or max(0.2, min(2.0, self.stale_after / 5))
        self._last_reap = 0.0
        self._last_sweep = time.monotonic()

    # -- the loop --------------------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        sweep(self.db)
        while not stop.is_set():
            try:
                if not self.run_once():
                    stop.wait(self.poll)
            except Exception:  # noqa: BLE001 - the database went away a moment: keep serving
                log.exception("job worker %s: loop error", self.name)
                stop.wait(max(self.poll, 1.0))

    def run_once(self) -> bool:
        """Hand on dead jobs (now and then), then run one queued job; False when none."""
        now = time.monotonic()
        if now - self._last_reap >= self.stale_after / 3:
            self._last_reap = now
            self.reap()
        if now - self._last_sweep >= SWEEP_EVERY:  # a kept output older than a day goes
            self._last_sweep = now
            sweep(self.db)
        row = rows.claim(self.db, self.name, tuple(self.kinds))
        if row is None:
            return False
        self.run_job(row)
        return True

    def reap(self) -> list[int]:
        """Jobs whose worker died: queued again when their function resumes (and they have
        not died too often), else interrupted and their folder removed. Their ids."""
        handed = []
        for row in rows.stale(self.db, timedelta(seconds=self.stale_after)):
            spec = self.kinds.get(row.kind)
            again = bool(spec and spec.resumable and row.attempts < MAX_ATTEMPTS)
            if rows.requeue_or_interrupt(self.db, row.id, row.heartbeat_at, requeue=again,
                                         error=None if again else _words("jobs.interrupted")):
                handed.append(row.id)
                if not again:
                    remove_folder(row.id)
                log.warning("job %s (%s) of a dead worker %s", row.id, row.kind,
                            "queued again" if again else "interrupted")
        return handed

    # -- one job ---------------------------------------------------------------------------

    def run_job(self, row) -> str | None:
        """Run a claimed job to its end; the state it ended in (None: lost to another)."""
        spec = self.kinds[row.kind]
        lost = threading.Event()
        stopped = threading.Event()
        ctx = JobContext(db=self.db, job_id=row.id, case_id=row.case_id, payload=row.payload,
                         progress=row.progress, folder=job_folder(row.id), attempt=row.attempts,
                         owner_id=row.owner_id, worker=self.name)

        def beat() -> None:
            # under ``persist``: a chunk that records its progress in its own transaction
            # (under the same lock) is never overwritten by an older snapshot
            with ctx.persist:
                with ctx.lock:
                    snapshot = dict(ctx.progress)
                if not rows.heartbeat(self.db, row.id, self.name, snapshot):
                    lost.set()
            if lost.is_set():
                raise JobLost()

        def beating() -> None:
            while not stopped.wait(self.heartbeat):
                try:
                    beat()
                except JobLost:
                    return
                except Exception:  # noqa: BLE001 - a missed beat; the next one may pass
                    log.exception("job %s: heartbeat failed", row.id)

        ctx._flush = beat
        ctx.lost = lost
        thread = threading.Thread(target=beating, name=f"xiabo-job-beat-{row.id}", daemon=True)
        thread.start()
        state, result, error = "failed", None, None
        try:
            result = spec.run(ctx) or {}
            state = "done"
        except JobLost:
            state = None
        except UserError as err:
            error = {lang: err.render(lang) for lang in ("zh", "en")}
        except Exception as err:  # noqa: BLE001 - a job's failure is shown on its page
            log.exception("job %s (%s) failed", row.id, row.kind)
            error = _words("jobs.err.unexpected", error=str(err)[:300])
        finally:
            stopped.set()
            thread.join()
        if state is None or lost.is_set():
            return None
        with ctx.lock:
            progress = dict(ctx.progress)
        if rows.finish(self.db, row.id, self.name, state, result=result, error=error,
                       progress=progress):
            if not (state == "done" and spec.keeps_files):  # else swept after KEEP_OUTPUT
                remove_folder(row.id)
            return state
        return None
