"""Case repository: create, read, list (paged and aggregated in SQL), record progress.

Every change goes through :func:`_apply`: lock the case row, change the profile, re-plan,
rewrite the derived rows, bump the version, write an audit entry, all in one transaction, so
concurrent clients never lose each other's updates.
"""

from __future__ import annotations

import json
import secrets
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock
from time import monotonic
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy import case as sql_case

from ..errors import UserError
from ..paths import case_slug
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


@dataclass(frozen=True)
class Actor:
    """Who does something: a user, or the single local user (``id`` None)."""

    id: int | None = None
    name: str | None = None
    role: str = "admin"
    case_id: int | None = None

    @property
    def local(self) -> bool:
        return self.id is None


def audit(session, actor: Actor | None, action: str, case_id: int | None = None,
          **detail: Any) -> None:
    session.add(AuditEntry(user_id=actor.id if actor else None,
                           user_name=actor.name if actor else None, case_id=case_id,
                           action=action, detail=json.dumps(detail, ensure_ascii=False,
                                                            default=str)))


def visible_condition(actor: Actor):
    """SQL condition limiting cases to those ``actor`` may see."""
    if actor.role == "admin":
        return True
    if actor.role == "operator":
        return Case.operator_id == actor.id
    return Case.id == (actor.case_id if actor.case_id is not None else -1)


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


def can_see(actor: Actor, case: Case) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "operator":
        return case.operator_id == actor.id
    return actor.case_id == case.id


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


# -- the agency dashboard: paged, filtered, aggregated in SQL ------------------------------

@dataclass
class CaseFilter:
    platform: str | None = None
    status: str | None = None  # active | finished | archived | overdue
    operator_id: int | None = None
    query: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass
class CaseRow:
    id: int
    key: str
    name: str
    platform: str
    status: str
    operator: str | None
    tasks_done: int
    tasks_total: int
    overdue: int
    next_task: str | None = None
    next_due: date | None = None
    end: date | None = None
    next_overdue_days: int = 0  # the next item is this many days overdue (0: not overdue)
    letters_overdue: int = 0    # the dashboard's letters column (not part of the API's row)

    @property
    def percent(self) -> int:
        return round(100 * self.tasks_done / self.tasks_total) if self.tasks_total else 0

    def to_dict(self) -> dict:
        return {"id": self.id, "key": self.key, "name": self.name, "platform": self.platform,
                "status": self.status, "operator": self.operator, "tasks_done": self.tasks_done,
                "tasks_total": self.tasks_total, "percent": self.percent, "overdue": self.overdue,
                "next_task": self.next_task, "next_overdue_days": self.next_overdue_days,
                "next_due": self.next_due.isoformat() if self.next_due else None,
                "end": self.end.isoformat() if self.end else None}


def _overdue(today: date):
    """The case has an open task due before ``today`` (kept in ``first_open_due``)."""
    return Case.first_open_due < today


def _filtered(actor: Actor, flt: CaseFilter, today: date):
    conds = [visible_condition(actor)]
    if flt.platform:
        conds.append(Case.platform == flt.platform)
    if flt.status == "overdue":
        conds.append(Case.status != "archived")
        conds.append(_overdue(today))
    elif flt.status:
        conds.append(Case.status == flt.status)
    if flt.operator_id is not None:
        conds.append(Case.operator_id == (None if flt.operator_id == 0 else flt.operator_id))
    if flt.query:
        like = "%" + flt.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds.append(Case.name.like(like, escape="\\"))
    return [c for c in conds if c is not True]


