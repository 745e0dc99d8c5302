"""On PostgreSQL, jobs are delivered by procrastinate, a queue made for PostgreSQL.

The ``jobs`` table stays the record every page reads (progress, result, words of a failure);
procrastinate carries "job N waits" to a worker on any machine, holds the lock that lets one job
of a case and kind run at a time (``lock``), refuses a second delivery of one row while one waits
(``queueing_lock``), wakes idle workers through LISTEN/NOTIFY, and notices a worker that stopped
heartbeating. A delivered id is claimed in the table (``claim_id``) before anything runs, so a
delivery that comes twice runs the job once.

Every worker tends the queue now and then: jobs of dead workers are handed on in the table
(``Worker.reap``) and in procrastinate (stalled jobs retried), and a queued row with nothing
waiting for it in procrastinate (the web process died between its commit and its delivery) is
delivered again. SQLite keeps the embedded loop of ``Worker.run`` and needs no extra service.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from datetime import UTC, datetime, timedelta

from ..store import jobs as rows
from .files import sweep
from .worker import SWEEP_EVERY, Worker

__all__ = ["QUEUE", "TASK", "PgRunner", "conninfo", "deliver", "lock_of", "queueing_lock_of"]

log = logging.getLogger("xiabo.jobs")
TASK = "xiabo.job"
QUEUE = "xiabo"
KEEP_FINISHED_HOURS = 24 * 7  # procrastinate's own rows of ended deliveries; the table keeps ours
# seconds a new row is left to the process that queued it (it delivers it right after its
# commit) before upkeep delivers it as lost: a second delivery would be harmless, not needed
DELIVERY_GRACE = 5.0

_senders: dict[tuple[int, str], object] = {}
_senders_lock = threading.Lock()


def conninfo(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection string (``postgresql://…``)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def lock_of(kind: str, case_id: int | None, owner_id: int | None) -> str:
    """One job of a kind runs at a time per case (a bulk job: per owner)."""
    if case_id is not None:
        return f"xiabo:{kind}:case:{case_id}"
    return f"xiabo:{kind}:owner:{owner_id or 0}"


def queueing_lock_of(job_id: int) -> str:
    return f"xiabo:job:{job_id}"


def new_app(url: str, *, max_size: int = 4):
    import procrastinate

    return procrastinate.App(connector=procrastinate.PsycopgConnector(
        conninfo=conninfo(url), min_size=1, max_size=max_size))


def _sender(url: str):
    """This process's open app for deferring (one small pool per database)."""
    key = (os.getpid(), url)
    with _senders_lock:
        app = _senders.get(key)
        if app is None:
            app = _senders[key] = new_app(url, max_size=2).open()
        return app


def close_senders() -> None:
    with _senders_lock:
        for app in _senders.values():
            app.close()
        _senders.clear()


def _delivery(app, job_id: int, kind: str, case_id: int | None, owner_id: int | None):
    """The task ``xiabo.job`` set up for one row: its case's lock, one waiting per row."""
    return app.configure_task(TASK, queue=QUEUE, lock=lock_of(kind, case_id, owner_id),
                              queueing_lock=queueing_lock_of(job_id))


def deliver(db, job_id: int, kind: str, case_id: int | None, owner_id: int | None) -> bool:
    """Tell the queue that job ``job_id`` waits (after its row committed). False when it could
    not; a worker's upkeep then delivers it."""
    from procrastinate.exceptions import AlreadyEnqueued

    try:
        _delivery(_sender(db.url), job_id, kind, case_id, owner_id).defer(job_id=job_id)
    except AlreadyEnqueued:
        pass  # one delivery already waits
    except Exception:  # noqa: BLE001 - the row is queued; upkeep delivers it
        log.exception("job %s: not handed to the queue now; a worker will", job_id)
        return False
    return True


