"""``roadmap.ics``: the plan as an RFC 5545 calendar (one VTODO per task, one VEVENT per date).

UIDs are ``<case>-<task id>@xiabo`` so a re-export updates the events a calendar already has
instead of duplicating them; DTSTAMP and SEQUENCE come from ``plan.today`` so the same plan
always gives the same bytes, and a later export (a later "today") wins.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from .common import case_of, clean_text, fmt_date, label, milestone_label, module_label

__all__ = ["ics", "milestone_uid", "task_uid"]

# Alarms fire at 09:00 the day before: an all-day DUE/DTSTART is 00:00 of its day.
_ALARM_BEFORE = timedelta(hours=-15)
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
    if task.rules:
        facts.append(label("ics.rules", lang, rules=", ".join(task.rules)))
    return "\n".join(lines + ([""] if lines and facts else []) + facts)


def _alarm(text: str, related_end: bool):
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    params = {"RELATED": "END"} if related_end else {}
    alarm.add("trigger", _ALARM_BEFORE, parameters=params)
    return alarm


def ics(plan) -> bytes:
    """The calendar as bytes (UTF-8, CRLF line endings, lines folded at 75 octets)."""
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

    for task in plan.tasks:
        todo = Todo()
        todo.add("uid", task_uid(case, task.id))
        todo.add("dtstamp", stamp)
        todo.add("sequence", sequence)
        todo.add("summary", clean_text(task.title))
        if task.start < task.due:  # RFC 5545: DUE must be later than DTSTART
            todo.add("dtstart", task.start)
        todo.add("due", task.due)
        todo.add("categories", [module_label(task.module, lang)])
        todo.add("priority", 1 if task.critical else 5)
        if task.done:
            todo.add("status", "COMPLETED")
            todo.add("percent-complete", 100)
            done_at = datetime.combine(task.done, time(0, 0), tzinfo=_SHANGHAI)
            todo.add("completed", done_at.astimezone(UTC))
        else:
            todo.add("status", "NEEDS-ACTION")
            todo.add("percent-complete", 0)
        for dep in task.depends_on:
            todo.add("related-to", task_uid(case, dep), parameters={"RELTYPE": "DEPENDS-ON"})
        todo.add("description", _description(plan, task, lang))
        if not task.done:
            todo.add_component(_alarm(label("ics.alarm_task", lang, title=clean_text(task.title),
                                            due=fmt_date(task.due, lang)), related_end=True))
        cal.add_component(todo)

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
        event.add("description", label("ics.milestone_description", lang, what=what,
                                       date=fmt_date(when, lang), name=clean_text(plan.name)))
        event.add_component(_alarm(label("ics.alarm_milestone", lang, what=what,
                                         date=fmt_date(when, lang)), related_end=False))
        cal.add_component(event)
    return cal.to_ical()