def list_cases(db: Database, actor: Actor, flt: CaseFilter, *, today: date,
               lang: str = "zh", stamp=None) -> tuple[list[CaseRow], int]:
    """One page of cases with progress, overdue counts and the next item; and the total.

    The total is an aggregate over all matching cases, cached like the dashboard's other
    aggregates until a case changes (``stamp``: see ``change_stamp``).
    """
    per_page = max(1, min(flt.per_page, 500))
    page = max(1, flt.page)
    conds = _filtered(actor, flt, today)
    total = _cached(db, ("total", _vis_key(actor), flt.platform, flt.status, flt.operator_id,
                         flt.query, today), lambda: _count(db, conds), stamp)
    # the page's ids first: the per-case columns (letters) are then worked out for those 50
    # only, not for every row the offset skips (page 200 of 10,000 cases)
    ids_on_page = (select(Case.id).where(*conds).order_by(Case.id.desc())
                   .limit(per_page).offset((page - 1) * per_page).subquery())
    with db.engine.connect() as conn:  # plain reads: no ORM session needed
        rows = conn.execute(
            select(*_ROW_COLUMNS).join(ids_on_page, ids_on_page.c.id == Case.id)
            .outerjoin(User, User.id == Case.operator_id)
            .order_by(Case.id.desc()), {"today": today}).all()
        ids = [r[0] for r in rows]
        nexts: dict[int, tuple] = {}
        if ids:
            for cid, due, task_id, title, late in conn.execute(
                    _NEXT_ITEMS[lang == "en"], {"ids": ids, "today": today}):
                if cid not in nexts or task_id < nexts[cid][3]:
                    nexts[cid] = (title, due, late, task_id)
    out = []
    for r in rows:
        title, due, late, _task = nexts.get(r[0], (None, None, 0, None))
        out.append(CaseRow(id=r[0], key=r[1], name=r[2], platform=r[3], status=r[4],
                           operator=r[5], tasks_done=r[6], tasks_total=r[7], overdue=int(late),
                           next_task=title, next_due=due, end=r[8],
                           next_overdue_days=_days_late((title, due) if due else None, today),
                           letters_overdue=int(r[9] or 0)))
    return out, total


def _count(db: Database, conds) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Case).where(*conds)).scalar_one()


def _next_items(english: bool):
    """Per case of the page: its next item (the earliest open task, by task id among those
    due the same day: the most overdue one when any is late) and how many open tasks are late.

    The earliest date and the late count come from the open-task index alone; only the tasks
    due on that date are read for their titles (a few per case, not every open task). Built
    once per language, with the page's ids and today as parameters.
    """
    title = CaseTask.title_en if english else CaseTask.title_zh
    today = bindparam("today")
    first = (select(CaseTask.case_id, func.min(CaseTask.due).label("due"),
                    func.sum(sql_case((CaseTask.due < today, 1), else_=0)).label("late"))
             .where(CaseTask.case_id.in_(bindparam("ids", expanding=True)),
                    CaseTask.done.is_(None))
             .group_by(CaseTask.case_id).subquery())
    return (select(CaseTask.case_id, CaseTask.due, CaseTask.task_id, title, first.c.late)
            .join(first, (first.c.case_id == CaseTask.case_id) & (first.c.due == CaseTask.due))
            .where(CaseTask.done.is_(None)))


_NEXT_ITEMS = (_next_items(False), _next_items(True))


def _row_columns() -> tuple:
    from .letters import overdue_letters

    return (Case.id, Case.key, Case.name, Case.platform, Case.status, User.name,
            Case.tasks_done, Case.tasks_total, Case.end,
            overdue_letters(Case.id, bindparam("today")))


_ROW_COLUMNS = _row_columns()


def _days_late(item: tuple[str, date] | None, today: date) -> int:
    return max((today - item[1]).days, 0) if item else 0


_AGG_CACHE: OrderedDict = OrderedDict()
_AGG_LOCK = Lock()
_AGG_TTL = 60.0


_STAMP = select(select(func.max(Case.updated_at)).scalar_subquery(),
                select(func.max(Case.id)).scalar_subquery())


def change_stamp(db: Database):
    """Changes whenever any case changes (every write sets ``updated_at``; ids only grow).

    Two subqueries, not two aggregates in one select: SQLite answers a lone max() from the
    index, but scans the table for a select with two of them.
    """
    with db.engine.connect() as conn:
        return tuple(conn.execute(_STAMP).one())


def _cached(db: Database, key: tuple, compute, stamp=None):
    """Aggregates over all cases, cached until a case changes (checked with one cheap query).

    Callers get the cached object itself: treat it as read-only.
    """
    key = (db.url, stamp if stamp is not None else change_stamp(db)) + key
    now = monotonic()
    with _AGG_LOCK:
        hit = _AGG_CACHE.get(key)
        if hit is not None and now - hit[0] < _AGG_TTL:
            return hit[1]
    value = compute()
    with _AGG_LOCK:
        _AGG_CACHE[key] = (now, value)
        _AGG_CACHE.move_to_end(key)
        while len(_AGG_CACHE) > 256:
            _AGG_CACHE.popitem(last=False)
    return value


