"""Bags under construction: ``DEST/.<name>.partial-<job>`` plus a lock file beside it.

A bag only gets its final name by an atomic rename once every byte is written and synced, so an
interrupted run (kill -9, power cut, unplugged NAS) can never leave something that passes for a
complete bag. The next run finds such leftovers: if nobody holds their lock, the same job resumes
from its journal and anything else is deleted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .copier import JOURNAL

__all__ = ["PARTIAL_RE", "Busy", "Partial", "partial_dirname", "scan_partials"]

PARTIAL_RE = re.compile(r"^\.(?P<name>.+)\.partial-(?P<job>[0-9a-f]{12})$")


class Busy(Exception):
    """Another running xiabo process is building this very backup."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class _NoLock:
    def release(self) -> None:
        pass


def partial_dirname(name: str, job: str) -> str:
    return f".{name}.partial-{job}"


@dataclass(eq=False)
class Partial:
    """A partial bag we hold the lock of."""

    dest: Path
    name: str
    job: str
    lock: object = None
    resumed: bool = False
    previous: dict[str, dict] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.dest / partial_dirname(self.name, self.job)

    @property
    def lock_path(self) -> Path:
        return self.dest / (partial_dirname(self.name, self.job) + ".lock")

    @property
    def final(self) -> Path:
        return self.dest / self.name

    def acquire(self) -> bool:
        """Take the lock without waiting; False if another process holds it."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.lock_path), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return False
        except NotImplementedError:  # a share without any file locking: go on unlocked
            self.lock = _NoLock()
            return True
        self.lock = lock
        return True

    def release(self, remove_lock_file: bool = True) -> None:
        if self.lock is None:
            return
        if remove_lock_file:
            try:
                os.unlink(self.lock_path)
            except OSError:
                pass
        self.lock.release()
        self.lock = None

    def load_journal(self) -> None:
        """Read what an interrupted run finished (a torn last line is simply ignored)."""
        self.previous = {}
        try:
            with open(self.path / JOURNAL, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                        self.previous[entry["rel"]] = entry
                    except (ValueError, KeyError, TypeError):
                        continue
        except OSError:
            pass

    def remove(self) -> None:
        """Delete the partial bag (best effort: an unplugged disk cannot be cleaned now)."""
        shutil.rmtree(self.path, ignore_errors=True)


def scan_partials(dest: Path, job: str, name: str | None) -> tuple[list[Partial], list[str]]:
    """Claim stale partial bags in ``dest``.

    Returns (partials of this job we now hold locks on, paths of stale partials deleted).
    Raises ``Busy`` when a live process is building this same job.
    """
    mine: list[Partial] = []
    cleaned: list[str] = []
    try:
        entries = sorted(os.listdir(dest))
    except OSError:
        return mine, cleaned
    for entry in entries:
        m = PARTIAL_RE.match(entry)
        if not m or not (dest / entry).is_dir():
            continue
        part = Partial(dest, m.group("name"), m.group("job"))
        try:
            got = part.acquire()
        except OSError:
            continue
        if not got:
            if part.job == job:
                raise Busy(str(part.path))
            continue  # another job, still running: leave it alone
        if not part.path.exists():  # finished between listing and locking
            part.release()
            continue
        if part.job == job and (name is None or part.name == name) and not mine:
            part.resumed = True
            part.load_journal()
            mine.append(part)
            continue
        part.remove()
        cleaned.append(str(part.path))
        part.release()
    return mine, cleaned
