"""Which task a person means: its number in the printed plan, its title or any unambiguous
part of it, or its id; on a miss, the closest titles as a suggestion.

People type what they read (「发完未发货的订单」「解约通知」「3」), not ids, so ``xiabo done``
and the like go through :func:`find_task`.
"""

from __future__ import annotations

import difflib
import re

from ..errors import UserError
from ..i18n import t
from .plan import Plan, Task
from .render import numbered

__all__ = ["find_task"]

_SPACE = re.compile(r"[\s　]+")
_NUMBER = re.compile(r"^(?:第\s*)?#?(\d{1,4})(?:\s*[项個个])?$")


def _norm(text: str) -> str:
    """Compare without spaces, case or the quotes people paste around a title."""
    return _SPACE.sub("", text).strip("「」“”\"'").casefold()


def _listing(tasks: list[Task], order: list[Task], lang: str) -> str:
    number = {task.id: i for i, task in enumerate(order, 1)}
    sep = "；" if lang == "zh" else "; "
    return sep.join(t("replan.task_choice", lang, n=number[task.id], title=task.title)
                    for task in tasks)


def find_task(plan: Plan, text: str, *, file: str | None = None) -> Task:
    """The task ``text`` names in ``plan``, or a UserError that lists the candidates (several
    match) or suggests the closest titles (none does)."""
    lang = plan.lang
    order = numbered(plan)
    raw = text.strip()
    for task in plan.tasks:  # an id, as --verbose prints it
        if task.id == raw:
            return task
    number = _NUMBER.match(raw)
    if number:
        n = int(number.group(1))
        if 1 <= n <= len(order):
            return order[n - 1]
        raise UserError("replan.task_number", {"n": n, "count": len(order)}, file=file,
                        field="TASK", fix_key="replan.fix.task_unknown")
    want = _norm(raw)
    if want:
        exact = [task for task in order if _norm(task.title) == want]
        if len(exact) == 1:
            return exact[0]
        found = exact or [task for task in order if want in _norm(task.title)]
        if len(found) == 1:
            return found[0]
        if found:
            raise UserError("replan.task_ambiguous", {"task": raw, "choices": _listing(
                found[:8], order, lang)}, file=file, field="TASK",
                fix_key="replan.fix.task_ambiguous")
    titles = {_norm(task.title): task for task in order}
    close = difflib.get_close_matches(want, list(titles), n=3, cutoff=0.3)
    if not close:  # share the most characters
        scored = sorted(order, key=lambda x: -len(set(want) & set(_norm(x.title))))
        close = [_norm(x.title) for x in scored[:3] if set(want) & set(_norm(x.title))]
    suggestion = (t("replan.task_suggest", lang, choices=_listing(
        [titles[c] for c in close], order, lang)) if close else "")
    raise UserError("replan.task_unknown", {"task": raw, "suggestion": suggestion}, file=file,
                    field="TASK", fix_key="replan.fix.task_unknown")