def dashboard_data(db: Database, actor: Actor, flt: CaseFilter, *, today: date,
                   lang: str = "zh", days: int = 14, stamp=None) -> tuple[dict, list[dict]]:
    """(summary, upcoming milestones) for the dashboard, with one freshness check."""
    stamp = stamp if stamp is not None else change_stamp(db)
    return (dashboard_summary(db, actor, flt, today=today, stamp=stamp),
            upcoming_milestones(db, actor, flt, today=today, days=days, lang=lang, stamp=stamp))


def _vis_key(actor: Actor) -> tuple:
    return (actor.role, actor.id, actor.case_id)


def dashboard_summary(db: Database, actor: Actor, flt: CaseFilter, *, today: date,
                      stamp=None) -> dict:
    """Counts for the dashboard header (same filters, all pages). Read-only result."""
    return _cached(db, ("summary", _vis_key(actor), flt.platform, flt.operator_id, flt.query,
                        today), lambda: _summary(db, actor, flt, today), stamp)


def _summary(db: Database, actor: Actor, flt: CaseFilter, today: date) -> dict:
    base = CaseFilter(platform=flt.platform, operator_id=flt.operator_id, query=flt.query)
    conds = _filtered(actor, base, today)
    with db.read() as s:
        by_status = dict(s.execute(select(Case.status, func.count()).where(*conds)
                                   .group_by(Case.status)).all())
        with_overdue = s.execute(select(func.count()).select_from(Case).where(
            *conds, Case.status != "archived", _overdue(today))).scalar_one()
        overdue_tasks = s.execute(
            select(func.count()).select_from(CaseTask).join(Case, Case.id == CaseTask.case_id)
            .where(*conds, Case.status != "archived", CaseTask.done.is_(None),
                   CaseTask.due < today)).scalar_one()
        platforms = [p for (p,) in s.execute(select(Case.platform).where(*conds).distinct()
                                             .order_by(Case.platform))]
    return {"total": sum(by_status.values()), "active": by_status.get("active", 0),
            "finished": by_status.get("finished", 0), "archived": by_status.get("archived", 0),
            "with_overdue": with_overdue, "overdue_tasks": overdue_tasks, "platforms": platforms}


def upcoming_milestones(db: Database, actor: Actor, flt: CaseFilter, *, today: date,
                        days: int = 14, limit: int = 50, lang: str = "zh",
                        stamp=None) -> list[dict]:
    """Open milestone tasks due within ``days`` across the visible, filtered cases (read-only)."""
    return _cached(db, ("upcoming", _vis_key(actor), flt.platform, flt.operator_id, flt.query,
                        flt.status, today, days, limit, lang),
                   lambda: _upcoming(db, actor, flt, today, days, limit, lang), stamp)


def _upcoming(db: Database, actor: Actor, flt: CaseFilter, today: date, days: int, limit: int,
              lang: str) -> list[dict]:
    base = CaseFilter(platform=flt.platform, operator_id=flt.operator_id, query=flt.query,
                      status=flt.status if flt.status != "overdue" else None)
    conds = _filtered(actor, base, today)
    title = CaseTask.title_en if lang == "en" else CaseTask.title_zh
    with db.read() as s:
        rows = s.execute(
            select(Case.id, Case.name, CaseTask.task_id, title, CaseTask.milestone, CaseTask.due)
            .join(Case, Case.id == CaseTask.case_id)
            .where(*conds, Case.status != "archived", CaseTask.milestone.is_not(None),
                   CaseTask.done.is_(None), CaseTask.due >= today,
                   CaseTask.due <= today + timedelta(days=days))
            .order_by(CaseTask.due, Case.id).limit(limit)).all()
    return [{"case_id": r[0], "case": r[1], "task": r[2], "title": r[3], "milestone": r[4],
             "due": r[5]} for r in rows]


def changes(case: Case, today: date, lang: str = "zh"):
    """Plan vs baseline for a stored case."""
    plan = build_case(case, today, lang)
    return plan, diff_baseline(plan, json.loads(case.baseline_json))


