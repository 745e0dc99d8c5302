"""The tables of the store: cases (profile, stored plan, baseline), their tasks, users, audit.

The profile JSON is the source of truth of a case (its ``progress`` records done tasks); the
plan JSON and the ``case_tasks`` rows are derived from it on every change, so the agency
dashboard aggregates in SQL without re-planning. Timestamps are naive UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "CASE_STATUSES",
    "ROLES",
    "AuditEntry",
    "Base",
    "Case",
    "CaseDoc",
    "CaseTask",
    "LoginAttempt",
    "PairingLink",
    "PhoneSession",
    "User",
    "WebSession",
    "utcnow",
]

ROLES = ("admin", "operator", "streamer", "adviser")  # adviser: a streamer's own, bound to one case
CASE_STATUSES = ("active", "finished", "archived")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    # a streamer's own case (no FK: cases reference users, this avoids a cycle)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # shown; folders use .folder
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True,
                                                    nullable=True)
    baseline_at: Mapped[date] = mapped_column(Date)
    plan_today: Mapped[date] = mapped_column(Date)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    tasks_total: Mapped[int] = mapped_column(Integer, default=0)
    tasks_done: Mapped[int] = mapped_column(Integer, default=0)
    # earliest due date of an open task: "has overdue tasks" is first_open_due < today
    first_open_due: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    ics_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # the large JSON documents live in their own table so that ``cases`` stays narrow (the
    # dashboard scans and counts it); they load with the case in the same query
    doc: Mapped[CaseDoc] = relationship(lazy="joined", innerjoin=True, uselist=False,
                                          cascade="all, delete-orphan")

    @property
    def folder(self) -> str:
        """The case's name for folders (evidence, backup, jobs): ``#<id>``, see xiabo.paths."""
        from ..paths import case_ref

        return case_ref(self.id)

    def _doc(self) -> CaseDoc:
        if self.doc is None:
            self.doc = CaseDoc()
        return self.doc

    @property
    def profile_json(self) -> str:
        return self.doc.profile_json

    @profile_json.setter
    def profile_json(self, value: str) -> None:
        self._doc().profile_json = value

    @property
    def plan_json(self) -> str:
        return self.doc.plan_json

    @plan_json.setter
    def plan_json(self, value: str) -> None:
        self._doc().plan_json = value

    @property
    def baseline_json(self) -> str:
        return self.doc.baseline_json

    @baseline_json.setter
    def baseline_json(self, value: str) -> None:
        self._doc().baseline_json = value


class CaseDoc(Base):
    """A case's profile (the source of truth), its stored plan and its baseline."""

    __tablename__ = "case_docs"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    profile_json: Mapped[str] = mapped_column(Text)
    # the stored plan is large and pages re-plan from the profile: load it only when asked
    plan_json: Mapped[str] = mapped_column(Text, deferred=True, deferred_raiseload=False)
    baseline_json: Mapped[str] = mapped_column(Text)


class CaseTask(Base):
    __tablename__ = "case_tasks"
    __table_args__ = (Index("ix_case_tasks_due", "due"),
                      Index("ix_case_tasks_open", "case_id", "done", "due"),
                      Index("ix_case_tasks_open_due", "due", "case_id",
                            sqlite_where=text("done IS NULL"),
                            postgresql_where=text("done IS NULL")))

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    task_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str] = mapped_column(String(500))
    module: Mapped[str] = mapped_column(String(30))
    start: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    done: Mapped[date | None] = mapped_column(Date, nullable=True)
    critical: Mapped[bool] = mapped_column(Boolean, default=False)
    milestone: Mapped[str | None] = mapped_column(String(50), nullable=True)


class WebSession(Base):
    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    case_id: Mapped[int | None] = mapped_column(Integer, index=True, nullable=True)
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="{}")




class PairingLink(Base):
    """A one-time link that pairs a phone with one case (only the token's SHA-256 is kept)."""

    __tablename__ = "pairing_links"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class PhoneSession(Base):
    """A paired phone's session: it sees one case, nothing else."""

    __tablename__ = "phone_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie token
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
