"""A Plan as terminal text or Markdown: blockers first, then weeks, money and sources."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import groupby

from ..i18n import t
from .plan import Plan, Task

__all__ = ["to_text", "to_markdown", "weeks"]


def weeks(plan: Plan) -> list[tuple[int, date, date, list[Task]]]:
    """Tasks grouped into 7-day weeks counted from the plan's start (week 1 starts there)."""
    def week_of(task: Task) -> int:
        return max((task.start - plan.start).days // 7, 0) + 1

    out = []
    for n, group in groupby(sorted(plan.tasks, key=lambda x: (week_of(x), x.start, x.id)), key=week_of):
        first = plan.start + timedelta(days=7 * (n - 1))
        out.append((n, first, first + timedelta(days=6), list(group)))
    return out


def _task_line(task: Task, lang: str) -> str:
    marks = []
    if task.done:
        marks.append(t("plan.done_mark", lang))
    elif task.critical:
        marks.append(t("plan.critical_mark", lang))
    elif task.slack_days:
        marks.append(t("plan.slack", lang, days=task.slack_days))
    if task.evidence_entries:
        marks.append(t("plan.evidence", lang, n=task.evidence_entries))
    span = task.start.isoformat() if task.start == task.due else f"{task.start.isoformat()} → {task.due.isoformat()}"
    box = "[x]" if task.done else "[ ]"
    suffix = f"  ({'; '.join(marks)})" if marks else ""
    return f"{box} {span}  {task.title}{suffix}  #{task.id}"


def _rule_line(plan: Plan, rule) -> str:
    from .assemble import render_text_param

    lang = plan.lang
    verified = "" if rule.verified else t("plan.unverified", lang)
    return t("plan.rule_line", lang, id=rule.id, title=rule.title,
             value=render_text_param(rule.value, lang), source=t(f"rules.sources.{rule.source}", lang),
             reference=rule.reference, verified=verified)


def _figure_lines(plan: Plan) -> list[tuple[str, str, str]]:
    lang = plan.lang
    rows = []
    for key, value in plan.figures.items():
        label = t(f"plan.figures.{key}", lang)
        shown = t("plan.yuan", lang, value=value) if key.endswith("_cny") else value
        rows.append((label, shown, ", ".join(plan.figure_rules.get(key, []))))
    return rows


def to_text(plan: Plan, *, sources: bool = True) -> str:
    lang = plan.lang
    lines: list[str] = []
    title = t("plan.heading", lang, name=plan.name, platform=plan.platform_name)
    if not plan.delete_account:
        title += t("plan.dormant", lang)
    lines += [title, "=" * min(len(title) * 2, 78),
              t("plan.today", lang, today=plan.today, start=plan.start, end=plan.end), ""]
    lines.append("■ " + t("plan.blockers_heading", lang))
    if plan.blockers:
        lines += [f"  ✗ {b.message}  [{b.rule}]" for b in plan.blockers]
    else:
        lines.append("  " + t("plan.no_blockers", lang))
    lines += ["", "■ " + t("plan.milestones_heading", lang)]
    for key, value in sorted(((k, v) for k, v in plan.milestones.items() if v), key=lambda kv: kv[1]):
        if value:
            lines.append(f"  {value.isoformat()}  {t(f'plan.milestones.{key}', lang)}")
    for n, first, last, tasks in weeks(plan):
        lines += ["", "■ " + t("plan.week_heading", lang, n=n, start=first, end=last)]
        for task in tasks:
            lines.append("  " + _task_line(task, lang))
            lines += [f"      - {step}" for step in task.steps]
    lines += ["", "■ " + t("plan.figures_heading", lang)]
    for label, shown, rules in _figure_lines(plan):
        lines.append(f"  {label}: {shown}" + (f"  [{rules}]" if rules else ""))
    if plan.warnings:
        lines += ["", "■ " + t("plan.warnings_heading", lang)]
        lines += [f"  ! {w.message}" for w in plan.warnings]
    if sources:
        lines += ["", "■ " + t("plan.sources_heading", lang)]
        lines += ["  " + _rule_line(plan, r) for r in plan.rules_used]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: Plan) -> str:
    lang = plan.lang
    out = [f"# {t('plan.heading', lang, name=_md_escape(plan.name), platform=plan.platform_name)}", "",
           t("plan.today", lang, today=plan.today, start=plan.start, end=plan.end), "",
           f"## {t('plan.blockers_heading', lang)}", ""]
    out += [f"- {_md_escape(b.message)} (`{b.rule}`)" for b in plan.blockers] or [
        t("plan.no_blockers", lang)]
    out += ["", f"## {t('plan.milestones_heading', lang)}", ""]
    out += [f"- **{v.isoformat()}** {t(f'plan.milestones.{k}', lang)}"
            for k, v in sorted(((k, v) for k, v in plan.milestones.items() if v), key=lambda kv: kv[1])]
    for n, first, last, tasks in weeks(plan):
        out += ["", f"## {t('plan.week_heading', lang, n=n, start=first, end=last)}", ""]
        for task in tasks:
            out.append(f"- {_md_escape(_task_line(task, lang))}")
            out += [f"  - {_md_escape(step)}" for step in task.steps]
            out.append(f"  - `{', '.join(task.rules)}`")
    out += ["", f"## {t('plan.figures_heading', lang)}", "", "| | | |", "|---|---|---|"]
    out += [f"| {label} | {shown} | `{rules}` |" for label, shown, rules in _figure_lines(plan)]
    if plan.warnings:
        out += ["", f"## {t('plan.warnings_heading', lang)}", ""]
        out += [f"- {_md_escape(w.message)}" for w in plan.warnings]
    out += ["", f"## {t('plan.sources_heading', lang)}", ""]
    out += [f"- {_md_escape(_rule_line(plan, r))}" for r in plan.rules_used]
    return "\n".join(out) + "\n"
