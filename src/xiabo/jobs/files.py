"""Each job's folder (``<data>/jobs/<id>/``): an upload waiting to be imported, scratch files.

Kept while the job may still run (queued, running, or handed on to another worker), removed
when it ends or is found dead and interrupted; a sweep at worker start (and every ten minutes
while it runs) removes the folders of jobs that ended while no worker was there to tidy (a
killed process). A done job whose output is a file to download (the kits of many cases) keeps
its folder for a day after it ended (``KEEP_OUTPUT``); the sweep then removes it."""

from __future__ import annotations

import shutil
from pathlib import Path

__all__ = ["KEEP_OUTPUT", "incoming_folder", "job_folder", "jobs_root", "output_kept_until",
           "remove_folder", "shown_error", "sweep"]

INCOMING_MAX_AGE = 3600  # seconds an upload may wait in ``incoming`` (a request died)
KEEP_OUTPUT = 24 * 3600  # seconds a done job's output stays downloadable


def jobs_root() -> Path:
    from ..paths import data_dir

    return data_dir() / "jobs"


def job_folder(job_id: int) -> Path:
    return jobs_root() / str(int(job_id))


def incoming_folder() -> Path:
    """Where a request's uploads wait while it checks them, before they move into a job's
    folder; what a killed request left there is swept after an hour."""
    return jobs_root() / "incoming"


def remove_folder(job_id: int) -> None:
    shutil.rmtree(job_folder(job_id), ignore_errors=True)


def output_kept_until(finished_at):
    """When a done job's output file is removed (a UTC datetime), or None if not finished."""
    from datetime import timedelta

    return None if finished_at is None else finished_at + timedelta(seconds=KEEP_OUTPUT)


def sweep(db) -> list[int]:
    """Remove the folders of jobs that are not active (ended, or no such job) and older than
    an hour, but not a done job's output younger than ``KEEP_OUTPUT``; their ids. (An ended
    job's own folder is removed by the worker that ended it, unless it holds an output.)"""
    import time
    from datetime import timedelta

    from sqlalchemy import select

    from ..store.jobs import ACTIVE, JobRow
    from ..store.models import utcnow

    root = jobs_root()
    try:
        for left in incoming_folder().iterdir():
            if time.time() - left.stat().st_mtime > INCOMING_MAX_AGE:
                shutil.rmtree(left, ignore_errors=True)
    except OSError:
        pass
    try:
        ids = [int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()]
    except OSError:
        return []
    if not ids:
        return []
    with db.read() as s:
        active = set(s.scalars(select(JobRow.id).where(JobRow.id.in_(ids),
                                                       JobRow.state.in_(ACTIVE))))
        since = utcnow() - timedelta(seconds=KEEP_OUTPUT)
        active |= set(s.scalars(select(JobRow.id).where(JobRow.id.in_(ids),
                                                        JobRow.state == "done",
                                                        JobRow.finished_at > since)))
    # a folder is written just before its job's row is committed: leave young ones alone
    young = set()
    for i in ids:
        try:
            if time.time() - job_folder(i).stat().st_mtime < INCOMING_MAX_AGE:
                young.add(i)
        except OSError:
            pass
    gone = [i for i in ids if i not in active and i not in young]
    for job_id in gone:
        remove_folder(job_id)
    return gone


def shown_error(err, path: Path, name: str):
    """``err`` (a UserError) with every mention of the stored path replaced by the user's file
    name: a job's (or a request's parked) copy of an upload is never named to the user."""
    from ..errors import UserError

    where = str(path)
    params = {k: (v.replace(where, name) if isinstance(v, str) else v)
              for k, v in (err.params or {}).items()}
    return UserError(err.key, params, field=err.field, fix_key=err.fix_key, file=name)
