"""roadmap.ics by default: every task an all-day event a phone calendar shows, with its steps."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from xiabo import export
from xiabo.export.ical import task_uid
from xiabo.paths import case_slug


def _events(plan):
    cal = Calendar.from_ical(export.ics(plan))
    assert not list(cal.walk("VTODO"))
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_every_task_is_an_all_day_event_with_its_steps(ks_plan):
    events = _events(ks_plan)
    case = case_slug(ks_plan.name)
    for task in ks_plan.tasks:
        event = events[task_uid(case, task.id)]
        assert event.decoded("dtstart") == task.start
        assert event.decoded("dtend") == task.due + timedelta(days=1)  # DTEND is exclusive
        text = str(event["description"])
        for step in task.steps:
            assert step.split("（")[0][:12] in text
        assert "common." not in text and "{'" not in text


def test_reminders_on_start_day_and_before_a_deadline(ks_plan):
    events = _events(ks_plan)
    case = case_slug(ks_plan.name)
    tax = next(t for t in ks_plan.tasks if t.id.startswith("tax-declaration"))
    alarms = [c for c in events[task_uid(case, tax.id)].subcomponents if c.name == "VALARM"]
    start = [a for a in alarms if "RELATED" not in a["trigger"].params]
    assert [a["trigger"].dt for a in start] == [timedelta(hours=9)]  # 09:00 on the start day
    before = sorted(a["trigger"].dt for a in alarms if a["trigger"].params.get("RELATED") == "END")
    # 7 and 1 days before the due date (rule common.practice.deadline_reminder_days), at 09:00
    assert before == [-timedelta(days=8) + timedelta(hours=9), -timedelta(days=2) + timedelta(hours=9)]
    one_day = next(t for t in ks_plan.tasks if t.start == t.due and not t.done)
    alarms = [c for c in events[task_uid(case, one_day.id)].subcomponents if c.name == "VALARM"]
    assert len(alarms) == 1


def test_key_dates_carry_the_steps_of_their_task(ks_plan):
    cal = Calendar.from_ical(export.ics(ks_plan))
    last = next(e for e in cal.walk("VEVENT") if "milestone-last_live" in str(e["uid"]))
    task = next(t for t in ks_plan.tasks if t.milestone == "last_live")
    assert task.steps[0][:10] in str(last["description"])
