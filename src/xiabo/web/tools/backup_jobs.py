"""Backups started from the web page, as jobs of the queue (``xiabo.jobs``, kind ``backup``).

The request only enqueues (the ``jobs`` table's unique index refuses a second backup of a case,
whichever web process asks); a worker bags and verifies (``xiabo.jobs.backup``); the pages read
the job's row. A backup whose worker died is queued again and resumes its partial bag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import UserError

__all__ = ["BackupJob", "find_job", "recent_jobs", "start_job"]

RUNNING = ("queued", "copying", "verifying")


@dataclass
class BackupJob:
    """What the backup pages show of a job row (the old in-memory job's fields)."""

    id: int
    case_id: int
    sources: list[str]
    dests: list[str]
    data_class: str
    state: str  # queued, copying, verifying, done, failed, interrupted
    total_bytes: int = 0
    total_files: int = 0
    done_bytes: int = 0
    done_files: int = 0
    bags: list[str] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    error: dict | None = None
    started_at: str = ""
    finished_at: str = ""
    attempts: int = 0

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    @property
    def retryable(self) -> bool:
        return self.state in ("failed", "interrupted")

    @property
    def percent(self) -> int:
        if not self.total_bytes:
            return 100 if self.state == "done" else 0
        return min(100, int(self.done_bytes * 100 / self.total_bytes))

    def as_dict(self) -> dict:
        from dataclasses import asdict

        out = asdict(self)
        out["percent"] = self.percent
        return out


def _view(row) -> BackupJob:
    p, g = row.payload, row.progress
    state = g.get("phase") or "copying" if row.state == "running" else row.state
    if state == "done" and row.state == "running":
        state = "verifying"
    result = row.result or {}
    return BackupJob(id=row.id, case_id=row.case_id, sources=p.get("sources", []),
                     dests=p.get("dests", []), data_class=p.get("data_class", "other"),
                     state=state, total_bytes=g.get("total", 0),
                     total_files=g.get("total_files", 0), done_bytes=g.get("done", 0),
                     done_files=g.get("done_files", 0),
                     bags=result.get("bags") or g.get("bags") or [],
                     checks=result.get("checks") or g.get("checks") or [], error=row.error,
                     started_at=_stamp(row.started_at or row.created_at),
                     finished_at=_stamp(row.finished_at), attempts=row.attempts or 0)


def _stamp(moment) -> str:
    return "" if moment is None else moment.isoformat(timespec="seconds")


def find_job(db, case_id: int, job_id: str) -> BackupJob | None:
    """The case's backup job ``job_id`` (None: not a number, another case's, or not a backup)."""
    from ...store.jobs import get

    if not job_id.isdigit() or len(job_id) > 12:
        return None
    row = get(db, int(job_id))
    if row is None or row.case_id != case_id or row.kind != "backup":
        return None
    return _view(row)


def recent_jobs(db, case_id: int, limit: int = 5) -> list[BackupJob]:
    from ...store.jobs import recent

    return [_view(row) for row in recent(db, case_id, "backup", limit)]


def start_job(db, *, case_key: str, case_id: int, sources: list[str], dests: list[str],
              data_class: str, media: str | None, offsite: bool,
              platform: str | None) -> int:
    """Queue a backup; refuses a second one for the same case while one is queued or runs."""
    from ...jobs import JobBusy, enqueue_job

    try:
        return enqueue_job(db, "backup", case_id, {
            "case_key": case_key, "sources": sources, "dests": dests, "data_class": data_class,
            "media": media, "offsite": offsite, "platform": platform})
    except JobBusy:
        raise UserError("reach.backup.busy", fix_key="reach.backup.busy_fix") from None
