"""The agency dashboard's reads: one page of cases with their next item, and the aggregates
over all of them (counts, key dates), cached until a case changes.

Everything here is paged, filtered and aggregated in SQL with statements built once, so a page
costs the same at 10,000 cases as at 100 (``bench/web.py``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock
from time import monotonic

from sqlalchemy import bindparam, func, select
from sqlalchemy import case as sql_case

from .actors import Actor, visible_condition
from .db import Database
from .letters import overdue_letters
from .models import Case, CaseTask, User

__all__ = ["CaseFilter", "CaseRow", "change_stamp", "dashboard_data", "dashboard_summary",
           "list_cases", "upcoming_milestones"]


@dataclass
class CaseFilter:
    platform: str | None = None
    status: str | None = None  # active | finished | archived | overdue
    operator_id: int | None = None
    query: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)  # shared by every reader of a cached page
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
    stamp = stamp if stamp is not None else change_stamp(db)  # one check for both reads
    total = _cached(db, ("total", _vis_key(actor), flt.platform, flt.status, flt.operator_id,
                         flt.query, today), lambda: _count(db, conds), stamp)
    # the page itself is cached like the aggregates: a case's every change (a task, a letter
    # step re-planning it, an operator assigned or removed) moves the stamp; the dashboard is
    # read far more often than cases change
    rows = _cached(db, ("page", _vis_key(actor), flt.platform, flt.status, flt.operator_id,
                        flt.query, page, per_page, today, lang),
                   lambda: _page_rows(db, conds, page, per_page, today, lang), stamp)
    return list(rows), total


def _page_rows(db: Database, conds, page: int, per_page: int, today: date,
               lang: str) -> tuple[CaseRow, ...]:
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
                           next_overdue_days=max((today - due).days, 0) if due else 0,
                           letters_overdue=int(r[9] or 0)))
    return tuple(out)


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


# a page's row: the case, its operator and its overdue letters (``today`` is a parameter)
_ROW_COLUMNS = (Case.id, Case.key, Case.name, Case.platform, Case.status, User.name,
                Case.tasks_done, Case.tasks_total, Case.end,
                overdue_letters(Case.id, bindparam("today")))


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
    with db.single_read() as conn:  # every dashboard view asks: no BEGIN/ROLLBACK round trips
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
        while len(_AGG_CACHE) > 1024:
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
