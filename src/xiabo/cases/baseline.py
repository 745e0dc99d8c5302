"""The plan of a stored case against its baseline: what moved, by how much, and why.

The baseline is each task's dates and title when the case was created (or reset); the live plan
is :func:`xiabo.cases.plan_case`'s. Re-planning itself is the planner's job.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..roadmap.plan import Plan

__all__ = ["BASELINE_SCHEMA", "Change", "baseline_dates", "baseline_of", "baseline_summary",
           "diff_baseline"]


@dataclass
class Change:
    """One task whose dates differ from the baseline (or that is new / gone)."""

    task_id: str
    title: str
    kind: str  # moved | added | removed
    baseline_start: date | None
    baseline_due: date | None
    start: date | None
    due: date | None

    @property
    def start_days(self) -> int:
        if self.start and self.baseline_start:
            return (self.start - self.baseline_start).days
        return 0

    @property
    def due_days(self) -> int:
        if self.due and self.baseline_due:
            return (self.due - self.baseline_due).days
        return 0

    def to_dict(self) -> dict:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {"task": self.task_id, "title": self.title, "kind": self.kind,
                "baseline_start": iso(self.baseline_start), "baseline_due": iso(self.baseline_due),
                "start": iso(self.start), "due": iso(self.due),
                "start_days": self.start_days, "due_days": self.due_days}


BASELINE_SCHEMA = "xiabo.baseline/1"


def baseline_of(plan: Plan) -> str:
    """The baseline kept for a case: each task's dates and title (not the whole plan)."""
    return json.dumps({"schema": BASELINE_SCHEMA, "start": plan.start.isoformat(),
                       "end": plan.end.isoformat(),
                       "tasks": [{"id": t.id, "title": t.title, "start": t.start.isoformat(),
                                  "due": t.due.isoformat()} for t in plan.tasks]},
                      ensure_ascii=False, separators=(",", ":"))


def baseline_dates(baseline: dict) -> dict[str, tuple[date, date, str]]:
    out = {}
    for task in baseline.get("tasks", []):
        out[task["id"]] = (date.fromisoformat(task["start"]), date.fromisoformat(task["due"]),
                           task.get("title", task["id"]))
    return out


def baseline_summary(plan: Plan, baseline: dict) -> str:
    """One line on what changed since the baseline (「比原计划晚 9 天，因为 3 项逾期。」)."""
    from ..roadmap.baseline import summarise, summary_line

    return summary_line(summarise(plan, baseline), plan.lang)


def diff_baseline(plan: Plan, baseline: dict) -> list[Change]:
    """Tasks that moved since the baseline, most-moved first; plus added/removed tasks."""
    base = baseline_dates(baseline)
    changes: list[Change] = []
    seen = set()
    for task in plan.tasks:
        seen.add(task.id)
        old = base.get(task.id)
        if old is None:
            changes.append(Change(task.id, task.title, "added", None, None, task.start, task.due))
        elif old[0] != task.start or old[1] != task.due:
            changes.append(Change(task.id, task.title, "moved", old[0], old[1], task.start,
                                  task.due))
    for task_id, (start, due, title) in base.items():
        if task_id not in seen:
            changes.append(Change(task_id, title, "removed", start, due, None, None))
    changes.sort(key=lambda c: (c.kind != "moved", -abs(c.due_days), c.task_id))
    return changes
