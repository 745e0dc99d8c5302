"""Case repository: create, read, record progress (the dashboard's listing: store.dashboard).

Every change goes through :func:`_apply`: lock the case row, change the profile, re-plan,
rewrite the derived rows, bump the version, write an audit entry, all in one transaction, so
concurrent clients never lose each other's updates.
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
from .plans import (
    baseline_of,
    build,
    build_case,
    case_facts,
    diff_baseline,
    opinion_facts,
    orders_close,
    profile_to_json,
    validate_profile,
)

__all__ = [
    "Actor",
    "CaseFilter",
    "NotFound",
    "assign_operator",
    "audit",
    "case_by_token",
    "change_stamp",
    "create_case",
    "dashboard_data",
    "dashboard_summary",
    "get_case",
    "list_cases",
    "mark_task",
    "new_calendar_token",
    "require_case",
    "reset_baseline",
    "revoke_calendar_token",
    "set_dates",
    "set_status",
    "upcoming_milestones",
    "update_profile",
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


def _derive(case: Case, profile_json: str, today: date) -> list[dict]:
    """Fill the plan-derived columns of ``case``; return its task rows."""
    platform = json.loads(profile_json).get("platform", case.platform or "")
    evidence, found = (case_facts(case.folder, platform, today) if case.id is not None
                       else (None, None))  # a new case has no folder yet
    opinion = opinion_facts(case) if case.id is not None else None
    shop = orders_close(case.folder, today) if case.id is not None else None
    plan = build(profile_json, today, "zh", evidence=evidence, backups=found, opinion=opinion,
                 orders_close=shop)
    plan_en = build(profile_json, today, "en", evidence=evidence, backups=found, opinion=opinion,
                    orders_close=shop)
    titles_en = {t.id: t.title for t in plan_en.tasks}
    case.profile_json = profile_json
    case.plan_json = json.dumps(plan.to_dict(), ensure_ascii=False)
    case.plan_today = today
    case.name = plan.name
    case.platform = plan.platform
    case.start = plan.start
    case.end = plan.end
    case.tasks_total = len(plan.tasks)
    case.tasks_done = sum(1 for t in plan.tasks if t.done)
    # an overdue task's row keeps the end it was planned for, so "due < today" finds it
    # (and the most overdue sorts first) however the live plan re-planned it
    dues = {t.id: t.planned_due if t.status == "overdue" and t.planned_due else t.due
            for t in plan.tasks}
    case.first_open_due = min((dues[t.id] for t in plan.tasks if t.done is None), default=None)
    if case.status != "archived":
        case.status = "finished" if case.tasks_total and case.tasks_done == case.tasks_total \
            else "active"
    return [{"task_id": t.id, "title_zh": t.title[:500],
             "title_en": titles_en.get(t.id, t.title)[:500],
             "module": t.module, "start": t.start, "due": dues[t.id], "done": t.done,
             "critical": t.critical, "milestone": t.milestone} for t in plan.tasks]


def create_case(db: Database, profile: dict, *, today: date, actor: Actor | None = None,
                operator_id: int | None = None, source: str = "<web>") -> Case:
    """Validate ``profile``, plan it, store it with its baseline. Start defaults to today."""
    data = dict(profile)
    if not data.get("start"):
        data["start"] = today.isoformat()
    prof = validate_profile(data, source)
    profile_json = profile_to_json(prof)
    with db.write() as s:
        case = Case(key=_unique_key(s, prof.name), status="active", version=1,
                    operator_id=operator_id, baseline_at=today, created_at=utcnow(),
                    updated_at=utcnow(), ics_token=None)
        rows = _derive(case, profile_json, today)
        case.baseline_json = baseline_of(build_case(case, today, "zh"))
        s.add(case)
        s.flush()
        if rows:
            s.execute(insert(CaseTask), [{"case_id": case.id, **r} for r in rows])
        audit(s, actor, "case.create", case.id, name=prof.name, platform=prof.platform)
    return case


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


def _apply(db: Database, case_id: int, actor: Actor, today: date, action: str,
           change: Callable[[dict, Case], dict | None], detail: dict) -> Case:
    """Lock, change the profile dict, re-plan, rewrite task rows, audit; one transaction."""
    with _visible_case(db, case_id, actor) as (s, case):
        data = json.loads(case.profile_json)
        new = change(data, case)
        if new is not None:
            data = new
        prof = validate_profile(data)
        profile_json = profile_to_json(prof)
        rows = _derive(case, profile_json, today)
        case.version += 1
        case.updated_at = utcnow()
        s.execute(delete(CaseTask).where(CaseTask.case_id == case.id))
        if rows:
            s.execute(insert(CaseTask), [{"case_id": case.id, **r} for r in rows])
        audit(s, actor, action, case.id, **detail)
    return case


def mark_task(db: Database, case_id: int, task_id: str, done: date | None, *, today: date,
              actor: Actor, note: str | None = None) -> Case:
    """Record ``task_id`` as done on ``done`` (None: not done any more), with the fact it
    stands for (the notice sent, the last live, the deletion applied) so that re-planning moves
    what follows. A date after ``today`` is refused (UserError, field "done")."""
    from ..roadmap.progress import check_done_date, record_done

    if done is not None:
        check_done_date(done, today)

    def change(data: dict, case: Case) -> None:
        known = {t.id for t in build(case.profile_json, today, "zh").tasks}
        if task_id not in known:
            raise NotFound("web.errors.task_not_found", {"task": task_id}, field="task")
        record_done(data, task_id, done, today=today, note=note)

    return _apply(db, case_id, actor, today, "task.done" if done else "task.undone", change,
                  {"task": task_id, "done": done, "note": note})


def update_profile(db: Database, case_id: int, profile: dict, *, today: date,
                   actor: Actor) -> Case:
    """Replace the profile (its recorded progress is kept unless the new one has some)."""
    def change(data: dict, case: Case) -> dict:
        new = dict(profile)
        if not new.get("progress") and data.get("progress"):
            new["progress"] = data["progress"]
        if not new.get("start"):
            new["start"] = data.get("start") or today.isoformat()
        return new

    return _apply(db, case_id, actor, today, "case.edit", change, {})


def set_dates(db: Database, case_id: int, *, today: date, actor: Actor,
              start: date | None = None, notice_sent_on: date | None | bool = False) -> Case:
    """Edit the dates that move a plan: the start and the date the notice was sent.

    ``notice_sent_on=False`` leaves it unchanged; None clears it; a date after ``today`` is
    refused (a notice not sent yet is planned, not recorded).
    """
    if notice_sent_on:
        from ..roadmap.progress import check_done_date

        check_done_date(notice_sent_on, today, field="notice_sent_on")

    def change(data: dict, case: Case) -> None:
        if start is not None:
            data["start"] = start.isoformat()
        if notice_sent_on is not False:
            contract = data.setdefault("contract", {})
            if notice_sent_on is None:
                contract.pop("notice_sent_on", None)
            else:
                contract["notice_sent_on"] = notice_sent_on.isoformat()

    return _apply(db, case_id, actor, today, "case.dates", change,
                  {"start": start, "notice_sent_on": None if notice_sent_on is False
                   else notice_sent_on})


def reset_baseline(db: Database, case_id: int, *, today: date, actor: Actor) -> Case:
    """Make the current plan the new baseline."""
    with _visible_case(db, case_id, actor) as (s, case):
        case.baseline_json = baseline_of(build_case(case, today, "zh"))
        case.baseline_at = today
        case.version += 1
        case.updated_at = utcnow()
        audit(s, actor, "baseline.reset", case.id)
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


def changes(case: Case, today: date, lang: str = "zh"):
    """Plan vs baseline for a stored case."""
    plan = build_case(case, today, lang)
    return plan, diff_baseline(plan, json.loads(case.baseline_json))


