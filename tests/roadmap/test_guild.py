"""The guild exit as a procedure with clocks (issue 24): what the plan says, and its invariants
over generated guild profiles on every platform. The dated examples are rule tests as data
(src/xiabo/rules/cases/guild_exit.yaml); these tests read the words and the shape."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xiabo
from xiabo.roadmap import calendar as cal
from xiabo.roadmap.render import to_text as RENDER
from xiabo.rules import load_rulebook

BOOK = load_rulebook()
TODAY = date(2026, 12, 7)
PLATFORMS = BOOK.platform_ids()


def _plan(platform: str, guild: dict, lang: str = "zh", today: date = TODAY, **extra):
    data = {"name": "测试", "platform": platform, "start": TODAY.isoformat(),
            "guild": {"bound": True, **guild}, **extra}
    return xiabo.plan(data, today=today, rules=BOOK, lang=lang)


def _task(plan, tid):
    return next(t for t in plan.tasks if t.id == tid)


def _text(plan) -> str:
    return "\n".join([t.title for t in plan.tasks] + [s for t in plan.tasks for s in t.steps]
                     + [b.message for b in plan.blockers] + [w.message for w in plan.warnings])


def test_yy_shows_what_each_exit_costs_before_the_choice():
    for lang in ("zh", "en"):
        plan = _plan("yy", {"channel_owner": "guild"}, lang)
        choose, apply = _task(plan, "guild-exit-choose"), _task(plan, "guild-exit-apply")
        forced = BOOK.rule("yy.guild.exit.forced_cost").value_at(TODAY)[lang]
        check = BOOK.rule("yy.guild.exit.agreed_cost").check[lang]
        assert any(forced in s for s in choose.steps)  # the cost, in the pack's words
        assert "guild-exit-choose" in apply.depends_on and choose.due < apply.start
        assert check in _text(plan)  # the unknown cost says what to check, not a guess
        kinds = BOOK.rule("yy.guild.exit.kinds").value_at(TODAY)
        assert all(any(k[lang] in s for s in choose.steps) for k in kinds)
    chosen = _plan("yy", {"channel_owner": "self", "exit_kind": "forced"})
    assert "guild-exit-choose" not in {t.id for t in chosen.tasks}
    assert any("扣除签约期间获得的经验值和频道积分" in s
               for s in _task(chosen, "guild-exit-apply").steps)
    assert any("你自己是频道所有者" in s for s in _task(chosen, "guild-exit-apply").steps)


def test_huya_guild_that_lost_platinum_frees_the_streamer():
    plan = _plan("huya", {"level": "platinum", "level_lost": True, "name": "虎虎公会"})
    apply = _task(plan, "guild-exit-apply")
    assert apply.kind == "guild_free_move"
    assert "白金公会" in apply.title and "不付违约金" in apply.title
    assert any(w.id == "guild-free-move" and "违约金" in w.message for w in plan.warnings)
    kept = _plan("huya", {"level": "platinum"})
    assert _task(kept, "guild-exit-apply").kind == "guild_exit_apply"
    assert any("白金公会" in s for s in _task(kept, "guild-exit-apply").steps)


def test_douyin_clock_in_the_text_plan_json_and_calendar():
    data = {"name": "测试", "platform": "douyin", "start": TODAY.isoformat(),
            "guild": {"bound": True, "name": "星光公会", "exit_started_on": TODAY.isoformat()}}
    plan = xiabo.plan(data, today=TODAY, rules=BOOK)
    doc = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    tasks = {t["id"]: t for t in doc["tasks"]}
    assert tasks["guild-answer"]["due"] == "2026-12-14"
    assert tasks["guild-review"]["due"] == "2026-12-24"
    assert "星光公会须在 7 天内答复退会申请" == tasks["guild-answer"]["title"]
    text = RENDER(plan)
    assert "星光公会须在 7 天内答复退会申请" in text and "平台初审（3–7 个工作日）" in text
    from icalendar import Calendar

    from xiabo.export.ical import ics

    events = {str(e.get("summary")): e for e in Calendar.from_ical(ics(plan)).walk("VEVENT")}
    answer = next(e for s, e in events.items() if "星光公会须在 7 天内答复退会申请" in s)
    assert answer.decoded("dtstart") == date(2026, 12, 14)


def test_deletion_waits_for_the_guild_exit():
    plan = _plan("douyin", {"exit_started_on": TODAY.isoformat()})
    done = _task(plan, "guild-exit-done")
    assert "guild-exit-done" in _task(plan, "verify-identity").depends_on
    assert done.due < plan.milestones["deletion_apply"]
    assert any(b.id == "guild" for b in plan.blockers)
    left = _plan("douyin", {"exit_started_on": "2026-11-01", "left_on": "2026-12-01"})
    assert not any(b.id == "guild" for b in left.blockers)
    assert not any(b.id == "guild" for b in _plan("douyin", {}, delete_account=False).blockers)


def test_a_platform_without_a_known_procedure_says_what_to_check():
    for platform in PLATFORMS:
        for lang in ("zh", "en"):
            plan = _plan(platform, {}, lang)
            text = _text(plan)
            for use in plan.rules_used:
                rule = BOOK.rule(use.id)
                if ".guild.exit." in use.id and rule.unknown:
                    assert rule.check[lang] in text, (platform, use.id)


def test_not_bound_means_no_guild_tasks():
    plan = xiabo.plan({"name": "x", "platform": "douyin", "start": TODAY.isoformat()},
                      today=TODAY, rules=BOOK)
    assert not any(t.id.startswith("guild") for t in plan.tasks)


# ---------------------------------------------------------------- generated guild profiles
_DAY = st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 12, 31))
guilds = st.fixed_dictionaries({
    "bound": st.just(True),
    "name": st.one_of(st.none(), st.sampled_from(["星光公会", "A Guild"])),
    "joined_on": st.one_of(st.none(), st.dates(date(2024, 1, 1), date(2026, 12, 6)).map(str)),
    "level": st.one_of(st.none(), st.sampled_from(["platinum", "other"])),
    "level_lost": st.booleans(),
    "last_broadcast_on": st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2026, 12, 6)).map(str)),
    "channel_owner": st.sampled_from([None, "self", "guild"]),
    "exit_kind": st.sampled_from([None, "agreed", "forced"]),
    "quota_full_this_month": st.booleans(),
    "stage": st.integers(0, 4),  # how far the exit got: none, applied, answered, reviewed, appealed
    "answer": st.sampled_from(["agreed", "refused"]),
    "result": st.sampled_from(["approved", "rejected"]),
    "gaps": st.lists(st.integers(0, 12), min_size=4, max_size=4),
})


def _facts(g: dict, today: date) -> dict:
    """The exit's dates, in order and none after today (the profile refuses future facts)."""
    g = {k: v for k, v in g.items() if not (k.endswith("_on") and v and v > str(today))}
    stage, answer, result, gaps = g.pop("stage"), g.pop("answer"), g.pop("result"), g.pop("gaps")
    day = today - timedelta(days=sum(gaps) + 1)
    names = ("exit_started_on", "guild_answer_on", "review_result_on", "appeal_on")
    for i in range(stage):
        day += timedelta(days=gaps[i])
        g[names[i]] = day.isoformat()
    if stage >= 2:
        g["guild_answer"] = answer
    if stage >= 3:
        g["review_result"] = result
        g["review_started_on"] = g["guild_answer_on"]
    return {k: v for k, v in g.items() if v is not None}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLATFORMS), guilds, st.dates(date(2026, 1, 5), date(2026, 12, 20)),
       st.booleans())
