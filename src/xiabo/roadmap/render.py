"""A Plan as terminal text or Markdown, read top-down by urgency.

What blocks deletion, key dates, money at stake and warnings (largest stake first), then the
weeks; the rule sources are one line pointing to ``--sources`` unless asked for. Rule ids and
task ids appear only with ``verbose``.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from ..i18n import t
from ..vocabulary import label_sep, money, rule_value, say, source_label, table_rows
from .plan import Plan, Task
from .status import PRESSING, pressure_key, status_long, status_short

__all__ = ["to_text", "to_markdown", "weeks", "numbered", "task_details", "money_warnings", "other_warnings",
           "figure_rows", "source_entries", "source_sentence"]


def weeks(plan: Plan) -> list[tuple[int, date, date, list[Task]]]:
    """Tasks grouped into 7-day weeks counted from the plan's start (week 1 starts there)."""
    def week_of(task: Task) -> int:
        return max((task.start - plan.start).days // 7, 0) + 1

    out = []
    def order(task: Task) -> tuple:  # real deadlines first inside a week; by day, then pressure
        return (week_of(task), task.status not in PRESSING, task.start, *pressure_key(task))

    for n, group in groupby(sorted(plan.tasks, key=order), key=week_of):
        first = plan.start + timedelta(days=7 * (n - 1))
        out.append((n, first, first + timedelta(days=6), list(group)))
    return out


def numbered(plan: Plan) -> list[Task]:
    """The tasks in the order the printed plan lists them: its numbers (1, 2, …) are the
    ones ``xiabo done`` accepts."""
    return [task for _n, _first, _last, tasks in weeks(plan) for task in tasks]


def _marks(task: Task, lang: str) -> list[str]:
    marks = []
    if task.done:
        marks.append(t("plan.done_mark", lang))
    elif task.critical:
        marks.append(t("plan.critical_mark", lang))
    elif task.slack_days:
        marks.append(t("plan.slack", lang, days=task.slack_days))
    if task.evidence_entries:
        marks.append(t("plan.evidence", lang, n=task.evidence_entries))
    if task.provisional and not task.done:
        marks.append(t("plan.provisional_mark", lang))
    return marks


def _task_line(task: Task, lang: str, verbose: bool = False, number: int | None = None) -> str:
    marks = _marks(task, lang)
    span = task.start.isoformat() if task.start == task.due else f"{task.start.isoformat()} → {task.due.isoformat()}"
    box = "[x]" if task.done else "[ ]"
    suffix = t("plan.marks", lang, marks=t("plan.mark_sep", lang).join(marks)) if marks else ""
    tail = f"  #{task.id}" if verbose else ""
    status = "" if task.done else t("replan.status_tag", lang, status=status_short(task, lang))
    head = f"{number}. " if number is not None else ""
    return f"{head}{box} {span}  {status}{task.title}{suffix}{tail}"


def task_details(task: Task, lang: str) -> list[str]:
    """The lines under a task: what its status means (the deadline it misses), then its steps."""
    why = None if task.done else status_long(task, lang)
    return ([why] if why else []) + list(task.steps)


def money_warnings(plan: Plan) -> list:
    """Warnings with money at stake, largest first (the order the plan keeps)."""
    return sorted((w for w in plan.warnings if getattr(w, "stake", None) is not None),
                  key=lambda w: -w.stake)


def other_warnings(plan: Plan) -> list:
    return [w for w in plan.warnings if getattr(w, "stake", None) is None]


def figure_rows(plan: Plan) -> list[tuple[str, str, str]]:
    """(label, value in words, rule ids) for each money figure."""
    lang = plan.lang
    rows = []
    for key, value in plan.figures.items():
        label = t(f"plan.figures.{key}", lang)
        shown = money(value, lang) if key.endswith("_cny") else say(value, lang)
        rows.append((label, shown, ", ".join(plan.figure_rules.get(key, []))))
    return rows


def source_entries(plan: Plan) -> list[dict]:
    """Each rule the plan rests on, in words: title, value (or a table), where it comes from."""
    lang = plan.lang
    out = []
    for rule in plan.rules_used:
        table = table_rows(rule.value, lang) if rule.unit == "table" else None
        source = source_label(rule.source, lang)
        notes = [] if rule.reference.startswith(source) else [source]
        if not rule.verified:
            notes.append(t("plan.unverified_word", lang))
        out.append({"id": rule.id, "title": rule.title,
                    "value": None if table else rule_value(rule, lang), "table": table,
                    "reference": rule.reference, "source": source,
                    "remark": t("plan.source_remark", lang, notes=t("plan.mark_sep", lang).join(notes))
                    if notes else ""})
    return out


def source_sentence(entry: dict, lang: str, verbose: bool = False) -> str:
    key = "plan.source_table" if entry["table"] else "plan.source_sentence"
    text = t(key, lang, title=entry["title"], value=entry["value"], reference=entry["reference"],
             remark=entry["remark"])
    return text + (f"  [{entry['id']}]" if verbose else "")


def _sources_line(plan: Plan) -> str:
    lang = plan.lang
    counts: dict[str, int] = {}
    for rule in plan.rules_used:
        counts[rule.source] = counts.get(rule.source, 0) + 1
    breakdown = t("plan.mark_sep", lang).join(
        t("plan.rule_count", lang, source=source_label(s, lang), n=n) for s, n in counts.items())
    return t("plan.sources_line", lang, n=len(plan.rules_used), breakdown=breakdown)


def _milestones(plan: Plan) -> list[tuple[date, str]]:
    past = t("replan.past", plan.lang)  # dates before today happened (facts) or are overdue
    return [(v, t(f"plan.milestones.{k}", plan.lang) + (past if v < plan.today else ""))
            for k, v in sorted(((k, v) for k, v in plan.milestones.items() if v), key=lambda kv: kv[1])]


def to_text(plan: Plan, *, sources: bool = False, verbose: bool = False,
            baseline: dict | None = None) -> str:
    """The roadmap for a terminal: most urgent first, sources as one line unless asked for."""
    lang = plan.lang
    sep = label_sep(lang)
    lines: list[str] = []
    title = t("plan.heading", lang, name=plan.name, platform=plan.platform_name)
    if not plan.delete_account:
        title += t("plan.dormant", lang)
    lines += [title, "=" * min(len(title) * 2, 78),
              t("plan.today", lang, today=plan.today, start=plan.start, end=plan.end), ""]
    if baseline is not None:  # what changed since the baseline, before anything else
        lines[-1:-1] = [_baseline_line(plan, baseline)]
    if plan.provisional:  # the reason, in one line, before any date
        lines[-1:-1] = [plan.provisional["reason"]]
    lines.append("■ " + t("plan.blockers_heading", lang))
    if plan.blockers:
        lines += [f"  ✗ {b.message}" + (f"  [{b.rule}]" if verbose else "") for b in plan.blockers]
    else:
        lines.append("  " + t("plan.no_blockers", lang))
    lines += ["", "■ " + t("plan.milestones_heading", lang)]
    lines += [f"  {when.isoformat()}  {label}" for when, label in _milestones(plan)]
    lines += ["", "■ " + t("plan.money_heading", lang)]
    lines += [f"  ! {w.message}" for w in money_warnings(plan)]
    for label, shown, rules in figure_rows(plan):
        lines.append(f"  {label}{sep}{shown}" + (f"  [{rules}]" if verbose and rules else ""))
    others = other_warnings(plan)
    if others:
        lines += ["", "■ " + t("plan.warnings_heading", lang)]
        lines += [f"  ! {w.message}" for w in others]
    number = 0
    for n, first, last, tasks in weeks(plan):
        lines += ["", "■ " + t("plan.week_heading", lang, n=n, start=first, end=last)]
        for task in tasks:
            number += 1
            lines.append("  " + _task_line(task, lang, verbose, number))
            lines += [f"      - {step}" for step in task_details(task, lang)]
    lines.append("")
    if sources:
        lines.append("■ " + t("plan.sources_heading", lang))
        for entry in source_entries(plan):
            lines.append("  " + source_sentence(entry, lang, verbose))
            if entry["table"]:
                headers, rows = entry["table"]
                gap = "　" if lang == "zh" else "  "
                lines += ["      " + gap.join(f"{h}{sep}{c}" if i else c for i, (h, c) in
                                               enumerate(zip(headers, row))) for row in rows]
    else:
        lines.append(_sources_line(plan))
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _baseline_line(plan: Plan, baseline: dict) -> str:
    from .baseline import summarise, summary_line

    return summary_line(summarise(plan, baseline), plan.lang)


def to_markdown(plan: Plan, *, sources: bool = False, verbose: bool = False,
                baseline: dict | None = None) -> str:
    """The same order as the text, as a Markdown document."""
    lang = plan.lang
    out = [f"# {t('plan.heading', lang, name=_md_escape(plan.name), platform=plan.platform_name)}", "",
           t("plan.today", lang, today=plan.today, start=plan.start, end=plan.end), "",
           f"## {t('plan.blockers_heading', lang)}", ""]
    if plan.provisional:
        out[3:3] = [f"> {_md_escape(plan.provisional['reason'])}", ""]
    if baseline is not None:
        out[3:3] = [_md_escape(_baseline_line(plan, baseline)), ""]
    out += [f"- {_md_escape(b.message)}" + (f" (`{b.rule}`)" if verbose else "")
            for b in plan.blockers] or [t("plan.no_blockers", lang)]
    out += ["", f"## {t('plan.milestones_heading', lang)}", ""]
    out += [f"- **{when.isoformat()}** {label}" for when, label in _milestones(plan)]
    out += ["", f"## {t('plan.money_heading', lang)}", ""]
    out += [f"- **{_md_escape(w.message)}**" for w in money_warnings(plan)]
    head = [t("plan.figure_item", lang), t("plan.figure_value", lang)]
    if verbose:
        head.append(t("plan.figure_rules", lang))
    out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, shown, rules in figure_rows(plan):
        cells = [label, shown] + ([f"`{rules}`" if rules else ""] if verbose else [])
        out.append("| " + " | ".join(_md_escape(c) for c in cells) + " |")
    others = other_warnings(plan)
    if others:
        out += ["", f"## {t('plan.warnings_heading', lang)}", ""]
        out += [f"- {_md_escape(w.message)}" for w in others]
    number = 0
    for n, first, last, tasks in weeks(plan):
        out += ["", f"## {t('plan.week_heading', lang, n=n, start=first, end=last)}", ""]
        for task in tasks:
            number += 1
            out.append(f"- {_md_escape(_task_line(task, lang, verbose, number))}")
            out += [f"  - {_md_escape(step)}" for step in task_details(task, lang)]
            if verbose:
                out.append(f"  - `{', '.join(task.rules)}`")
    out += [""]
    if sources:
        out += [f"## {t('plan.sources_heading', lang)}", ""]
        for entry in source_entries(plan):
            out.append(f"- {_md_escape(source_sentence(entry, lang, verbose))}")
            if entry["table"]:
                headers, rows = entry["table"]
                out += ["", "  | " + " | ".join(headers) + " |", "  |" + "---|" * len(headers)]
                out += ["  | " + " | ".join(_md_escape(c) for c in row) + " |" for row in rows]
                out.append("")
    else:
        out.append(_sources_line(plan))
    return "\n".join(out) + "\n"
