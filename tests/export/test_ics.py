"""roadmap.ics with tasks as VTODO (the --ics-todo option): UIDs stable, bytes reproducible, alarms."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar

from xiabo import export
from xiabo.export.ical import milestone_uid, task_uid
from xiabo.paths import case_slug

from .conftest import make_plan


def _parse(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, list(cal.walk("VTODO")), list(cal.walk("VEVENT"))


def test_one_todo_per_task_with_due_dates_and_modules(ks_plan):
    cal, todos, _ = _parse(export.ics(ks_plan, todo=True))
    assert str(cal["version"]) == "2.0"
    assert len(todos) == len(ks_plan.tasks)
    by_uid = {str(t["uid"]): t for t in todos}
    case = case_slug(ks_plan.name)
    for task in ks_plan.tasks:
        todo = by_uid[task_uid(case, task.id)]
        assert todo.decoded("due") == task.due
        assert str(todo["summary"]) == task.title
        assert todo.get("categories").cats[0] in ("合约", "数据", "法律", "粉丝", "财务", "账号",
                                                  "设备", "复出")
        assert int(todo["percent-complete"]) == 0
        if task.start < task.due:
            assert todo.decoded("dtstart") == task.start
        else:  # RFC 5545: DUE must be later than DTSTART, so a one-day task has no DTSTART
            assert "dtstart" not in todo
    notice = by_uid[task_uid(case, "mcn-notice")]
    assert str(notice["summary"]) == "向星光文化传媒发出书面解约通知"
    assert "合约" in notice.get("categories").cats


def test_uid_format_uses_case_slug(ks_plan):
    _, todos, events = _parse(export.ics(ks_plan, todo=True))
    assert str(todos[0]["uid"]).startswith("小美的直播间-")
    assert all(str(t["uid"]).endswith("@xiabo") for t in todos + events)
    assert len({str(t["uid"]) for t in todos + events}) == len(todos) + len(events)


def test_same_inputs_same_bytes_and_stable_uids(ks_profile, ks_plan):
    again = make_plan(ks_profile)
    first, second = export.ics(ks_plan, todo=True), export.ics(again, todo=True)
    assert first == second
    later = export.ics(make_plan(ks_profile, today=date(2026, 11, 30)), todo=True)
    def uids(data):
        return sorted(str(c["uid"]) for c in Calendar.from_ical(data).walk()
                      if c.name in ("VTODO", "VEVENT"))

    assert uids(first) == uids(later)
    assert first != later


def test_dtstamp_and_sequence_come_from_today(ks_profile, ks_plan):
    _, todos, _ = _parse(export.ics(ks_plan, todo=True))
    assert todos[0].decoded("dtstamp") == datetime(2026, 11, 25, tzinfo=UTC)
    _, later, _ = _parse(export.ics(make_plan(ks_profile, today=date(2026, 12, 3)), todo=True))
    assert int(later[0]["sequence"]) > int(todos[0]["sequence"])


def test_alarm_the_day_before_due(ks_plan):
    _, todos, events = _parse(export.ics(ks_plan, todo=True))
    for todo in todos:
        alarms = [c for c in todo.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1
        trigger = alarms[0]["trigger"]
        assert trigger.dt == timedelta(hours=-15)  # 09:00 the day before an all-day due date
        assert trigger.params["RELATED"] == "END"
        assert str(alarms[0]["action"]) == "DISPLAY"
        assert "明天" in str(alarms[0]["description"])
    for event in events:
        assert [c for c in event.subcomponents if c.name == "VALARM"]


def test_related_to_lists_dependencies(ks_plan):
    _, todos, _ = _parse(export.ics(ks_plan, todo=True))
    case = case_slug(ks_plan.name)
    by_uid = {str(t["uid"]): t for t in todos}
    for task in ks_plan.tasks:
        todo = by_uid[task_uid(case, task.id)]
        related = todo.get("related-to", [])
        related = related if isinstance(related, list) else [related]
        assert sorted(str(r) for r in related) == sorted(task_uid(case, d) for d in task.depends_on)
        for r in related:
            assert r.params["RELTYPE"] == "DEPENDS-ON"
            assert str(r) in by_uid


def test_milestones_are_all_day_events(ks_plan):
    _, _, events = _parse(export.ics(ks_plan, todo=True))
    case = case_slug(ks_plan.name)
    by_uid = {str(e["uid"]): e for e in events}
    dated = {k: v for k, v in ks_plan.milestones.items() if v}
    assert len(events) == len(dated)
    last = by_uid[milestone_uid(case, "last_live")]
    assert last.decoded("dtstart") == date(2027, 1, 15)
    assert last.decoded("dtend") == date(2027, 1, 16)
    assert "最后一场直播" in str(last["summary"])


def test_done_task_is_complete_without_alarm(hostile_plan):
    _, todos, _ = _parse(export.ics(hostile_plan, todo=True))
    case = case_slug(hostile_plan.name)
    done = next(t for t in todos if str(t["uid"]) == task_uid(case, "mcn-notice"))
    assert int(done["percent-complete"]) == 100
    assert str(done["status"]) == "COMPLETED"
    assert not [c for c in done.subcomponents if c.name == "VALARM"]


def test_english_summaries(ks_plan_en):
    _, todos, events = _parse(export.ics(ks_plan_en, todo=True))
    titles = {str(t["summary"]) for t in todos}
    assert any("termination" in t.lower() for t in titles)
    assert any("Farewell live" in str(e["summary"]) for e in events)


def test_crlf_and_folded_lines(ks_plan):
    data = export.ics(ks_plan, todo=True)
    assert b"\r\n" in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
