"""Plans that live in time, over random profiles, progress histories and days.

Whatever was done when, and whatever day it is: no open task ends before today, done tasks
keep their dates, every dependency and legal period holds, the exit is not finished before
today while anything is open, and the same inputs give the same plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xiabo
from xiabo.roadmap import calendar as cal
from xiabo.roadmap.engine import build_tasks
from xiabo.roadmap.planner import _anchor
from xiabo.roadmap.profile import profile_from_dict
from xiabo.roadmap.status import PRESSING, pressure_key
from xiabo.rules import load_rulebook

BOOK = load_rulebook()
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)

devices = st.fixed_dictionaries({
    "name": st.sampled_from(["iPhone", "红米", "灯", "声卡"]),
    "type": st.sampled_from(["phone", "computer", "light", "audio"]),
    "os": st.sampled_from([None, "ios", "android"]),
    "disposal": st.sampled_from(["sell", "donate", "keep", "recycle"]),
})

profiles = st.fixed_dictionaries({
    "name": st.just("随机主播"),
    "platform": st.sampled_from(BOOK.platform_ids()),
    "followers": st.sampled_from([0, 80_000, 600_000, 1_500_000]),
    "delete_account": st.booleans(),
    "account": st.fixed_dictionaries({
        "bindings": st.lists(st.sampled_from(["wechat", "alipay"]), unique=True)}),
    "money": st.fixed_dictionaries({"balance_cny": st.sampled_from(["0", "1000"])}),
    "shop": st.one_of(st.none(), st.fixed_dictionaries({"open_orders": st.integers(0, 3)})),
    "contract": st.one_of(
        st.just({"signed": False}),
        st.fixed_dictionaries({
            "signed": st.just(True), "agency": st.just("某传媒"),
            "notice_days": st.one_of(st.none(), st.integers(0, 60)),
            "non_compete_months": st.one_of(st.none(), st.integers(0, 12))})),
    "equipment": st.lists(devices, max_size=3),
    "channels": st.lists(st.sampled_from(["weibo", "xiaohongshu"]), unique=True),
    "comeback": st.fixed_dictionaries({"plan": st.sampled_from(["none", "other_platform"])}),
})


@st.composite
def situations(draw):
    """(profile, today): a random exit, some of it done on random past days, seen on a random day."""
    data = draw(profiles)
    today = draw(st.dates(FIRST + timedelta(days=60), LAST))
    start = today + timedelta(days=draw(st.integers(-300, 60)))
    data["start"] = start.isoformat()
    if data["contract"].get("signed") and draw(st.booleans()):  # a real deadline: the contract ends
        ends = start + timedelta(days=draw(st.integers(0, 120)))
        data["contract"] = dict(data["contract"], ends_on=ends.isoformat())
    first = xiabo.plan(data, today=start, rules=BOOK)  # the plan as it was made
    ids = [t.id for t in first.tasks]
    progress = {}
    for tid in draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(8, len(ids)))):
        planned = first.task(tid).due
        done = planned + timedelta(days=draw(st.integers(-10, 40)))
        if done <= today:
            progress[tid] = {"done": done.isoformat()}
    if progress:
        data["progress"] = progress
    for fact, task in (("last_live_on", "last-live"), ("deletion_applied_on", "apply-deletion"),
                       ("notice_sent_on", "mcn-notice")):
        if task in ids and draw(st.booleans()) and draw(st.booleans()):
            when = today - timedelta(days=draw(st.integers(0, 200)))
            if fact == "notice_sent_on":
                data["contract"] = dict(data["contract"], notice_sent_on=when.isoformat())
            elif fact == "deletion_applied_on":
                data["account"] = dict(data["account"], deletion_applied_on=when.isoformat())
            else:
                data[fact] = when.isoformat()
    return data, today


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_plans_live_in_time(situation):
    data, today = situation
    plan = xiabo.plan(data, today=today, rules=BOOK)
    tasks = {t.id: t for t in plan.tasks}
    progress = data.get("progress", {})
    open_tasks = [t for t in plan.tasks if t.done is None]
    for task in plan.tasks:
        if task.done is None:  # no open task ends before today
            assert task.due >= today, task.id
            assert task.status in ("overdue", "at_risk", "behind", "in_progress", "upcoming")
            assert (task.status == "overdue") == (task.overdue_days > 0), task.id
            assert (task.status == "at_risk") == (task.risk_days > 0), task.id
            if task.status in ("overdue", "at_risk"):  # a real deadline, named; no slack
                assert task.deadline is not None and task.deadline_label
                assert task.slack_days == 0
                assert (task.deadline < today) == (task.status == "overdue")
            if task.behind_days:  # behind plan: its first planned end has passed
                assert task.start >= today and task.planned_due == today - timedelta(
                    days=task.behind_days)
                assert task.status in ("overdue", "at_risk", "behind")
            if task.status == "behind":
                assert task.behind_days > 0
            if task.status == "upcoming":
                assert task.start > today
        else:
            assert task.status == "done" and task.due == task.done and task.done <= max(
                today, task.due)
        if task.id in progress:  # done tasks keep their dates
            assert task.done == date.fromisoformat(progress[task.id]["done"])
    if open_tasks:
        assert plan.end >= today
    # past or at risk of a real deadline first, most pressing first; then by day and pressure
    pressing = [t for t in plan.tasks if t.status in PRESSING]
    assert plan.tasks[:len(pressing)] == sorted(pressing, key=pressure_key)
    rest = plan.tasks[len(pressing):]
    assert rest == sorted(rest, key=lambda t: (t.start, *pressure_key(t)))
    # every dependency and legal period holds for what is still to do
    prof = profile_from_dict(data)
    specs = build_tasks(prof, BOOK.platform(prof.platform), plan.start).tasks
    for spec in specs:
        task = tasks.get(spec.id)
        if task is None or task.done is not None:
            continue
        for dep in spec.deps:
            pred = tasks.get(dep.task)
            if pred is not None:
                anchor = date.fromordinal(_anchor(pred.due.toordinal(), dep))
                assert task.start >= anchor, (dep.task, spec.id)
    term, notice = tasks.get("mcn-termination"), tasks.get("mcn-notice")
    if term and notice and prof.contract.notice_days is not None and (
            term.done is None or term.derived):  # not marked done by hand: the law dates it
        assert term.due == cal.legal_period_end(notice.due, prof.contract.notice_days)[0]
    # deterministic
    again = xiabo.plan(data, today=today, rules=BOOK)
    assert again.to_dict() == plan.to_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles, st.dates(FIRST, LAST), st.integers(0, 400))
def test_later_days_never_pull_the_finish_earlier(data, start, days):
    """Nothing done: seen later, the plan ends no earlier, and the same tasks stay open
    (besides a tax declaration for a later income year, when the income moved into it)."""
    data = dict(data, start=start.isoformat())
    early = xiabo.plan(data, today=start, rules=BOOK)
    late = xiabo.plan(data, today=start + timedelta(days=days), rules=BOOK)
    assert late.end >= early.end
    assert {t.id for t in late.tasks if t.done is None and t.kind != "tax_declaration"} <= {
        t.id for t in early.tasks}
    assert all(t.status != "overdue" for t in early.tasks)
