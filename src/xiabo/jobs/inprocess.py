"""Workers as threads of the web process: the embedded default (``xiabo serve`` on SQLite, one
machine) needs no extra service. ``XIABO_INPROCESS_WORKER=0`` turns them off where separate
``xiabo worker`` processes run the jobs (an agency's deployment)."""

from __future__ import annotations

import os
import threading

__all__ = ["start_threads", "wanted"]


def wanted() -> bool:
    return os.environ.get("XIABO_INPROCESS_WORKER", "1").lower() not in ("0", "false", "no")


def start_threads(url: str | None = None, count: int = 1) -> tuple[threading.Event, list]:
    """``count`` worker threads over the database at ``url``; set the event to stop them.
    On PostgreSQL one thread runs the queue's worker with ``count`` jobs at a time."""
    from ..store.db import Database, database_url
    from .worker import Worker

    url = database_url(url)
    if url.startswith("postgresql"):
        from .pgqueue import start_thread

        return start_thread(url, count)

    stop = threading.Event()
    threads = []
    for i in range(count):
        worker = Worker(Database(url, pool_size=2))
        thread = threading.Thread(target=worker.run, args=(stop,), daemon=True,
                                  name=f"xiabo-jobs-{i}")
        thread.start()
        threads.append(thread)
    return stop, threads
