"""The case page's full task list, rendered in plain Python.

It is the largest part of the page (every task with steps, rules and a form) and the hottest
loop of the web app; building it with f-strings and ``markupsafe.escape`` costs about a third
of the same Jinja template. Every value from a plan or a user goes through ``_e``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from ...roadmap.status import days_of, status_long
from .steps import web_steps

__all__ = ["case_rows_html", "status_badge_html", "task_form_html", "task_row_html", "tasks_html",
           "upcoming_rows_html"]


# a plain string with none of the five characters markupsafe replaces is its own escape: most
# values on a case page (titles, dates, ids) are, and finding that out costs a quarter of
# building a Markup object per value (a page escapes about 400)
_SPECIAL = re.compile(r"[&<>\"']")


def _e(value: Any) -> str:
    """``value`` escaped for HTML exactly as ``markupsafe.escape`` does (Markup, and anything
    with ``__html__``, stays as it is)."""
    if type(value) is str and _SPECIAL.search(value) is None:
        return value
    return str(escape(value))


def _fmt(template: str, **params: Any) -> str:
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


# a status's badge class (the same words as the text plan, the calendar and the PDF)
_BADGE = {"overdue": "overdue", "at_risk": "risk", "behind": "behind", "in_progress": "progress"}


def status_badge_html(task, L: Mapping[str, str]) -> str:
    """「逾期 3 天」「会晚于期限 2 天」「比原计划晚 1 天」「进行中」, with the whole sentence
    (which deadline, by how much) as its title; nothing for a task not started or done."""
    cls = _BADGE.get(task.status)
    if cls is None or task.done:
        return ""
    why = status_long(task, getattr(L, "lang", "zh"))
    title = f' title="{_e(why)}"' if why else ""
    return (f'<span class="badge {cls}"{title}>'
            f'{_e(_fmt(L["replan.status." + task.status], n=days_of(task)))}</span>')


def task_form_html(task, *, case_id: int, csrf: str, L: Mapping[str, str], today: date,
                   compact: bool, evidence_on: bool) -> str:
    """The done form of an open task, or the done badge with an undo button."""
    tid, token = _e(task.id), _e(csrf)
    if task.done:
        return (f'<form method="post" action="/cases/{case_id}/tasks/{tid}/undo" class="inline">'
                f'<input type="hidden" name="csrf" value="{token}">'
                f'<span class="badge done">'
                f'{_e(_fmt(L["case.done_on"], date=task.done.isoformat()))}'
                f'</span> <button type="submit" class="link">{_e(L["case.undo"])}</button></form>')
    out = [f'<form method="post" action="/cases/{case_id}/tasks/{tid}/done" '
           f'enctype="multipart/form-data" class="done-form">'
           f'<input type="hidden" name="csrf" value="{token}">'
           f'<label>{_e(L["case.done_date"])} <input type="date" name="done" '
           f'value="{today.isoformat()}" max="{today.isoformat()}" required></label>']
    if not compact:
        out.append(f'<label>{_e(L["case.note"])} <input name="note" maxlength="2000" '
                   f'placeholder="{_e(L["case.note_hint"])}"></label>')
        if evidence_on:
            out.append(f'<label>{_e(L["case.files"])} <input type="file" name="files" '
                       f'multiple></label>')
    out.append(f'<button type="submit" class="primary" data-task="{tid}">'
               f'{_e(L["case.mark_done"])}</button></form>')
    return "".join(out)


def tasks_html(plan, *, rules: Mapping[str, Any], modules: Mapping[str, str],
               evidence_counts: Mapping[str, int], case_id: int, csrf: str,
               L: Mapping[str, str], today: date, evidence_on: bool,
               open_task: str | None) -> Markup:
    """One ``<details>`` per task: title, dates, badges, steps, rules with sources, form."""
    out = []
    critical = _e(L["case.critical"])
    unverified, note_label = _e(L["rules_page.unverified"]), _e(L["case.note"])
    lang = getattr(L, "lang", "zh")
    for task in plan.tasks:
        if task.id != open_task:  # folded: one line; the server expands it on ?task=
            out.append(task_row_html(task, modules=modules, evidence_counts=evidence_counts,
                                     L=L))
            continue
        tid = _e(task.id)
        cls = "task" + (" done" if task.done else "") + (" critical" if task.critical else "")
        out.append(f'<details id="task-{tid}" class="{cls}"'
                   f'{" open" if open_task == task.id else ""}><summary>'
                   f'<span class="state">{"✓" if task.done else "○"}</span>'
                   f'<span class="title">{_e(task.title)}</span>'
                   f'<span class="dates">{task.start.isoformat()} → {task.due.isoformat()}</span>'
                   f'<span class="module">{_e(modules.get(task.module, task.module))}</span>')
        if task.critical:
            out.append(f'<span class="badge critical">{critical}</span>')
        out.append(status_badge_html(task, L))
        out.append(_provisional_badge(task, L, plan.provisional))
        n = evidence_counts.get(task.id)
        if n:
            out.append(f'<span class="badge">{_e(_fmt(L["case.evidence_n"], n=n))}</span>')
        out.append('</summary>')
        why = None if task.done else status_long(task, lang)
        if why:
            out.append(f'<p class="why {_BADGE.get(task.status, "")}">{_e(why)}</p>')
        out.append('<ol class="steps">')
        steps, page = web_steps(task.steps, lang)  # a command step reads as the page action
        out.extend(f"<li>{_e(step)}</li>" for step in steps)
        out.append("</ol>")
        if page:
            out.append(f'<p><a class="button" href="/cases/{case_id}/{page}">'
                       f'{_e(L["reach.actions." + page])}</a></p>')
        if task.note:
            out.append(f'<p class="note">{note_label}：{_e(task.note)}</p>')
        if task.slack_days and not task.done:
            out.append(f'<p class="meta">{_e(_fmt(L["case.slack"], n=task.slack_days))}</p>')
        out.append(task_form_html(task, case_id=case_id, csrf=csrf, L=L, today=today,
                                  compact=False, evidence_on=evidence_on))
        # where each step comes from, last, behind one disclosure and by document name (no ids)
        out.append(f'<details class="sources"><summary>{_e(L["case.sources"])}</summary>'
                   f'<ul class="rules">')
        for rid in task.rules:
            rule = rules.get(rid)
            if rule is None:
                continue
            source = _e(L["rules.sources." + rule.source])
            flag = "" if rule.verified else f' <span class="badge warn">{unverified}</span>'
            out.append(f'<li>{_e(rule.title)}：{source}，{_e(rule.reference)}{flag}</li>')
        out.append("</ul></details>")
        out.append("</details>")
    return Markup("".join(out))


def _provisional_badge(task, L: Mapping[str, str], why: dict | None = None) -> str:
    """A date counted over days no official holiday calendar covers, with the reason."""
    if not task.provisional or task.done:
        return ""
    reason = why["reason"] if why else L["export.ics.provisional"]
    return (f'<span class="badge warn" title="{_e(reason)}">'
            f'{_e(L["plan.provisional_mark"])}</span>')


def task_row_html(task, *, modules: Mapping[str, str], evidence_counts: Mapping[str, int],
                  L: Mapping[str, str]) -> str:
    """A folded task: one link that asks the server for the task opened (``?task=``).

    Steps, rules and the form are sent only for the opened task, which keeps the case page of
    a plan with many tasks small (issue 12: ≤ 150 KB); ``data-lazy`` tells app.js to follow
    the link rather than open the row in place.
    """
    tid = _e(task.id)
    cls = "task" + (" done" if task.done else "") + (" critical" if task.critical else "")
    out = [f'<a id="task-{tid}" class="{cls}" href="?task={tid}#task-{tid}" data-lazy>'
           f'<span class="state">{"✓" if task.done else "○"}</span>'
           f'<span class="title">{_e(task.title)}</span>'
           f'<span class="dates">{task.start.isoformat()} → {task.due.isoformat()}</span>'
           f'<span class="module">{_e(modules.get(task.module, task.module))}</span>']
    if task.critical:
        out.append(f'<span class="badge critical">{_e(L["case.critical"])}</span>')
    if task.done:
        out.append(f'<span class="badge done">'
                   f'{_e(_fmt(L["case.done_on"], date=task.done.isoformat()))}</span>')
    else:
        out.append(status_badge_html(task, L))
    out.append(_provisional_badge(task, L))
    n = evidence_counts.get(task.id)
    if n:
        out.append(f'<span class="badge">{_e(_fmt(L["case.evidence_n"], n=n))}</span>')
    out.append("</a>")
    return "".join(out)


def case_rows_html(rows, *, names: Mapping[str, str], status_labels: Mapping[str, str],
                   with_operator: bool, overdue_label: str = "{n}") -> Markup:
    """The dashboard's table body: one row per case (50 per page).

    The next item is the most overdue task (``overdue_label`` says by how many days), else
    the earliest open one.
    """
    out = []
    for r in rows:
        nxt = f"{r.next_due.isoformat()} {_e(r.next_task or '')}" if r.next_due else ""
        if r.next_overdue_days:
            nxt += (f' <span class="badge overdue">'
                    f'{_e(_fmt(overdue_label, n=r.next_overdue_days))}</span>')
        op = f"<td>{_e(r.operator or '—')}</td>" if with_operator else ""
        out.append(f'<tr class="{"has-overdue" if r.overdue else ""}">'
                   f'<td><a href="/cases/{r.id}">{_e(r.name)}</a></td>'
                   f'<td>{_e(names.get(r.platform, r.platform))}</td>'
                   f'<td>{_e(status_labels.get(r.status, r.status))}</td>'
                   f'<td><div class="progress small"><div class="bar" style="width: {r.percent}%">'
                   f'</div><span>{r.tasks_done}/{r.tasks_total}</span></div></td>'
                   f'<td class="num">{r.overdue or ""}</td><td>{nxt}</td>{op}</tr>')
    return Markup("".join(out))


def upcoming_rows_html(upcoming, *, milestone_labels: Mapping[str, str]) -> Markup:
    """The dashboard's key dates in the next days: one row per milestone task."""
    return Markup("".join(
        f'<tr><td>{m["due"].isoformat()}</td><td><a href="/cases/{m["case_id"]}">{_e(m["case"])}'
        f'</a></td><td>{_e(milestone_labels.get(m["milestone"], m["milestone"]))}</td>'
        f'<td><a href="/cases/{m["case_id"]}?task={_e(m["task"])}#task-{_e(m["task"])}">'
        f'{_e(m["title"])}</a></td></tr>'
        for m in upcoming))
