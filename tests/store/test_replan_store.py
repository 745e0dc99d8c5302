"""Stored cases live in time: done tasks record their facts, future dates are refused, and the
dashboard's next item is the most overdue task (else the earliest open one)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from xiabo.cases import stored
from xiabo.errors import UserError
from xiabo.store import cases as repo
from xiabo.store.cases import Actor, CaseFilter

LOCAL = Actor()


def _profile_of(case) -> dict:
    return json.loads(case.profile_json)


def test_marking_done_records_the_fact_each_task_stands_for(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    day = date(2026, 12, 20)
    case = stored.mark_task(db, case.id, "mcn-notice", date(2026, 12, 2), today=day, actor=LOCAL)
    case = stored.mark_task(db, case.id, "last-live", date(2026, 12, 18), today=day, actor=LOCAL)
    case = stored.mark_task(db, case.id, "apply-deletion", day, today=day, actor=LOCAL)
    data = _profile_of(case)
    assert data["contract"]["notice_sent_on"] == "2026-12-02"
    assert data["last_live_on"] == "2026-12-18"
    assert data["account"]["deletion_applied_on"] == "2026-12-20"
    plan = json.loads(case.plan_json)
    assert plan["milestones"]["mcn_termination"] == "2027-01-04"  # 01-01 … 01-03 New Year
    assert plan["milestones"]["transition_end"] == "2027-01-02"
    assert plan["milestones"]["deletion_complete"] == "2026-12-27"
    case = stored.mark_task(db, case.id, "last-live", None, today=day, actor=LOCAL)
    assert "last_live_on" not in _profile_of(case)


def test_a_done_date_after_today_is_refused_and_nothing_changes(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    with pytest.raises(UserError) as err:
        stored.mark_task(db, case.id, "mcn-notice", date(2026, 12, 6), today=date(2026, 11, 30),
                       actor=LOCAL)
    assert err.value.key == "replan.done_in_future" and err.value.field == "done"
    assert "2026-12-06" in err.value.render("zh") and "今天" in err.value.render("zh")
    assert repo.get_case(db, case.id).version == case.version


def test_next_item_is_the_most_overdue_else_the_earliest_open(db, profile, today):
    on_time = stored.create_case(db, dict(profile, name="按时"), today=today, actor=LOCAL)
    late = stored.create_case(db, dict(profile, name="落后", start="2026-10-01"), today=today,
                            actor=LOCAL)
    rows, _ = repo.list_cases(db, LOCAL, CaseFilter(), today=today)
    by_id = {r.id: r for r in rows}
    kept_value = json.loads(late.plan_json)
    overdue = [t for t in kept_value["tasks"] if t["behind_days"]]  # behind plan (no deadline)
    worst = max(overdue, key=lambda t: t["behind_days"])
    row = by_id[late.id]
    assert row.next_overdue_days == worst["behind_days"]
    assert row.next_task in {t["title"] for t in overdue if t["behind_days"] == worst["behind_days"]}
    assert row.next_due == date.fromisoformat(worst["planned_due"]) and row.overdue == len(overdue)
    first_open = min((t for t in json.loads(on_time.plan_json)["tasks"]
                      if t["done"] is None), key=lambda t: (t["due"], t["id"]))
    assert by_id[on_time.id].next_overdue_days == 0
    assert by_id[on_time.id].next_due == date.fromisoformat(first_open["due"])
    summary = repo.dashboard_summary(db, LOCAL, CaseFilter(), today=today)
    assert summary["with_overdue"] == 1 and summary["overdue_tasks"] == len(overdue)


def test_the_live_plan_never_ends_before_today(db, profile, today):
    case = stored.create_case(db, dict(profile, start="2026-01-05"), today=today, actor=LOCAL)
    plan = json.loads(case.plan_json)
    assert plan["end"] >= today.isoformat()
    assert all(t["due"] >= today.isoformat() for t in plan["tasks"] if t["done"] is None)
