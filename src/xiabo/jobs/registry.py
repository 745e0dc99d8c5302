"""What a job kind is: its function, whether a dead run may simply be run again (resumed), and
the context a function gets (its payload, a folder for its files, progress that the worker's
heartbeat carries to the store)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["KINDS", "JobContext", "JobLost", "Kind", "kind", "load_kinds"]


class JobLost(Exception):
    """The job is no longer this worker's (found dead and handed on): stop without writing."""


@dataclass(frozen=True)
class Kind:
    name: str
    run: Callable[[JobContext], dict | None]
    resumable: bool  # a dead run is queued again (the function picks up from its progress)
    keeps_files: bool = False  # a done job's folder holds its output (kept a day, see files)


KINDS: dict[str, Kind] = {}


def kind(name: str, *, resumable: bool, keeps_files: bool = False) -> Callable:
    """Register a job function under ``name``."""

    def register(fn: Callable[[JobContext], dict | None]) -> Callable:
        KINDS[name] = Kind(name, fn, resumable, keeps_files)
        return fn

    return register


def load_kinds() -> dict[str, Kind]:
    """Every built-in kind (importing a kind's module registers it)."""
    from . import backup, opinion  # noqa: F401
    from .followups import run_followups  # noqa: F401
    from .imports import run_import  # noqa: F401
    from .kits import run_kits  # noqa: F401
    from .orders import run_orders_check  # noqa: F401
    from .privacy import run_privacy_scan  # noqa: F401

    return KINDS


@dataclass
class JobContext:
    """What a running job function sees. ``progress`` is shared with the heartbeat thread,
    which writes it to the store every few seconds; ``checkpoint`` writes it now (after a step
    that must not be done twice on a resume)."""

    db: object
    job_id: int
    case_id: int | None  # None: a bulk job (its cases are in its payload)
    payload: dict
    progress: dict
    folder: Path
    attempt: int
    owner_id: int | None = None  # who started a bulk job (None: the local user)
    worker: str = ""  # the worker running it (``store.jobs.save_progress`` checks it)
    _flush: Callable[[], None] = field(repr=False, default=lambda: None)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # held while the progress is written to the store (the heartbeat; a chunk that records
    # its progress in its own transaction): an older snapshot never overwrites a newer one
    persist: threading.Lock = field(default_factory=threading.Lock, repr=False)
    lost: threading.Event = field(default_factory=threading.Event, repr=False)

    def update(self, **values) -> None:
        if self.lost.is_set():
            raise JobLost()
        with self.lock:
            self.progress.update(values)

    def add(self, **amounts: int) -> None:
        if self.lost.is_set():
            raise JobLost()
        with self.lock:
            for key, n in amounts.items():
                self.progress[key] = self.progress.get(key, 0) + n

    def record_in(self, session, values: dict) -> None:
        """In the caller's transaction (hold ``persist``): the progress with ``values``,
        written with the work it describes; the progress seen here follows when that commits.
        JobLost (the transaction rolls back) when the job is no longer this worker's."""
        from sqlalchemy import event

        from ..store.jobs import save_progress

        def committed(_session) -> None:
            with self.lock:
                self.progress.update(values)

        with self.lock:
            new = {**self.progress, **values}
        if not save_progress(session, self.job_id, self.worker, new):
            self.lost.set()
            raise JobLost()
        event.listen(session, "after_commit", committed, once=True)

    def checkpoint(self, **values) -> None:
        """Record ``values`` in the store before going on (raises JobLost if not ours)."""
        self.update(**values)
        self._flush()
