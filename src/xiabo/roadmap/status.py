"""Where a task stands, in words: one wording for every output (text, calendar, workbook, PDF,
web), so no two views disagree.

Four things are kept apart: *overdue* (a real deadline — a legal period, a contract date, a
platform window — has passed), *at risk* (the schedule ends it after such a deadline allows),
*behind plan* (the end first planned has passed: the plan's own date, no deadline) and *slack*
(how long it can wait without moving the end). An overdue or at-risk task has no slack.
"""

from __future__ import annotations

from ..i18n import t
from .plan import Task

__all__ = ["PRESSING", "LATE", "days_of", "status_short", "status_long", "pressure_key", "late_groups"]

# statuses that are about a real deadline (listed first, named in warnings)
PRESSING = ("overdue", "at_risk")
LATE = ("overdue", "at_risk", "behind")  # what the "late" lists and counts hold
_RANK = {"overdue": 0, "at_risk": 1, "behind": 2, "in_progress": 3, "upcoming": 4, "done": 5}


def days_of(task: Task) -> int:
    """The number the status speaks of (days past the deadline, late against it, or behind)."""
    status = task.status  # (an if-chain: this runs for every task of every plan listed)
    if status == "overdue":
        return task.overdue_days
    if status == "at_risk":
        return task.risk_days
    return task.behind_days if status == "behind" else 0


def status_short(task: Task, lang: str) -> str:
    """「逾期 3 天」「会晚于期限 2 天」「比原计划晚 1 天」「进行中」…: a badge's words."""
    return t(f"replan.status.{task.status}", lang, n=days_of(task))


def status_long(task: Task, lang: str) -> str | None:
    """The whole sentence for overdue, at-risk and behind tasks (names the deadline); else None."""
    if task.status in PRESSING and task.deadline is not None:
        return t(f"replan.status_long.{task.status}", lang, n=days_of(task),
                 deadline=task.deadline_label or t("plan.deadline.plain", lang),
                 date=task.deadline.isoformat())
    if task.status == "behind":
        planned = task.planned_due or task.due
        return t("replan.status_long.behind", lang, n=task.behind_days, planned=planned.isoformat())
    return None


def pressure_key(task: Task) -> tuple:
    """Within one day: real deadlines first (the most days first), then behind plan, then the
    tasks with the least slack."""
    rank = _RANK.get(task.status, 4)
    return (rank, -days_of(task), 0 if task.critical else 1, task.slack_days, task.due, task.id)


def late_groups(tasks: list[Task]) -> dict[str, list[Task]]:
    """Open tasks by overdue / at_risk / behind, most days first: what the warnings list."""
    out: dict[str, list[Task]] = {name: [] for name in LATE}
    for task in tasks:
        if task.done is None and task.status in out:
            out[task.status].append(task)
    for group in out.values():
        group.sort(key=lambda x: (-days_of(x), x.start, x.id))
    return out
