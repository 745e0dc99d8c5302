"""The Plan: plain data every renderer reads, and its JSON form ``xiabo.plan/1``.

A Plan is produced by :func:`xiabo.planning.build_plan`; nothing here computes rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["SCHEMA", "MODULES", "MILESTONES", "STATUSES", "Task", "Blocker", "Warning", "RuleUse",
           "Plan"]

SCHEMA = "xiabo.plan/1"
MODULES = ("account", "data", "contract", "fans", "equipment", "finance", "comeback", "legal")
MILESTONES = ("start", "mcn_notice", "mcn_termination", "last_live", "transition_end",
              "deletion_apply", "deletion_complete", "non_compete_end",
              "recertification_needed_after")
# where a task stands on the plan's ``today``, most pressing first: a real deadline has passed
# (overdue), the schedule ends it after a real deadline (at risk), its first planned end has
# passed (behind plan: the plan's own date, no deadline), it has started, it has not
STATUSES = ("overdue", "at_risk", "behind", "in_progress", "upcoming", "done")


@dataclass(slots=True)
class Task:
    id: str
    module: str
    kind: str
    title: str
    steps: list[str]
    start: date
    due: date
    depends_on: list[str]
    rules: list[str]
    critical: bool = False
    slack_days: int = 0
    milestone: str | None = None
    done: date | None = None
    note: str | None = None
    provisional: bool = False
    evidence_entries: int | None = None
    status: str = "upcoming"  # one of STATUSES, on the plan's today
    overdue_days: int = 0  # days past the real deadline (status "overdue")
    planned_due: date | None = None  # the end planned from the start, when re-planning moved it
    derived: bool = False  # done because the facts it follows from have run their course
    behind_days: int = 0  # days past the end first planned (open tasks; any status)
    risk_days: int = 0  # days it would end after its deadline allows (status "at_risk")
    deadline: date | None = None  # the real deadline it must meet (its own, or a later task's)
    deadline_label: str | None = None  # that deadline in words, in the plan's language

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id, "module": self.module, "kind": self.kind, "title": self.title,
            "steps": list(self.steps), "start": self.start.isoformat(), "due": self.due.isoformat(),
            "depends_on": list(self.depends_on), "rules": list(self.rules),
            "critical": self.critical, "slack_days": self.slack_days,
            "milestone": self.milestone, "status": self.status,
            "done": self.done.isoformat() if self.done else None,
            "provisional": self.provisional, "overdue_days": self.overdue_days,
            "behind_days": self.behind_days, "risk_days": self.risk_days,
        }
        if self.deadline is not None:
            out["deadline"] = {"date": self.deadline.isoformat(), "label": self.deadline_label}
        if self.planned_due is not None:
            out["planned_due"] = self.planned_due.isoformat()
        if self.derived:
            out["derived"] = True
        if self.note:
            out["note"] = self.note
        if self.evidence_entries is not None:
            out["evidence_entries"] = self.evidence_entries
        return out


@dataclass
class Blocker:
    id: str
    rule: str
    message: str
    task: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rule": self.rule, "message": self.message, "task": self.task}


@dataclass
class Warning:
    id: str
    message: str
    rules: list[str] = field(default_factory=list)
    stake: Any = None  # Decimal yuan at stake (orders the text; not in the JSON)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "message": self.message, "rules": list(self.rules)}


@dataclass
class RuleUse:
    id: str
    title: str
    value: Any
    unit: str
    source: str
    reference: str
    verified: bool
    last_verified: date
    effective_from: date
    quality: str = "secondary"  # how sure: official, official_copy, secondary, unknown

    def to_dict(self) -> dict[str, Any]:
        # an unknown value is {"unknown": true, "zh": what to check, "en": …}: words, no null
        return {"id": self.id, "title": self.title, "value": _jsonable(self.value),
                "unit": self.unit, "source": self.source, "quality": self.quality,
                "reference": self.reference,
                "verified": self.verified, "last_verified": self.last_verified.isoformat(),
                "effective_from": self.effective_from.isoformat()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass
class Plan:
    name: str
    platform: str
    platform_name: str
    lang: str
    today: date
    start: date
    delete_account: bool
    milestones: dict[str, date | None]
    blockers: list[Blocker]
    tasks: list[Task]
    figures: dict[str, str]
    figure_rules: dict[str, list[str]]
    warnings: list[Warning]
    rules_used: list[RuleUse]
    end: date
    overlays: list[str] = field(default_factory=list)
    # {"years": [...], "reason": one line} when some date is counted over days no official
    # holiday calendar covers; None otherwise (and then absent from the JSON)
    provisional: dict[str, Any] | None = None

    def task(self, task_id: str) -> Task:
        for task in self.tasks:
            if task.id == task_id:
                return task
        raise KeyError(task_id)

    def to_dict(self) -> dict[str, Any]:
        """The ``xiabo.plan/1`` JSON document (see docs/plan-schema.json)."""
        return {
            "schema": SCHEMA,
            "name": self.name,
            "platform": self.platform,
            "platform_name": self.platform_name,
            "lang": self.lang,
            "today": self.today.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "delete_account": self.delete_account,
            "milestones": {k: (v.isoformat() if v else None) for k, v in self.milestones.items()},
            "blockers": [b.to_dict() for b in self.blockers],
            "tasks": [t.to_dict() for t in self.tasks],
            "figures": dict(self.figures),
            "figure_rules": {k: list(v) for k, v in self.figure_rules.items()},
            "warnings": [w.to_dict() for w in self.warnings],
            "rules_used": [r.to_dict() for r in self.rules_used],
            "overlays": list(self.overlays),
        } | ({"provisional": {"years": list(self.provisional["years"]),
                              "reason": self.provisional["reason"]}}
             if self.provisional else {})