def test_guild_plan_invariants(platform, raw, today, delete):
    guild = _facts(raw, today)
    data = {"name": "测试", "platform": platform, "start": today.isoformat(),
            "delete_account": delete, "guild": guild}
    plan = xiabo.plan(data, today=today, rules=BOOK)
    tasks = {t.id: t for t in plan.tasks}
    for task in plan.tasks:  # no open task before today
        if task.done is None and task.status != "done":
            assert task.due >= today, (task.id, task.due, today)
    # blockers first: whatever blocks deletion ends before the deletion request
    if delete and "guild-exit-done" in tasks:
        assert any(b.id == "guild" for b in plan.blockers) or guild.get("left_on")
        apply = plan.milestones["deletion_apply"]
        for b in plan.blockers:
            if b.id.startswith("guild") and b.task in tasks:
                assert tasks[b.task].due < apply
    # the guild's answer window counts like every legal period (民法典 Art. 201–203)
    view = BOOK.platform(platform)
    rule = view.find("guild.exit.guild_answer_days")
    if "guild-answer" in tasks and "exit_started_on" in guild and not rule.unknown \
            and "guild_answer_on" not in guild:
        applied = date.fromisoformat(guild["exit_started_on"])
        days = rule.value_at(today)
        end, _ = cal.for_book(BOOK).legal_period_end(applied, days)
        assert tasks["guild-answer"].due == end
        assert days <= (end - applied).days <= days + 10
        assert not cal.for_book(BOOK).is_rest_day(end)
    # the earliest day to apply is never before the tenure allows
    tenure = view.find("guild.exit.min_tenure_days")
    if tenure is not None and "joined_on" in guild and "exit_started_on" not in guild \
            and tasks["guild-exit-apply"].kind == "guild_exit_apply":
        joined = date.fromisoformat(guild["joined_on"])
        assert tasks["guild-exit-apply"].start >= joined + timedelta(days=tenure.value_at(today))
    # every unknown the procedure reads is shown as what to check
    text = _text(plan)
    for use in plan.rules_used:
        found = BOOK.rule(use.id)
        if ".guild.exit." in use.id and found.unknown:
            assert found.check["zh"] in text, use.id


