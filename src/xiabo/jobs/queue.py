"""What the web asks of the queue: enqueue a job (with its input files), read it as words and
numbers for a page or the API, retry one that was interrupted or failed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import UserError
from ..store import jobs as rows
from ..store.jobs import JobBusy
from ..store.models import utcnow
from .files import job_folder

__all__ = ["JobBusy", "enqueue_job", "job_view", "retry_job"]


def enqueue_job(db, kind: str, case_id: int | None, payload: dict,
                files: dict[str, bytes | Path] | None = None, *,
                owner_id: int | None = None) -> int:
    """A queued job; its ``files`` (bytes, or a file to move in) are in its folder before any
    worker can see it (placed inside the inserting transaction). JobBusy when one of ``kind``
    is active for the case, or (a bulk job: ``case_id`` None) for the same ``owner_id``."""
    from sqlalchemy.exc import IntegrityError

    from ..store.jobs import JobRow

    folder = None
    try:
        with db.write() as s:
            row = JobRow(kind=kind, case_id=case_id, owner_id=owner_id, state="queued",
                         payload_json=json.dumps(payload, ensure_ascii=False),
                         progress_json="{}", attempts=0, created_at=utcnow())
            s.add(row)
            s.flush()
            job_id = row.id
            if files:
                folder = job_folder(job_id)
                shutil.rmtree(folder, ignore_errors=True)  # a reused id (a restored database)
                folder.mkdir(parents=True)
                for name, data in files.items():
                    if isinstance(data, Path):
                        os.replace(data, folder / name)
                    else:
                        (folder / name).write_bytes(data)
    except IntegrityError:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        with db.read() as s:
            from sqlalchemy import select

            same = (JobRow.case_id == case_id) if case_id is not None else \
                (JobRow.case_id.is_(None) & (JobRow.owner_id.is_(None) if owner_id is None
                                             else JobRow.owner_id == owner_id))
            other = s.scalar(select(JobRow.id).where(same, JobRow.kind == kind,
                                                     JobRow.state.in_(rows.ACTIVE)))
        raise JobBusy(other) from None
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    _deliver(db, job_id, kind, case_id, owner_id)  # committed: a worker may take it now
    return job_id


def retry_job(db, job_id: int) -> None:
    """Queue an interrupted or failed job again; UserError in words when another of its kind
    runs for the case or the job cannot be retried."""
    try:
        ok = rows.retry(db, job_id)
    except JobBusy:
        raise UserError("jobs.err.busy", fix_key="jobs.err.busy_fix") from None
    if not ok:
        raise UserError("jobs.err.not_retryable", fix_key="jobs.err.not_retryable_fix")
    row = rows.get(db, job_id)
    _deliver(db, job_id, row.kind, row.case_id, row.owner_id)


def _deliver(db, job_id: int, kind: str, case_id: int | None, owner_id: int | None) -> None:
    """On PostgreSQL the queue (procrastinate) carries the committed row to a worker; on
    SQLite the worker finds it in the table."""
    if db.dialect == "postgresql":
        from .pgqueue import deliver

        deliver(db, job_id, kind, case_id, owner_id)


def job_view(row) -> dict:
    """A job as a page or ``GET /api/jobs/{id}`` shows it: state key, counts, percent, words."""
    progress = row.progress
    total, done = progress.get("total") or 0, progress.get("done") or 0
    if row.state == "done":
        percent = 100
    elif total:
        percent = min(100, int(done * 100 / total))
    else:
        percent = None  # unknown, said as such
    return {"id": row.id, "kind": row.kind, "case_id": row.case_id, "bulk": row.bulk,
            "state": row.state,
            "active": row.active, "attempts": row.attempts, "percent": percent,
            "progress": progress, "result": row.result, "error": row.error,
            "retryable": row.state in ("interrupted", "failed"),
            "created_at": _iso(row.created_at), "started_at": _iso(row.started_at),
            "heartbeat_at": _iso(row.heartbeat_at), "finished_at": _iso(row.finished_at)}


def _iso(moment) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"
