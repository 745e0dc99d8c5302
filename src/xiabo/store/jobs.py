"""The ``jobs`` table: long work (a backup, an opinion import) queued, claimed and watched.

Why a table and not threads in memory: a web process only enqueues a row and reads its
progress; any worker (a thread of ``xiabo serve`` on SQLite, ``xiabo worker`` processes on any
machine that reaches PostgreSQL) claims it. "One job per case and kind at a time" is a unique
partial index over the active states, so two web processes cannot start two backups of a case.
A claim is ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL and a ``BEGIN IMMEDIATE``
transaction on SQLite (one writer at a time). Workers heartbeat; a running job whose heartbeat
stopped is found dead by ``stale``. What the job functions are lives in ``xiabo.jobs``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow

__all__ = ["ACTIVE", "ENDED", "JobRow", "JobBusy", "claim", "claim_id", "finish", "get",
           "heartbeat", "queued", "recent", "requeue_or_interrupt", "retry",
           "save_progress", "stale"]

ACTIVE = ("queued", "running")
ENDED = ("done", "failed", "interrupted")
_ACTIVE_SQL = "state IN ('queued', 'running')"
_BULK_SQL = "case_id IS NULL AND state IN ('queued', 'running')"


class JobBusy(Exception):
    """A job of this kind is already queued or running for the case (or, for a bulk job, for
    the same owner)."""

    def __init__(self, job_id: int | None):
        super().__init__(job_id)
        self.job_id = job_id


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("uq_jobs_one_active", "case_id", "kind", unique=True,
              sqlite_where=text(_ACTIVE_SQL), postgresql_where=text(_ACTIVE_SQL)),
        Index("ix_jobs_state", "state", "id"),
        Index("ix_jobs_case", "case_id", "kind", "id"),
        # a bulk job (no case): one active per kind and owner, the local user (no id) as 0
        Index("uq_jobs_one_bulk", "kind", text("coalesce(owner_id, 0)"), unique=True,
              sqlite_where=text(_BULK_SQL), postgresql_where=text(_BULK_SQL)),
        Index("ix_jobs_owner", "owner_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                                nullable=True)  # None: a bulk job
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", name="fk_jobs_owner_id_users"),
        nullable=True)  # who started a bulk job (None: the local user)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    payload_json: Mapped[str] = mapped_column(Text, default="{}")
    progress_json: Mapped[str] = mapped_column(Text, default="{}")
    result_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(120), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    @property
    def payload(self) -> dict:
        return json.loads(self.payload_json or "{}")

    @property
    def progress(self) -> dict:
        return json.loads(self.progress_json or "{}")

    @property
    def result(self) -> dict | None:
        return json.loads(self.result_json) if self.result_json else None

    @property
    def error(self) -> dict | None:
        return json.loads(self.error_json) if self.error_json else None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def bulk(self) -> bool:
        return self.case_id is None


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def claim(db, worker: str, kinds: tuple[str, ...]) -> JobRow | None:
    """The oldest queued job of ``kinds``, now running on ``worker``; None when there is none.

    A plain read first: an idle worker polls often, and on SQLite a write transaction takes
    the database's one write lock, even for a moment."""
    with db.read() as s:
        if s.scalar(select(JobRow.id).where(JobRow.state == "queued", JobRow.kind.in_(kinds))
                    .limit(1)) is None:
            return None
    with db.write() as s:
        query = (select(JobRow).where(JobRow.state == "queued", JobRow.kind.in_(kinds))
                 .order_by(JobRow.id).limit(1))
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return _take(s, s.scalar(query), worker)


def claim_id(db, job_id: int, worker: str, kinds: tuple[str, ...]) -> JobRow | None:
    """Job ``job_id``, now running on ``worker``, if it is queued and of ``kinds``; else None
    (it already ran, runs elsewhere, or this worker does not know its kind). The queue of
    PostgreSQL (procrastinate) delivers a job's id; the row is still the record."""
    with db.write() as s:
        query = select(JobRow).where(JobRow.id == job_id, JobRow.state == "queued",
                                     JobRow.kind.in_(kinds))
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return _take(s, s.scalar(query), worker)


