"""``roadmap.ics``: the plan as an RFC 5545 calendar a phone shows.

Every task is an all-day VEVENT from its start to its due date (DTEND exclusive) whose
description holds its steps; a reminder fires at 09:00 on its start day and, for a task that
runs over several days, the days before the deadline that the rule
``common.practice.deadline_reminder_days`` gives. Stock phone calendars do not show VTODO, so
tasks as VTODO are an option (``todo=True``). Key dates are events too, with the steps of the
task that reaches them.

UIDs are ``<case>-<task id>@xiabo`` so a re-export updates the events a calendar already has
instead of duplicating them; DTSTAMP and SEQUENCE come from ``plan.today`` so the same plan
always gives the same bytes, and a later export (a later "today") wins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from .common import case_of, clean_text, fmt_date, label, milestone_label, module_label

__all__ = ["ics", "milestone_uid", "task_uid"]

# Alarms fire at 09:00: an all-day DTSTART is 00:00 of its day, DTEND 00:00 the day after.
_ALARM_BEFORE = timedelta(hours=-15)
_AT_NINE = timedelta(hours=9)
_REMINDER_RULE = "common.practice.deadline_reminder_days"
_DEFAULT_REMINDERS = (7, 1)  # used only when the rule pack is not at hand
_SEQUENCE_EPOCH = date(2020, 1, 1)
_SHANGHAI = timezone(timedelta(hours=8))


def task_uid(case: str, task_id: str) -> str:
    return f"{case}-{task_id}@xiabo"


def milestone_uid(case: str, name: str) -> str:
    return f"{case}-milestone-{name}@xiabo"


def _description(plan, task, lang: str) -> str:
    lines = [f"{i}. {clean_text(step)}" for i, step in enumerate(task.steps, 1)]
    facts = []
    if task.critical:
        facts.append(label("ics.critical", lang))
    elif task.slack_days:
        facts.append(label("ics.slack", lang, days=task.slack_days))
    if task.provisional:
        facts.append(label("ics.provisional", lang))
    if task.depends_on:
        titles = []
        for dep in task.depends_on:
            try:
                titles.append(plan.task(dep).title)
            except KeyError:
                titles.append(dep)
        facts.append(label("ics.after", lang, tasks="、".join(titles) if lang == "zh"
                           else "; ".join(titles)))
    if task.note:
        facts.append(label("ics.note", lang, note=clean_text(task.note)))
    return "\n".join(lines + ([""] if lines and facts else []) + facts)


def _alarm(text: str, related_end: bool, trigger: timedelta = _ALARM_BEFORE):
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    params = {"RELATED": "END"} if related_end else {}
    alarm.add("trigger", trigger, parameters=params)
    return alarm


def _reminder_days(plan) -> tuple[int, ...]:
    """Days before a deadline to remind (rule data; the rule's own value when the pack has it)."""
    for rule in plan.rules_used:
        if rule.id == _REMINDER_RULE:
            return tuple(int(d) for d in rule.value)
    try:
        from ..rules import load_rulebook

        return tuple(int(d) for d in load_rulebook(None).value(_REMINDER_RULE, plan.start))
    except Exception:  # noqa: BLE001 - a calendar without extra reminders beats no calendar
        return _DEFAULT_REMINDERS


def _status_tag(task, lang: str) -> str:
    """「〔逾期 3 天〕」「〔比原计划晚 1 天〕」 before a late or running task's title (the
    words every view uses); nothing for one that has not started."""
    if task.status in ("upcoming", "done"):
        return ""
    from ..i18n import t
    from ..roadmap.status import status_short

    return t("replan.status_tag", lang, status=status_short(task, lang))


def _task_event(plan, task, lang, case, stamp, sequence, reminders):
    """One all-day VEVENT from start to due (DTEND exclusive) with the steps and reminders."""
    from icalendar import Event

    event = Event()
    event.add("uid", task_uid(case, task.id))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("summary", ("✓ " if task.done else _status_tag(task, lang)) + clean_text(task.title))
    event.add("dtstart", task.start)
    event.add("dtend", task.due + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("categories", [module_label(task.module, lang)])
    event.add("description", _description(plan, task, lang))
    if task.done:
        return event
    title = clean_text(task.title)
    event.add_component(_alarm(label("ics.alarm_start", lang, title=title, due=fmt_date(task.due, lang)),
                               related_end=False, trigger=_AT_NINE))
    span = (task.due - task.start).days
    for days in sorted(set(reminders), reverse=True):
        if 0 < days <= span:  # a reminder after the start day and before the deadline
            event.add_component(_alarm(
                label("ics.alarm_deadline", lang, title=title, due=fmt_date(task.due, lang), days=days),
                related_end=True, trigger=-timedelta(days=days + 1) + _AT_NINE))
    return event


def ics(plan, todo: bool = False) -> bytes:
    """The calendar as bytes (UTF-8, CRLF line endings, lines folded at 75 octets).

    ``todo=True`` writes tasks as VTODO (for to-do apps) instead of events.
    """
    from icalendar import Calendar, Event, Todo

    lang = plan.lang
    case = case_of(plan)
    stamp = datetime.combine(plan.today, time(0, 0), tzinfo=UTC)
    sequence = max((plan.today - _SEQUENCE_EPOCH).days, 0)

    cal = Calendar()
    cal.add("prodid", "-//xiabo//xiabo roadmap//" + ("ZH" if lang == "zh" else "EN"))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", label("ics.calendar_name", lang, name=clean_text(plan.name),
                                  platform=plan.platform_name))
    cal.add("x-wr-timezone", "Asia/Shanghai")

    reminders = _reminder_days(plan)
    for task in plan.tasks:
        if not todo:
            cal.add_component(_task_event(plan, task, lang, case, stamp, sequence, reminders))
            continue
        todo_item = Todo()
        todo_item.add("uid", task_uid(case, task.id))
        todo_item.add("dtstamp", stamp)
        todo_item.add("sequence", sequence)
        todo_item.add("summary", clean_text(task.title))
        if task.start < task.due:  # RFC 5545: DUE must be later than DTSTART
            todo_item.add("dtstart", task.start)
        todo_item.add("due", task.due)
        todo_item.add("categories", [module_label(task.module, lang)])
        todo_item.add("priority", 1 if task.critical else 5)
        if task.done:
            todo_item.add("status", "COMPLETED")
            todo_item.add("percent-complete", 100)
            done_at = datetime.combine(task.done, time(0, 0), tzinfo=_SHANGHAI)
            todo_item.add("completed", done_at.astimezone(UTC))
        else:
            todo_item.add("status", "NEEDS-ACTION")
            todo_item.add("percent-complete", 0)
        for dep in task.depends_on:
            todo_item.add("related-to", task_uid(case, dep), parameters={"RELTYPE": "DEPENDS-ON"})
        todo_item.add("description", _description(plan, task, lang))
        if not task.done:
            todo_item.add_component(_alarm(label("ics.alarm_task", lang, title=clean_text(task.title),
                                            due=fmt_date(task.due, lang)), related_end=True))
        cal.add_component(todo_item)

    for name, when in plan.milestones.items():
        if when is None:
            continue
        event = Event()
        what = milestone_label(name, lang)
        event.add("uid", milestone_uid(case, name))
        event.add("dtstamp", stamp)
        event.add("sequence", sequence)
        event.add("summary", label("ics.milestone", lang, what=what))
        event.add("dtstart", when)
        event.add("dtend", when + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [label("ics.milestone_category", lang)])
        reached = next((t for t in plan.tasks if t.milestone == name), None)
        text = label("ics.milestone_description", lang, what=what, date=fmt_date(when, lang),
                     name=clean_text(plan.name))
        if reached is not None and reached.steps:
            text += "\n\n" + _description(plan, reached, lang)
        event.add("description", text)
        event.add_component(_alarm(label("ics.alarm_milestone", lang, what=what,
                                         date=fmt_date(when, lang)), related_end=False))
        cal.add_component(event)
    return cal.to_ical()