def test_marking_the_application_done_records_the_day_and_starts_the_clock():
    from xiabo.roadmap.progress import record_done

    data = {"name": "测试", "platform": "douyin", "start": TODAY.isoformat(),
            "guild": {"bound": True}}
    record_done(data, "guild-exit-apply", TODAY, today=TODAY)
    assert data["guild"]["exit_started_on"] == TODAY.isoformat()
    plan = xiabo.plan(data, today=TODAY, rules=BOOK)
    assert _task(plan, "guild-answer").due == date(2026, 12, 14)
    record_done(data, "guild-exit-done", TODAY, today=TODAY)
    assert data["guild"]["left_on"] == TODAY.isoformat()
    assert not any(b.id == "guild" for b in xiabo.plan(data, today=TODAY, rules=BOOK).blockers)


def test_the_guild_letters_are_named_as_people_write_them():
    from xiabo.letters.kinds import resolve_kind

    assert resolve_kind("退会申请") == "guild-exit" and resolve_kind("退会") == "guild-exit"
    assert resolve_kind("第一轮举证材料") == "evidence-1"
    assert resolve_kind("第2轮举证材料") == "evidence-2"
    assert resolve_kind("申诉") == "appeal" and resolve_kind("appeal", "en") == "appeal"


def test_bilibili_says_there_is_no_cooldown_after_leaving():
    plan = _plan("bilibili", {"joined_on": "2026-08-29"})
    assert any("没有冷却期" in s for s in _task(plan, "guild-exit-done").steps)
    assert not any("冷却期" in s for s in _task(_plan("douyin", {}), "guild-exit-done").steps)


def test_round_one_evidence_cannot_be_put_off_past_the_guilds_answer():
    """Its last day is the guild's answer date: the slack never runs past its own deadline
    (a task with a real deadline that ends before it was shown as postponable to the exit)."""
    plan = _plan("douyin", {"name": "星光公会", "exit_started_on": TODAY.isoformat()})
    ev, answer = _task(plan, "guild-evidence-1"), _task(plan, "guild-answer")
    assert ev.deadline == answer.due == date(2026, 12, 14)
    assert ev.slack_days == (ev.deadline - ev.due).days