def queued(db, older_than: timedelta = timedelta(0)
           ) -> list[tuple[int, str, int | None, int | None]]:
    """Every job queued before ``older_than`` ago, as (id, kind, case id, owner id), oldest
    first."""
    with db.read() as s:
        return [tuple(r) for r in s.execute(
            select(JobRow.id, JobRow.kind, JobRow.case_id, JobRow.owner_id)
            .where(JobRow.state == "queued", JobRow.created_at <= utcnow() - older_than)
            .order_by(JobRow.id))]


def _take(s, row: JobRow | None, worker: str) -> JobRow | None:
    if row is None:
        return None
    now = utcnow()
    row.state, row.worker, row.attempts = "running", worker, (row.attempts or 0) + 1
    row.started_at = row.started_at or now
    row.heartbeat_at = now
    s.flush()
    s.expunge(row)
    return row


def heartbeat(db, job_id: int, worker: str, progress: dict | None = None) -> bool:
    """Still alive (and the progress so far); False when the job is no longer this worker's
    (found dead and handed on, or cancelled): the worker must stop."""
    values: dict = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress_json"] = _dump(progress)
    return _update_own(db, job_id, worker, values)


def _update_own(db, job_id: int, worker: str, values: dict) -> bool:
    """Write ``values`` to the job if it is still running on ``worker``; whether it was."""
    with db.write() as s:
        done = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker,
                                              JobRow.state == "running").values(**values))
        return done.rowcount == 1


def save_progress(session, job_id: int, worker: str, progress: dict) -> bool:
    """In the caller's transaction: the job's progress (a chunk of work and the note that it is
    done commit together); False when the job is no longer this worker's (roll back)."""
    done = session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.worker == worker,
                                                JobRow.state == "running")
                           .values(progress_json=_dump(progress), heartbeat_at=utcnow()))
    return done.rowcount == 1


def finish(db, job_id: int, worker: str, state: str, *, result: dict | None = None,
           error: dict | None = None, progress: dict | None = None) -> bool:
    """Mark a running job ended (done or failed) if it is still this worker's."""
    values: dict = {"state": state, "finished_at": utcnow(), "heartbeat_at": utcnow(),
                    "result_json": _dump(result) if result is not None else None,
                    "error_json": _dump(error) if error is not None else None}
    if progress is not None:
        values["progress_json"] = _dump(progress)
    return _update_own(db, job_id, worker, values)


def stale(db, older_than: timedelta) -> list[JobRow]:
    """Running jobs whose worker has not heartbeaten for ``older_than``: their worker died."""
    limit = utcnow() - older_than
    with db.read() as s:
        rows = list(s.scalars(select(JobRow).where(JobRow.state == "running",
                                                   JobRow.heartbeat_at < limit)))
        for row in rows:
            s.expunge(row)
        return rows


def requeue_or_interrupt(db, job_id: int, heartbeat_at: datetime | None, *, requeue: bool,
                         error: dict | None = None) -> bool:
    """Hand a dead job on: queued again (its function resumes) or interrupted (words in
    ``error``). Only if it is still the same dead run (its heartbeat unchanged)."""
    values: dict = {"worker": None}
    if requeue:
        values["state"] = "queued"
    else:
        values.update(state="interrupted", finished_at=utcnow(),
                      error_json=_dump(error) if error is not None else None)
    with db.write() as s:
        done = s.execute(update(JobRow).where(JobRow.id == job_id, JobRow.state == "running",
                                              JobRow.heartbeat_at == heartbeat_at)
                         .values(**values))
        return done.rowcount == 1


def retry(db, job_id: int) -> bool:
    """An interrupted or failed job queued again (same payload, progress kept for resuming);
    JobBusy when another job of its kind is active for the case."""
    try:
        with db.write() as s:
            done = s.execute(update(JobRow).where(JobRow.id == job_id,
                                                  JobRow.state.in_(("interrupted", "failed")))
                             .values(state="queued", worker=None, error_json=None,
                                     finished_at=None))
            return done.rowcount == 1
    except IntegrityError:
        raise JobBusy(None) from None


def get(db, job_id: int) -> JobRow | None:
    with db.read() as s:
        row = s.get(JobRow, job_id)
        if row is not None:
            s.expunge(row)
        return row


def recent(db, case_id: int, kind: str, limit: int = 5) -> list[JobRow]:
    with db.read() as s:
        rows = list(s.scalars(select(JobRow).where(JobRow.case_id == case_id, JobRow.kind == kind)
                              .order_by(JobRow.id.desc()).limit(limit)))
        for row in rows:
            s.expunge(row)
        return rows

