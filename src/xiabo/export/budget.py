"""What one export request may cost the server (issue 15: every piece of work has a budget).

The input domain already bounds dates, counts and list lengths, but an export's work still
grows with the plan: the PDF draws a page of chart and list rows per task, "everything" writes
every format at once. A plan above the budget is refused before any drawing starts, with a
message that says what to do, instead of holding a worker for many seconds.

Measured (one core): 260 devices (555 tasks) PDF 1.6 s, "everything" 2.5 s; 500 devices (the
profile's maximum, ~1,040 tasks) PDF 2.4 s, "everything" 5.6 s — refused now. A normal case
(60–80 tasks) takes well under a second for any format.
"""

from __future__ import annotations

from ..errors import UserError

__all__ = ["EXPORT_TASK_BUDGET", "check_export_budget"]

# the most tasks one export of that kind may draw; kinds not named use "other"
EXPORT_TASK_BUDGET = {"pdf": 600, "all": 600, "other": 2000}


def check_export_budget(kind: str, plan, profile, lang: str = "zh") -> None:
    """Raise ``UserError`` (a 422 page or API error) when ``plan`` is over ``kind``'s budget."""
    from ..i18n import t

    limit = EXPORT_TASK_BUDGET.get(kind, EXPORT_TASK_BUDGET["other"])
    tasks = len(plan.tasks)
    if tasks <= limit:
        return
    label = t(f"web.case.export.{kind}", lang) if kind in ("ics", "xlsx", "pdf", "docx") \
        else t("reach.exports.all" if kind == "all" else "reach.exports.kit", lang)
    raise UserError("budget.export.too_big",
                    {"kind": label, "tasks": tasks, "devices": len(profile.equipment),
                     "limit": t("budget.export.tasks", lang, n=limit)},
                    field="equipment", fix_key="budget.export.too_big_fix")
