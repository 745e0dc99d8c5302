"""Case repository on SQLite and PostgreSQL: create, progress, re-planning, dashboard, roles."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest

from xiabo.cases import stored
from xiabo.errors import UserError
from xiabo.store import cases as repo
from xiabo.store.cases import Actor, CaseFilter, NotFound

LOCAL = Actor()


def _plan_task(case, task_id):
    return next(t for t in json.loads(case.plan_json)["tasks"] if t["id"] == task_id)


def test_create_stores_plan_baseline_and_task_rows(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    plan = json.loads(case.plan_json)
    assert plan["schema"] == "xiabo.plan/1"
    assert json.loads(case.baseline_json)["tasks"] == [
        {"id": t["id"], "title": t["title"], "start": t["start"], "due": t["due"]}
        for t in plan["tasks"]]
    assert case.tasks_total == len(plan["tasks"]) > 20
    assert case.tasks_done == 0 and case.status == "active"
    assert case.start == date(2026, 12, 1) and case.key == "小美的直播间"
    rows, total = repo.list_cases(db, LOCAL, CaseFilter(), today=today)
    assert total == 1 and rows[0].tasks_total == case.tasks_total
    # a second case with the same name gets its own folder key
    again = stored.create_case(db, profile, today=today, actor=LOCAL)
    assert again.key == "小美的直播间-2"


def test_start_defaults_to_today(db, profile, today):
    profile.pop("start")
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    assert case.start == today
    assert json.loads(case.profile_json)["start"] == today.isoformat()


def test_invalid_profile_names_field_and_fix(db, profile, today):
    profile["followers"] = -5
    with pytest.raises(UserError) as err:
        stored.create_case(db, profile, today=today, actor=LOCAL)
    assert err.value.field == "followers" and err.value.fix_key == "profile.fix.not_negative"
    profile["followers"] = 1
    profile["platform"] = "acfun"
    with pytest.raises(UserError) as err:
        stored.create_case(db, profile, today=today, actor=LOCAL)
    assert err.value.field == "platform"
    assert repo.list_cases(db, LOCAL, CaseFilter(), today=today)[1] == 0


def test_late_task_moves_downstream_and_diff_shows_days(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    before = _plan_task(case, "mcn-termination")
    case = stored.mark_task(db, case.id, "mcn-notice", date(2026, 12, 10), today=date(2026, 12, 10),
                          actor=LOCAL, note="EMS 1234")
    after = _plan_task(case, "mcn-termination")
    moved = date.fromisoformat(after["due"]) - date.fromisoformat(before["due"])
    assert moved == timedelta(days=11)
    assert case.tasks_done == 1
    assert json.loads(case.profile_json)["progress"]["mcn-notice"] == {"done": "2026-12-10",
                                                                      "note": "EMS 1234"}
    # the notice task stands for a fact: the date the notice was sent
    assert json.loads(case.profile_json)["contract"]["notice_sent_on"] == "2026-12-10"
    _plan, changes = stored.changes(case, db, date(2026, 12, 10))
    moved = {c.task_id: c.due_days for c in changes if c.kind == "moved"}
    assert moved["mcn-termination"] == 11 and moved["mcn-notice"] == 9
    # reset the baseline: nothing has moved any more
    case = stored.reset_baseline(db, case.id, today=date(2026, 12, 10), actor=LOCAL)
    assert [c for c in stored.changes(case, db, date(2026, 12, 10))[1] if c.kind == "moved"] == []
    assert case.baseline_at == date(2026, 12, 10)
    # undo
    case = stored.mark_task(db, case.id, "mcn-notice", None, today=date(2026, 12, 10), actor=LOCAL)
    assert case.tasks_done == 0 and "progress" not in json.loads(case.profile_json)
    assert "notice_sent_on" not in json.loads(case.profile_json)["contract"]


def test_editing_dates_replans(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    case = stored.set_dates(db, case.id, today=today, actor=LOCAL, start=date(2026, 12, 8))
    assert case.start == date(2026, 12, 8)
    _plan, changes = stored.changes(case, db, today)
    assert all(c.start_days >= 0 for c in changes) and any(c.start_days == 7 for c in changes)
    with pytest.raises(UserError) as err:  # a notice not sent yet cannot be recorded as sent
        stored.set_dates(db, case.id, today=today, actor=LOCAL, notice_sent_on=date(2026, 12, 20))
    assert err.value.field == "notice_sent_on" and err.value.key == "replan.done_in_future"
    later = date(2026, 12, 20)
    case = stored.set_dates(db, case.id, today=later, actor=LOCAL, notice_sent_on=later)
    assert json.loads(case.profile_json)["contract"]["notice_sent_on"] == "2026-12-20"
    term = _plan_task(case, "mcn-termination")
    assert term["due"] >= "2027-01-19"
    case = stored.set_dates(db, case.id, today=later, actor=LOCAL, notice_sent_on=None)
    assert "notice_sent_on" not in json.loads(case.profile_json)["contract"]


def test_unknown_task_and_case(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    with pytest.raises(NotFound):
        stored.mark_task(db, case.id, "no-such-task", today, today=today, actor=LOCAL)
    with pytest.raises(NotFound):
        stored.mark_task(db, 9999, "mcn-notice", today, today=today, actor=LOCAL)


def test_dashboard_aggregates_filters_and_pages(db, profile, today):
    ids = []
    for i in range(7):
        p = dict(profile, name=f"主播{i}", platform="douyin" if i % 2 else "kuaishou")
        ids.append(stored.create_case(db, p, today=today, actor=LOCAL).id)
    later = date(2026, 12, 20)  # some tasks are overdue by then
    stored.mark_task(db, ids[0], "evidence-setup", date(2026, 12, 1), today=later, actor=LOCAL)
    rows, total = repo.list_cases(db, LOCAL, CaseFilter(per_page=3, page=1), today=later)
    assert total == 7 and len(rows) == 3 and rows[0].id == ids[-1]
    rows3, _ = repo.list_cases(db, LOCAL, CaseFilter(per_page=3, page=3), today=later)
    assert [r.id for r in rows3] == [ids[0]]
    assert rows3[0].tasks_done == 1 and rows3[0].overdue > 0
    # the next item is the most overdue task, with how late it is
    assert rows3[0].next_due is not None and rows3[0].next_due < later
    assert rows3[0].next_overdue_days == (later - rows3[0].next_due).days
    dy, n = repo.list_cases(db, LOCAL, CaseFilter(platform="douyin"), today=later)
    assert n == 3 and {r.platform for r in dy} == {"douyin"}
    _, n = repo.list_cases(db, LOCAL, CaseFilter(query="主播1"), today=later)
    assert n == 1
    _, n = repo.list_cases(db, LOCAL, CaseFilter(query="%"), today=later)
    assert n == 0  # LIKE wildcards are escaped
    _, n = repo.list_cases(db, LOCAL, CaseFilter(status="overdue"), today=later)
    assert n == 7
    _, n = repo.list_cases(db, LOCAL, CaseFilter(status="overdue"), today=today)
    assert n == 0
    summary = repo.dashboard_summary(db, LOCAL, CaseFilter(), today=later)
    assert summary["total"] == 7 and summary["with_overdue"] == 7
    assert summary["overdue_tasks"] == sum(r.overdue for r in
                                           repo.list_cases(db, LOCAL, CaseFilter(), today=later)[0])
    assert summary["platforms"] == ["douyin", "kuaishou"]
    upcoming = repo.upcoming_milestones(db, LOCAL, CaseFilter(), today=today, days=14)
    assert upcoming and all(today <= m["due"] <= today + timedelta(days=14) for m in upcoming)
    assert {m["milestone"] for m in upcoming} >= {"mcn_notice"}
    repo.set_status(db, ids[1], "archived", actor=LOCAL)
    _, n = repo.list_cases(db, LOCAL, CaseFilter(status="archived"), today=later)
    assert n == 1


def test_roles_limit_what_is_visible(db, profile, today):
    from xiabo.store.users import actor_for, add_user

    a = stored.create_case(db, dict(profile, name="A"), today=today, actor=LOCAL)
    b = stored.create_case(db, dict(profile, name="B"), today=today, actor=LOCAL)
    op = add_user(db, "op", "operator", "op-tea-kettle", case_ids=[a.id])
    st = add_user(db, "st", "streamer", "st-tea-kettle", case_ids=[b.id])
    op_actor, st_actor = actor_for(op), actor_for(st)
    assert [r.id for r in repo.list_cases(db, op_actor, CaseFilter(), today=today)[0]] == [a.id]
    assert [r.id for r in repo.list_cases(db, st_actor, CaseFilter(), today=today)[0]] == [b.id]
    with pytest.raises(NotFound):
        repo.require_case(db, a.id, st_actor)
    with pytest.raises(NotFound):
        stored.mark_task(db, b.id, "mcn-notice", today, today=today, actor=op_actor)
    stored.mark_task(db, b.id, "mcn-notice", today, today=today, actor=st_actor)
    assert repo.dashboard_summary(db, op_actor, CaseFilter(), today=today)["total"] == 1


def test_calendar_token_is_unguessable_and_revocable(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    token = repo.new_calendar_token(db, case.id, actor=LOCAL)
    assert len(token) >= 40
    assert repo.case_by_token(db, token).id == case.id
    assert repo.case_by_token(db, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    second = repo.new_calendar_token(db, case.id, actor=LOCAL)
    assert second != token and repo.case_by_token(db, token) is None
    repo.revoke_calendar_token(db, case.id, actor=LOCAL)
    assert repo.case_by_token(db, second) is None


def test_every_change_is_audited(db, profile, today):
    from xiabo.store.users import audit_entries

    case = stored.create_case(db, profile, today=today, actor=Actor(id=None, name="me"))
    stored.mark_task(db, case.id, "mcn-notice", today, today=today, actor=LOCAL, note="x")
    stored.reset_baseline(db, case.id, today=today, actor=LOCAL)
    entries, total = audit_entries(db, case_id=case.id)
    assert total == 3
    assert [e["action"] for e in entries] == ["baseline.reset", "task.done", "case.create"]
    assert entries[1]["detail"] == {"task": "mcn-notice", "done": today.isoformat(), "note": "x"}


def test_twenty_concurrent_writers_lose_no_update(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=LOCAL)
    task_ids = [t["id"] for t in json.loads(case.plan_json)["tasks"]][:20]
    assert len(task_ids) == 20
    errors = []
    barrier = threading.Barrier(20)

    def worker(task_id):
        try:
            barrier.wait()
            stored.mark_task(db, case.id, task_id, today, today=today, actor=LOCAL)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in task_ids]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    final = repo.get_case(db, case.id)
    assert set(json.loads(final.profile_json)["progress"]) == set(task_ids)
    assert final.tasks_done == 20 and final.version == 21


def test_next_item_and_late_count_match_the_open_tasks(db, profile, today):
    """The dashboard's next item is the earliest open task (ties: the smaller task id) and its
    late count is every open task due before today: checked against the task rows directly."""
    import random

    from xiabo.store.models import CaseTask

    rng = random.Random(5)
    ids = [stored.create_case(db, dict(profile, name=f"主播{i}"), today=today, actor=LOCAL).id
           for i in range(4)]
    with db.read() as s:
        task_ids = sorted(t for (t,) in s.query(CaseTask.task_id).filter(
            CaseTask.case_id == ids[0]))
    for cid in ids:
        for task_id in rng.sample(task_ids, 6):
            stored.mark_task(db, cid, task_id, today, today=today, actor=LOCAL)
    for day in (today, today + timedelta(days=20), today + timedelta(days=90)):
        rows, _ = repo.list_cases(db, LOCAL, CaseFilter(), today=day)
        with db.read() as s:
            tasks = s.query(CaseTask).filter(CaseTask.done.is_(None)).all()
        for row in rows:
            mine = sorted((t.due, t.task_id, t.title_zh) for t in tasks if t.case_id == row.id)
            assert (row.next_due, row.next_task) == (mine[0][0], mine[0][2])
            assert row.overdue == sum(1 for t in mine if t[0] < day)
            assert row.next_overdue_days == max((day - mine[0][0]).days, 0)


def test_dashboard_page_is_cached_but_follows_every_change(db, profile, today):
    """The dashboard's page rows are kept until a case changes: a task marked, a letter step,
    an operator assigned or removed each show on the next read, as a fresh query gives them."""
    from dataclasses import asdict

    from xiabo.cases import letters
    from xiabo.store import dashboard
    from xiabo.store.users import add_user, remove_user

    later = today + timedelta(days=60)
    case = stored.create_case(db, profile, today=today, actor=LOCAL)

    def page(day=today):
        rows = repo.list_cases(db, LOCAL, CaseFilter(), today=day)[0]
        with dashboard._AGG_LOCK:
            dashboard._AGG_CACHE.clear()
        fresh = repo.list_cases(db, LOCAL, CaseFilter(), today=day)[0]
        assert [asdict(r) for r in rows] == [asdict(r) for r in fresh]  # the cache tells the truth
        return rows[0]

    first = page()
    cached = [repo.list_cases(db, LOCAL, CaseFilter(), today=today)[0][0] for _ in range(2)]
    assert cached[0] is cached[1]  # the second read came from the cache
    stored.mark_task(db, case.id, "mcn-notice", today, today=today, actor=LOCAL)
    assert page().tasks_done == first.tasks_done + 1
    op = add_user(db, "op", "operator", "op-tea-kettle")
    repo.assign_operator(db, case.id, op.id, actor=LOCAL)
    assert page().operator == "op"
    remove_user(db, "op")
    assert page().operator is None
    assert page(later).letters_overdue == 0
    letter = letters.draft(db, repo.get_case(db, case.id), "pi-copy", today=today, lang="zh",
                           actor=LOCAL)
    letters.step(db, repo.get_case(db, case.id), letter.id, "sent", today=today, actor=LOCAL)
    assert page(later).letters_overdue == 1
