"""The case page's repeated rows, rendered in plain Python: the "now" lists, milestones, money
figures, the rules in use and the re-plan table.

Why not Jinja: every ``{{ }}`` in a loop is one chunk passed up through the template's
generators (block, page, base), and a case page had about 1,500 of them; these rows were most
of that and most of the page's rendering time (issue 12: case page p95 ≤ 100 ms). The page's
frame, headings and forms stay in ``case.html``. Words come from the catalogues through ``L``
exactly as the template asked for them, and every value goes through ``_e``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from markupsafe import Markup

from .tasklist import _e, _fmt, status_badge_html

# how each date of a task in the "now" lists reads
_DATE_WORDS = {"start": "phone.case.starts_on", "due": "phone.case.due_on"}

__all__ = ["changes_html", "figures_html", "milestones_html", "now_html", "rules_html",
           "sections_html", "tabs_html"]


# a task longer than this is a stretch of time (a wind-down, a waiting period): finishing it
# "today" is not the natural answer, so only its own form (with a date) is offered
QUICK_DONE_MAX_DAYS = 7


def _quick_done(task, case_id: int, done_today: str, other_date: str, today: date) -> str:
    """One tap marks the task done today (the page's shared form ``qd``) where that makes
    sense — it has started and is not a long stretch; 「记下完成日期」 opens the task's own
    form (a date, a note, files)."""
    tid = _e(task.id)
    quick = task.start <= today and (task.due - task.start).days < QUICK_DONE_MAX_DAYS
    button = (f'<button type="submit" form="qd" formaction="/cases/{case_id}/tasks/{tid}/done" '
              f'class="primary" data-task="{tid}">{done_today}</button>\n' if quick else "")
    return (f'<div class="actions">{button}'
            f'<a href="?task={tid}#task-{tid}" data-open="task-{tid}" class="other-date">'
            f'{other_date}</a></div>')


def now_html(view: Mapping[str, Any], *, case_id: int, L: Mapping[str, str]) -> Markup:
    """Late tasks (past or at risk of a real deadline first, then behind plan), today's, and
    this week's, each with its status in the words every view uses."""
    today = view["today"]
    done_today, other_date = _e(L["phone.case.done_today"]), _e(L["phone.case.other_date"])
    critical = _e(L["case.critical"])
    out: list[str] = []

    def item(task, cls: str, badges: str, dates: str) -> None:
        tid = _e(task.id)
        out.append(f'<li class="{cls}" id="now-{tid}"><a class="t" href="?task={tid}#task-{tid}">'
                   f'{_e(task.title)}</a>{badges}{dates}'
                   f'{_quick_done(task, case_id, done_today, other_date, today)}</li>')

    overdue, today_tasks, week = view["overdue"], view["today_tasks"], view["this_week"]
    if overdue:
        out.append(f'<h3 class="overdue">{_e(_fmt(L["phone.case.overdue_head"], n=len(overdue)))}'
                   f'</h3><ul class="tasklist">')
        for task in overdue:
            deadline = (f' <span class="due nw">{_e(_fmt(L["phone.case.deadline"], what=task.deadline_label, date=task.deadline.isoformat()))}</span>'
                        if task.status in ("overdue", "at_risk") and task.deadline else "")
            item(task, "overdue", " " + status_badge_html(task, L) + deadline,
                 f' <span class="due nw">'
                 f'{_e(_fmt(L["phone.case.replanned_to"], date=task.due.isoformat()))}</span> ')
        out.append("</ul>")
    for head, tasks, dates in (("phone.case.today_head", today_tasks, ("due",)),
                               ("phone.case.week_head", week, ("start", "due"))):
        if not tasks:
            continue
        out.append(f'<h3>{_e(L[head])}</h3><ul class="tasklist">')
        for task in tasks:
            badge = (f' <span class="badge critical">{critical}</span>'
                     if task.critical and head == "phone.case.today_head" else "")
            when = "".join(
                f' <span class="due nw">'
                f'{_e(_fmt(L[_DATE_WORDS[which]], date=getattr(task, which).isoformat()))}</span>'
                for which in dates)
            item(task, "critical" if task.critical else "", badge, when + " ")
        out.append("</ul>")
    if not out:
        out.append(f'<p>{_e(L["phone.case.nothing_now"])}</p>')
    return Markup("".join(out))


def milestones_html(milestones: Iterable[tuple[str, str, date]], today: date) -> Markup:
    """The milestone table's rows; past ones are greyed."""
    return Markup("".join(
        f'<tr class="{"past" if when < today else ""}"><th scope="row">{_e(label)}</th>'
        f'<td class="nw">{when.isoformat()}</td></tr>'
        for _key, label, when in milestones))


def _source_text(rule, L: Mapping[str, str]) -> str:
    return f'{_e(L["rules.sources." + rule.source])}；{_e(rule.reference)}'


def figures_html(figures: Sequence[Any], L: Mapping[str, str]) -> Markup:
    """The money figures as a definition list; each figure's rules behind 「来源」."""
    sources, unverified = _e(L["phone.case.sources"]), _e(L["rules_page.unverified"])
    out = []
    for f in figures:
        out.append(f'<div><dt>{_e(f.label)}</dt><dd class="num">{_e(f.value)}</dd>')
        if f.rules:
            items = "".join(
                f'<span class="src-item">{_e(r.title)}（{_source_text(r, L)}'
                f'{"" if r.verified else "；" + unverified}）</span>' for r in f.rules)
            out.append(f'<dd class="src-dd"><details class="src"><summary>{sources}</summary>'
                       f'{items}</details></dd>')
        out.append("</div>")
    return Markup("".join(out))


def rules_html(rules: Iterable[Any], L: Mapping[str, str]) -> Markup:
    """Every rule the plan used: its title, and behind 「来源」 the source and when it was
    last checked."""
    sources, unverified = _e(L["phone.case.sources"]), _e(L["rules_page.unverified"])
    verified_on = L["phone.case.verified_on"]
    out = []
    for r in rules:
        flag = "" if r.verified else f' <span class="badge warn">{unverified}</span>'
        out.append(f'<li>{_e(r.title)}{flag} <details class="src"><summary>{sources}</summary>'
                   f'<span class="src-item">{_source_text(r, L)}；<span class="nw">'
                   f'{_e(_fmt(verified_on, date=r.last_verified.isoformat()))}</span></span>'
                   f'</details></li>')
    return Markup("\n".join(out))


def changes_html(changes: Iterable[Any], L: Mapping[str, str]) -> Markup:
    """The re-plan table's rows: baseline dates, today's dates, and by how much they moved."""
    removed = _e(L["case.removed"])
    out = []
    for c in changes:
        tid = _e(c.task_id)
        before = (f"{c.baseline_start.isoformat()} → {c.baseline_due.isoformat()}"
                  if c.baseline_due else "—")
        now = f"{c.start.isoformat()} → {c.due.isoformat()}" if c.due else removed
        if c.kind == "moved":
            delta = _fmt(L["case.days_delta"], n=("+" if c.due_days > 0 else "") + str(c.due_days))
        else:
            delta = L["case.kind_" + c.kind]
        out.append(f'<tr class="{_e(c.kind)}" data-task="{tid}"><td>'
                   f'<a href="?task={tid}#task-{tid}">{_e(c.title)}</a></td>'
                   f'<td class="nw">{before}</td><td class="nw">{now}</td>'
                   f'<td class="delta nw">{_e(delta)}</td></tr>')
    return Markup("\n".join(out))


# a folded section's heading (the tab names the others)
_TITLES = {"timeline": "case.timeline", "money": "case.money"}


def tabs_html(sections: Sequence[str], *, here: str, L: Mapping[str, str]) -> Markup:
    """The tab links of the folded sections (app.js opens the section in place)."""
    return Markup("".join(
        f'<li><a href="{_e(here)}?show={_e(s)}#{_e(s)}" data-open="{_e(s)}">'
        f'{_e(L["phone.case.tabs." + s])}</a></li>' for s in sections))


def sections_html(sections: Sequence[str], *, show: str | None, body: str, here: str,
                  L: Mapping[str, str]) -> Markup:
    """The folded sections in tab order: ``show``'s open with ``body`` (case_fold.html, as
    /cases/N/fold/NAME sends it alone), each other one a link that asks for it. app.js fetches
    the section alone (``data-fold``) when it is tapped open, and follows the link when that
    fails; without JavaScript the link opens the page with the section."""
    out = []
    for name in sections:
        n, title = _e(name), _e(L[_TITLES.get(name, "phone.case.tabs." + name)])
        if name == show:
            out.append(f'<details id="{n}" class="card fold" open>\n'
                       f'  <summary><h2>{title}</h2></summary>\n{body}</details>\n')
            continue
        out.append(f'<details id="{n}" class="card fold" data-lazy>\n'
                   f'  <summary><h2>{title}</h2></summary>\n'
                   f'  <div class="body"><p><a href="{_e(here)}?show={n}#{n}" class="lazy-open" '
                   f'data-fold="{_e(here)}/fold/{n}">{_e(L["phone.case.open_section"])}</a></p>'
                   f'</div>\n</details>\n')
    return Markup("".join(out))
