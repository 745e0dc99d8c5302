"""Stored cases that change: create, record progress, edit, re-baseline — each re-planned with
its facts and written by the store in one locked transaction.

The store persists (``store.cases.insert_cases`` / ``change_case``); this module plans: it turns
a case's plan into the columns the dashboard lists (next item, late count, progress) in both
languages' titles, so the dashboard and the case page can never disagree about the same case.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..store import cases as repo
from ..store.actors import Actor
from ..store.models import Case
from .baseline import baseline_of, diff_baseline
from .planning import plan_case, plan_stored, profile_to_json, validate_profile
from .ref import CaseRef

__all__ = ["create_case", "prepare_case", "mark_task", "update_profile", "set_dates", "reset_baseline",
           "changes", "derive"]


def derive(case: Case, profile_json: str, today: date, db: Any) -> list[dict]:
    """Fill the plan-derived columns of ``case``; return its task rows."""
    ref = CaseRef.for_stored(case, db)
    plan = plan_case(profile_json, ref, today=today, lang="zh")
    plan_en = plan_case(profile_json, ref, today=today, lang="en")
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
    dues = {t.id: t.planned_due if t.behind_days and t.planned_due else t.due
            for t in plan.tasks}
    case.first_open_due = min((dues[t.id] for t in plan.tasks if t.done is None), default=None)
    if case.status != "archived":
        case.status = "finished" if case.tasks_total and case.tasks_done == case.tasks_total \
            else "active"
    return [{"task_id": t.id, "title_zh": t.title[:500],
             "title_en": titles_en.get(t.id, t.title)[:500],
             "module": t.module, "start": t.start, "due": dues[t.id], "done": t.done,
             "critical": t.critical, "milestone": t.milestone} for t in plan.tasks]


def prepare_case(db, profile: dict, *, today: date, operator_id: int | None = None,
                 source: str = "<web>"):
    """Validate ``profile`` and plan it, outside any write transaction: the filled new case,
    its task rows and its audit detail, for ``repo.insert_cases``. UserError for a bad
    profile (``source`` names it)."""
    data = dict(profile)
    if not data.get("start"):
        data["start"] = today.isoformat()
    prof = validate_profile(data, source)
    profile_json = profile_to_json(prof)
    case = repo.new_case(today=today, operator_id=operator_id)
    rows = derive(case, profile_json, today, db)
    case.baseline_json = baseline_of(plan_stored(case, db, today, "zh"))
    return case, rows, {"name": prof.name, "platform": prof.platform}


def create_case(db, profile: dict, *, today: date, actor: Actor | None = None,
                operator_id: int | None = None, source: str = "<web>") -> Case:
    """Validate ``profile``, plan it, store it with its baseline. Start defaults to today."""
    ready = prepare_case(db, profile, today=today, operator_id=operator_id, source=source)
    return repo.insert_cases(db, [ready], actor=actor)[0]


def _replan(db, case_id: int, actor: Actor, today: date, action: str, change, detail: dict
            ) -> Case:
    """Lock, change the profile dict, validate, re-plan with the facts, rewrite the rows."""
    def apply(case: Case) -> list[dict]:
        data = json.loads(case.profile_json)
        new = change(data, case)
        if new is not None:
            data = new
        profile_json = profile_to_json(validate_profile(data))
        return derive(case, profile_json, today, db)

    return repo.change_case(db, case_id, actor, action, apply, detail)


def mark_task(db, case_id: int, task_id: str, done: date | None, *, today: date,
              actor: Actor, note: str | None = None) -> Case:
    """Record ``task_id`` as done on ``done`` (None: not done any more), with the fact it
    stands for (the notice sent, the last live, the deletion applied) so that re-planning moves
    what follows. A date after ``today`` is refused (UserError, field "done")."""
    from ..roadmap.progress import check_done_date, record_done

    if done is not None:
        check_done_date(done, today)

    def change(data: dict, case: Case) -> None:
        known = {t.id for t in plan_stored(case, db, today, "zh").tasks}
        if task_id not in known:
            raise repo.NotFound("web.errors.task_not_found", {"task": task_id}, field="task")
        record_done(data, task_id, done, today=today, note=note)

    return _replan(db, case_id, actor, today, "task.done" if done else "task.undone", change,
                   {"task": task_id, "done": done, "note": note})


def update_profile(db, case_id: int, profile: dict, *, today: date, actor: Actor) -> Case:
    """Replace the profile (its recorded progress is kept unless the new one has some)."""
    def change(data: dict, case: Case) -> dict:
        new = dict(profile)
        if not new.get("progress") and data.get("progress"):
            new["progress"] = data["progress"]
        if not new.get("start"):
            new["start"] = data.get("start") or today.isoformat()
        _keep_guild_facts(new, data)
        return new

    return _replan(db, case_id, actor, today, "case.edit", change, {})


# how far the guild exit got: recorded facts the wizard does not ask, kept across an edit
_GUILD_FACTS = ("exit_kind", "exit_started_on", "guild_answer", "guild_answer_on",
                "review_started_on", "review_result", "review_result_on", "appeal_on",
                "left_on")


def _keep_guild_facts(new: dict, old: dict) -> None:
    """An edited profile still bound to the guild keeps the exit's recorded steps."""
    before, after = old.get("guild"), new.get("guild")
    if not (isinstance(before, dict) and isinstance(after, dict) and after.get("bound")):
        return
    kept = {k: before[k] for k in _GUILD_FACTS if k in before and k not in after}
    if kept:
        new["guild"] = {**after, **kept}


def set_dates(db, case_id: int, *, today: date, actor: Actor, start: date | None = None,
              notice_sent_on: date | None | bool = False) -> Case:
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

    return _replan(db, case_id, actor, today, "case.dates", change,
                   {"start": start, "notice_sent_on": None if notice_sent_on is False
                    else notice_sent_on})


def reset_baseline(db, case_id: int, *, today: date, actor: Actor) -> Case:
    """Make the current plan the new baseline."""
    def apply(case: Case) -> None:
        case.baseline_json = baseline_of(plan_stored(case, db, today, "zh"))
        case.baseline_at = today

    return repo.change_case(db, case_id, actor, "baseline.reset", apply, {})


def refresh(db, case_id: int, *, today: date, actor: Actor, action: str = "case.facts",
            **detail: Any) -> Case:
    """Re-plan a case whose facts changed (a letter step, an import) so the dashboard's columns
    (next item, late count) say what the case page says."""
    def apply(case: Case) -> list[dict]:
        return derive(case, case.profile_json, today, db)

    return repo.change_case(db, case_id, actor, action, apply, detail)


def changes(case: Case, db, today: date, lang: str = "zh"):
    """Plan vs baseline for a stored case."""
    plan = plan_stored(case, db, today, lang)
    return plan, diff_baseline(plan, json.loads(case.baseline_json))
