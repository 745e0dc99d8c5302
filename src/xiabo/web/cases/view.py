"""The case page's view model: everything the template shows, computed in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from ...cases import baseline_dates, baseline_summary, diff_baseline, plan_stored
from ...i18n import lookup, t
from ...roadmap.status import LATE, pressure_key
from .gantt import gantt_svg

__all__ = ["SECTIONS", "case_view"]

# the folded sections below "what do I do now", in tab order (ids double as URL anchors)
SECTIONS = ("timeline", "money", "documents", "rules", "history")
# each is sent only when opened (?show=, or alone from /cases/N/fold/NAME: case.html's
# ``lazy``): the drawing, the figures, the rule list, the documents and the re-planning history
# were over half of the page's work and bytes, for sections most visits never open


@dataclass
class FigureRow:
    key: str
    label: str
    value: str
    money: bool
    rules: list[Any]


def _label(key: str, lang: str, fallback: str) -> str:
    found = lookup(key, lang) or lookup(key, "zh")
    return found if found is not None else fallback


def _figure(key: str, value: Any, lang: str) -> str:
    """A figure as people read it: 「12,000 元」, a word for a method's key, else as is."""
    from ...vocabulary import money, word

    if key.endswith("_cny"):
        return money(value, lang)
    return word(str(value), lang) or str(value)


def nowrap(key: str, lang: str, **values: str) -> Markup:
    """A catalogue sentence whose values (dates, amounts) never break inside a line."""
    marks = {k: f"\x00{k}\x00" for k in values}
    html = str(escape(t(key, lang, **marks)))
    for k, v in values.items():
        html = html.replace(marks[k], f'<span class="nw">{escape(v)}</span>')
    return Markup(html)


def case_view(case, db, *, today: date, lang: str, evidence_counts: dict[str, int] | None = None,
              show: str | None = None, facts: Any = None) -> dict[str, Any]:
    """What the case page shows; a lazy section's parts only when ``show`` names it
    (``facts``: the case's facts on ``today`` when the caller already gathered them)."""
    plan = plan_stored(case, db, today, lang, facts=facts)
    baseline = json.loads(case.baseline_json) if show in ("timeline", "history") else None
    changes = diff_baseline(plan, baseline) if show == "history" else []
    rules = {r.id: r for r in plan.rules_used}
    week_end = today + timedelta(days=7)
    open_tasks = [task for task in plan.tasks if task.done is None]
    # the planner's status on today: past or at risk of a real deadline, behind plan (all
    # re-planned from today), in progress, upcoming; the most pressing first
    overdue = sorted((task for task in open_tasks if task.status in LATE), key=pressure_key)
    today_tasks = [task for task in open_tasks
                   if task.status == "in_progress" and task.start <= today <= task.due]
    this_week = [task for task in open_tasks
                 if task.status not in LATE and today < task.start <= week_end]
    gantt = ""
    if show == "timeline":  # the timeline, the money figures and the rule list are lazy
        base = {k: (v[0], v[1]) for k, v in baseline_dates(baseline).items()}
        gantt = gantt_svg(plan.tasks, today, baseline=base, lang=lang,
                          labels={"today": t("web.case.today", lang),
                                  "aria": t("web.case.timeline", lang)})
    figures = []
    if show == "money":
        figures = [FigureRow(key, _label(f"plan.figures.{key}", lang, key),
                             _figure(key, value, lang), key.endswith("_cny"),
                             [rules[r] for r in plan.figure_rules.get(key, []) if r in rules])
                   for key, value in plan.figures.items()]
    milestones = [(name, _label(f"plan.milestones.{name}", lang, name), when)
                  for name, when in plan.milestones.items() if when]
    milestones.sort(key=lambda m: m[2])
    upcoming = [m for m in milestones if m[2] >= today]
    next_milestone = (upcoming[0][1], upcoming[0][2], (upcoming[0][2] - today).days) \
        if upcoming else None
    modules = {m: _label(f"plan.modules.{m}", lang, m) for m in {x.module for x in plan.tasks}}
    return {
        "plan": plan, "changes": changes,
        "today": today, "rules": rules, "overdue": overdue, "this_week": this_week, "gantt": gantt,
        "today_tasks": today_tasks, "next_milestone": next_milestone,
        "summary": baseline_summary(plan, baseline) if show == "history" else None,
        "figures": figures, "milestones": milestones, "modules": modules,
        "dates_line": nowrap("web.case.dates", lang, start=plan.start.isoformat(),
                             end=plan.end.isoformat(), today=today.isoformat()),
        "done_count": sum(1 for x in plan.tasks if x.done), "baseline_at": case.baseline_at,
        "evidence_counts": evidence_counts or {},
        "percent": round(100 * sum(1 for x in plan.tasks if x.done) / len(plan.tasks))
        if plan.tasks else 0,
    }
