"""What changed since a baseline, in one line: later or earlier, by how much, and why.

A baseline is the plan as it was first agreed: the store keeps one per case
(``xiabo.baseline/1``), and a saved plan JSON (``xiabo.plan/1``) serves as one on the command
line. Both list each task's id, start and due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import t
from .plan import Plan

__all__ = ["Summary", "summarise", "summary_line"]


@dataclass(frozen=True)
class Summary:
    days: int  # > 0: the exit ends later than the baseline said; < 0: earlier
    overdue: int  # open tasks behind plan (their first planned end has passed)
    done_late: int
    done_early: int
    moved: int
    end: date
    baseline_end: date | None


def _dates(baseline: dict) -> dict[str, tuple[date, date]]:
    out = {}
    for task in baseline.get("tasks") or []:
        try:
            out[task["id"]] = (date.fromisoformat(task["start"]), date.fromisoformat(task["due"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def summarise(plan: Plan, baseline: dict) -> Summary:
    """Compare ``plan`` with ``baseline`` (a mapping as described above)."""
    base = _dates(baseline)
    end_text = baseline.get("end")
    try:
        base_end = date.fromisoformat(end_text) if end_text else None
    except (TypeError, ValueError):
        base_end = None
    end = plan.end
    if base_end is None and base:  # an old baseline without its end: compare the last dates
        base_end = max(due for _, due in base.values())
        end = max((task.due for task in plan.tasks), default=plan.end)
    overdue = done_late = done_early = moved = 0
    for task in plan.tasks:
        old = base.get(task.id)
        if task.behind_days:  # its first planned end has passed (whatever deadline it has)
            overdue += 1
        if old is None:
            continue
        if task.done is not None and not task.derived:
            if task.done > old[1]:
                done_late += 1
            elif task.done < old[1]:
                done_early += 1
        if (task.start, task.due) != old:
            moved += 1
    days = (end - base_end).days if base_end else 0
    return Summary(days, overdue, done_late, done_early, moved, end, base_end)


def summary_line(summary: Summary, lang: str = "zh") -> str:
    """「比原计划晚 9 天完成，因为 3 项逾期。」 and the like."""
    parts = [t(f"replan.summary.{name}", lang, n=n) for name, n in (
        ("overdue", summary.overdue), ("done_late", summary.done_late),
        ("done_early", summary.done_early)) if n]
    if not parts and summary.moved and summary.days:
        parts.append(t("replan.summary.moved", lang, n=summary.moved))
    reasons = t("replan.summary.joiner", lang).join(parts)
    kind = "later" if summary.days > 0 else "earlier" if summary.days < 0 else "same"
    if not parts:
        kind += "_plain"
    return t(f"replan.summary.{kind}", lang, days=abs(summary.days), reasons=reasons)
