"""Case repository: insert, read, change under a row lock (the listing: store.dashboard).

The store persists and queries; it plans nothing. Every change goes through
:func:`change_case`: lock the case row, let the caller (``xiabo.cases.stored``, which plans)
change it and hand back the derived task rows, rewrite them, bump the version, write an audit
entry, all in one transaction, so concurrent clients never lose each other's updates.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select

from ..errors import UserError
from ..paths import case_slug
from .actors import Actor, can_see, visible_condition
from .dashboard import (
    CaseFilter,
    change_stamp,
    dashboard_data,
    dashboard_summary,
    list_cases,
    upcoming_milestones,
)
from .db import Database
from .models import AuditEntry, Case, CaseTask, User, utcnow

__all__ = [
    "Actor",
    "CaseFilter",
    "NotFound",
    "assign_operator",
    "audit",
    "case_by_token",
    "change_case",
    "change_stamp",
    "insert_cases",
    "dashboard_data",
    "dashboard_summary",
    "get_case",
    "list_cases",
    "new_calendar_token",
    "new_case",
    "require_case",
    "revoke_calendar_token",
    "set_status",
    "upcoming_milestones",
    "visible_condition",
]


class NotFound(UserError):
    """A case or task that does not exist, or that this user may not see (they look alike)."""


def audit(session, actor: Actor | None, action: str, case_id: int | None = None,
          **detail: Any) -> None:
    session.add(AuditEntry(user_id=actor.id if actor else None,
                           user_name=actor.name if actor else None, case_id=case_id,
                           action=action, detail=json.dumps(detail, ensure_ascii=False,
                                                            default=str)))


def _unique_key(session, name: str) -> str:
    """A readable unique key (shown, used in file names); folders go by id (Case.folder)."""
    base = case_slug(name)[:180].rstrip("-.") or "case"
    key, n = base, 1
    while session.execute(select(Case.id).where(Case.key == key)).first() is not None:
        n += 1
        key = f"{base}-{n}"
    return key


def new_case(*, today: date, operator_id: int | None = None) -> Case:
    """A case not stored yet, to be filled (profile, plan columns) before ``insert_cases``."""
    return Case(key="", status="active", version=1, operator_id=operator_id, baseline_at=today,
                created_at=utcnow(), updated_at=utcnow(), ics_token=None)


def insert_cases(db: Database, cases: list[tuple[Case, list[dict], dict]], *,
                 actor: Actor | None = None,
                 also: Callable[[Any], None] | None = None) -> list[Case]:
    """Store filled new cases ``(case, task rows, audit detail)`` in one transaction with their
    audit entries; ``also(session)`` runs last in the same transaction (a job records how far
    it got, so a chunk and its record commit or fail together)."""
    with db.write() as s:
        for case, rows, detail in cases:
            case.key = _unique_key(s, case.name or "")
            s.add(case)
            s.flush()
            if rows:
                s.execute(insert(CaseTask), [{"case_id": case.id, **r} for r in rows])
            audit(s, actor, "case.create", case.id, **(detail or {}))
        if also is not None:
            also(s)
    return [case for case, _, _ in cases]


MAX_ID = 2**31 - 1


def _valid_id(case_id) -> bool:
    return isinstance(case_id, int) and 0 < case_id <= MAX_ID


def get_case(db: Database, case_id: int, *, with_satellites: bool = False) -> Case | None:
    """The case, or None; ``with_satellites`` also counts its letters and opinion data in the
    same statement (``store.satellites``: the case page)."""
    if not _valid_id(case_id):
        return None
    if with_satellites:
        from .satellites import load_with_satellites

        return load_with_satellites(db, case_id)
    with db.read() as s:
        return s.get(Case, case_id)


def require_case(db: Database, case_id: int, actor: Actor, *,
                 with_satellites: bool = False) -> Case:
    """The case if it exists and ``actor`` may see it; else NotFound.

    (A case the actor may not see looks exactly like a missing one.)
    """
    case = get_case(db, case_id, with_satellites=with_satellites)
    if case is None or not can_see(actor, case):
        raise NotFound("web.errors.case_not_found", {"id": case_id})
    return case


def _locked(session, case_id: int) -> Case | None:
    """The case row, locked for this transaction (PostgreSQL; SQLite has BEGIN IMMEDIATE)."""
    return session.execute(select(Case).where(Case.id == case_id).with_for_update()
                           ).scalar_one_or_none()


@contextmanager
def _visible_case(db: Database, case_id: int, actor: Actor):
    """A write transaction with the case row locked, if ``actor`` may see it; else NotFound."""
    if not _valid_id(case_id):
        raise NotFound("web.errors.case_not_found", {"id": case_id})
    with db.write() as s:
        case = _locked(s, case_id)
        if case is None or not can_see(actor, case):
            raise NotFound("web.errors.case_not_found", {"id": case_id})
        yield s, case


def change_case(db: Database, case_id: int, actor: Actor, action: str,
                change: Callable[[Case], list[dict] | None], detail: dict) -> Case:
    """Lock the case (if ``actor`` may see it), let ``change(case)`` change it; the task rows it
    returns replace the stored ones (None: the rows stay); bump, audit; one transaction."""
    with _visible_case(db, case_id, actor) as (s, case):
        rows = change(case)
        case.version += 1
        case.updated_at = utcnow()
        if rows is not None:
            s.execute(delete(CaseTask).where(CaseTask.case_id == case.id))
            if rows:
                s.execute(insert(CaseTask), [{"case_id": case.id, **r} for r in rows])
        audit(s, actor, action, case.id, **detail)
    return case


def set_status(db: Database, case_id: int, status: str, *, actor: Actor) -> Case:
    with _visible_case(db, case_id, actor) as (s, case):
        if status == "archived":
            case.status = "archived"
        else:
            case.status = "finished" if case.tasks_total and case.tasks_done == case.tasks_total \
                else "active"
        case.version += 1
        case.updated_at = utcnow()
        audit(s, actor, "case.status", case.id, status=case.status)
    return case


def assign_operator(db: Database, case_id: int, operator_id: int | None, *,
                    actor: Actor) -> None:
    if not _valid_id(case_id) or (operator_id is not None and not _valid_id(operator_id)):
        raise NotFound("web.errors.case_not_found", {"id": case_id})
    with db.write() as s:
        case = s.get(Case, case_id)
        if case is None:
            raise NotFound("web.errors.case_not_found", {"id": case_id})
        if operator_id is not None:
            user = s.get(User, operator_id)
            if user is None or user.role != "operator":
                raise UserError("web.errors.not_operator", {"id": operator_id}, field="operator")
        case.operator_id = operator_id
        case.updated_at = utcnow()
        audit(s, actor, "case.assign", case.id, operator=operator_id)


def _set_calendar_token(db: Database, case_id: int, token: str | None, action: str,
                        actor: Actor) -> None:
    with _visible_case(db, case_id, actor) as (s, case):
        case.ics_token = token
        audit(s, actor, action, case.id)


def new_calendar_token(db: Database, case_id: int, *, actor: Actor) -> str:
    """A fresh unguessable token for the case's .ics feed (the old one stops working)."""
    token = secrets.token_urlsafe(32)
    _set_calendar_token(db, case_id, token, "calendar.new", actor)
    return token


def revoke_calendar_token(db: Database, case_id: int, *, actor: Actor) -> None:
    """Turn the case's calendar feed off."""
    _set_calendar_token(db, case_id, None, "calendar.revoke", actor)


def case_by_token(db: Database, token: str) -> Case | None:
    if not token or len(token) < 20:
        return None
    with db.read() as s:
        case = s.execute(select(Case).where(Case.ics_token == token)).scalar_one_or_none()
    if case is None or not secrets.compare_digest(case.ics_token or "", token):
        return None
    return case