class PgRunner:
    """A ``xiabo worker`` on PostgreSQL: procrastinate's worker runs the task ``xiabo.job``,
    which claims the row and runs it with the same ``Worker.run_job`` as SQLite."""

    def __init__(self, db, concurrency: int = 1, *, stale_after: float | None = None):
        self.db = db
        self.concurrency = concurrency
        self.worker = Worker(db, stale_after=stale_after)
        self.app = new_app(db.url, max_size=concurrency + 4)
        self.app.task(name=TASK, queue=QUEUE, pass_context=False)(self._run)
        self.ran = 0
        self._count = threading.Lock()

    @property
    def name(self) -> str:
        return self.worker.name

    def _run(self, job_id: int) -> None:
        row = rows.claim_id(self.db, job_id, self.worker.name, tuple(self.worker.kinds))
        if row is None:  # ran already, runs elsewhere, or handed on and delivered again
            return
        with self._count:
            self.ran += 1
        self.worker.run_job(row)

    # -- upkeep ---------------------------------------------------------------------------

    async def tend(self) -> None:
        """Hand on dead workers' jobs; deliver queued rows nothing waits for."""
        await asyncio.to_thread(self.worker.reap)
        manager = self.app.job_manager
        for job in await manager.get_stalled_jobs(
                queue=QUEUE, task_name=TASK, seconds_since_heartbeat=self.worker.stale_after):
            await self._hand_on(job)
        waiting = set()
        for status in ("todo", "doing"):
            for job in await manager.list_jobs_async(queue=QUEUE, task=TASK, status=status):
                waiting.add(job.task_kwargs.get("job_id"))
        from procrastinate.exceptions import AlreadyEnqueued

        for job_id, kind, case_id, owner_id in await asyncio.to_thread(
                rows.queued, self.db, timedelta(seconds=DELIVERY_GRACE)):
            if job_id in waiting:
                continue
            try:
                await _delivery(self.app, job_id, kind, case_id, owner_id).defer_async(
                    job_id=job_id)
                log.info("job %s delivered again", job_id)
            except AlreadyEnqueued:
                pass

    async def _hand_on(self, job) -> None:
        """A dead worker's delivery waits again. If it cannot (a newer delivery of the same
        row already waits: the job was retried by hand meanwhile), it is ended as failed in
        procrastinate's records, so that its lock no longer holds the newer one back; the
        ``jobs`` row is the record and is not touched."""
        from procrastinate import exceptions
        from procrastinate.jobs import Status

        manager = self.app.job_manager
        try:
            await manager.retry_job_by_id_async(job.id, retry_at=datetime.now(UTC))
            return
        except exceptions.UniqueViolation:
            pass
        except Exception:  # noqa: BLE001 - another worker handed it on first
            log.debug("stalled delivery %s not retried here", job.id, exc_info=True)
            return
        try:
            await manager.finish_job_by_id_async(job.id, status=Status.FAILED, delete_job=False)
            log.warning("job %s: a dead worker's delivery ended; a newer one waits",
                        job.task_kwargs.get("job_id"))
        except Exception:  # noqa: BLE001 - another worker ended it first
            log.debug("stalled delivery %s not ended here", job.id, exc_info=True)

    async def _sweep(self) -> None:
        await asyncio.to_thread(sweep, self.db)
        await self.app.job_manager.delete_old_jobs(nb_hours=KEEP_FINISHED_HOURS, queue=QUEUE,
                                                   include_failed=True)

    async def _keep(self, stop: threading.Event | None, runner: asyncio.Task) -> None:
        every = self.worker.stale_after / 3
        last_tend = last_sweep = time.monotonic()
        while not runner.done():
            await asyncio.sleep(0.25)
            if stop is not None and stop.is_set():
                runner.cancel()
                return
            now = time.monotonic()
            try:
                if now - last_tend >= every:
                    last_tend = now
                    await self.tend()
                if now - last_sweep >= SWEEP_EVERY:
                    last_sweep = now
                    await self._sweep()
            except Exception:  # noqa: BLE001 - the database went away a moment: keep serving
                log.exception("job worker %s: upkeep failed", self.name)

    # -- running --------------------------------------------------------------------------

    async def serve(self, *, wait: bool = True, stop: threading.Event | None = None,
                    signals: bool = True) -> int:
        """Run jobs until stopped (``wait``), or those waiting now; how many ran here."""
        beat = max(0.2, min(10.0, self.worker.stale_after / 5))
        options = dict(queues=[QUEUE], concurrency=self.concurrency, name=self.name,
                       wait=wait, install_signal_handlers=signals and wait,
                       update_heartbeat_interval=beat,
                       stalled_worker_timeout=self.worker.stale_after,
                       fetch_job_polling_interval=max(1.0, self.worker.stale_after / 3))
        from concurrent.futures import ThreadPoolExecutor

        # procrastinate runs a sync task in the loop's default executor, which holds only
        # min(32, CPUs + 4) threads: ``--threads 8`` on two cores would run six at once
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(
            max_workers=self.concurrency + 4, thread_name_prefix="xiabo-job"))
        async with self.app.open_async():
            await self._sweep()
            await self.tend()
            if not wait:
                await self.app.run_worker_async(**options)
                return self.ran
            runner = asyncio.ensure_future(self.app.run_worker_async(**options))
            keeper = asyncio.ensure_future(self._keep(stop, runner))
            try:
                await runner
            except asyncio.CancelledError:
                if stop is None or not stop.is_set():
                    raise
            finally:
                keeper.cancel()
        return self.ran


def start_thread(url: str, count: int = 1) -> tuple[threading.Event, list]:
    """A procrastinate worker running ``count`` jobs at a time in a thread of this process
    (``xiabo serve`` on PostgreSQL without separate workers); set the event to stop it."""
    from ..store.db import Database

    stop = threading.Event()
    runner = PgRunner(Database(url, pool_size=count + 2), count)

    def main() -> None:
        while not stop.is_set():
            try:
                asyncio.run(runner.serve(stop=stop, signals=False))
            except Exception:  # noqa: BLE001 - the database went away a moment: start again
                log.exception("job worker %s stopped; starting again", runner.name)
                stop.wait(2.0)

    thread = threading.Thread(target=main, daemon=True, name="xiabo-jobs-pg")
    thread.start()
    return stop, [thread]
