"""Holiday calendars as rule data: a year no official calendar covers makes every date counted
over it provisional; a calendar dropped in as an overlay (with its source) makes the dates
follow it and the mark disappear, without a code change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from xiabo.errors import UserError
from xiabo.letters.clocks import escalation_clock, followup_clock, reply_clock
from xiabo.roadmap import calendar as cal
from xiabo.rules import load_rulebook

OVERLAY = Path(__file__).parents[1] / "rules" / "fixtures" / "calendar_2027"


@pytest.fixture(scope="module")
def plain():
    return load_rulebook(use_cache=False, use_env=False)


@pytest.fixture(scope="module")
def with_2027():
    return load_rulebook([OVERLAY], use_cache=False, use_env=False)


def test_2027_is_not_covered_by_the_built_in_calendar(plain):
    days = cal.for_book(plain)
    assert days is cal.DEFAULT  # no pack year: the shared built-in calendar
    assert days.covers(2026) and not days.covers(2027)
    assert days.source(2026) == "chinese_calendar" and days.source(2027) is None
    assert days.span_provisional(date(2026, 12, 20), date(2027, 1, 3))
    assert not days.span_provisional(date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize("sent", [date(2026, 12, 31), date(2027, 2, 5)])
@pytest.mark.parametrize("kind", ["pi-copy", "settlement", "penalty"])
def test_letter_clocks_into_2027_are_provisional_until_a_calendar_is_dropped_in(
        plain, with_2027, sent, kind):
    before = reply_clock(kind, sent, plain, "kuaishou")
    after = reply_clock(kind, sent, with_2027, "kuaishou")
    assert before.provisional and before.years == (2027,)
    assert not after.provisional and after.years == ()
    assert after.due == cal.for_book(with_2027).legal_period_end(sent, after.days)[0]


def test_the_dates_follow_the_overlay(plain, with_2027):
    # 2026-12-31 + 30 days = Saturday 2027-01-30: a rest day without the calendar (moved to
    # Monday 02-01, Art. 203), a make-up working day in the overlay (stays)
    before = reply_clock("pi-copy", date(2026, 12, 31), plain, "kuaishou")
    after = reply_clock("pi-copy", date(2026, 12, 31), with_2027, "kuaishou")
    assert (before.due, before.moved) == (date(2027, 2, 1), True)
    assert (after.due, after.moved) == (date(2027, 1, 30), False)
    # 2027-02-05 + 15 days = Saturday 2027-02-20: the same
    assert followup_clock(date(2027, 2, 5), plain).due == date(2027, 2, 22)
    assert followup_clock(date(2027, 2, 5), with_2027).due == date(2027, 2, 20)
    # 12315: 7 working days after 2027-02-05 — the overlay's Spring Festival runs to 02-11
    # and 02-20 is worked: 02-12, 15, 16, 17, 18, 19, 20
    clock = escalation_clock("12315", date(2027, 2, 5), with_2027)
    assert (clock.due, clock.provisional) == (date(2027, 2, 20), False)
    assert escalation_clock("12315", date(2027, 2, 5), plain).provisional


def test_a_plan_carries_the_mark_and_its_reason(plain, with_2027):
    from xiabo.roadmap.assemble import build_plan
    from xiabo.roadmap.profile import profile_from_dict
    from xiabo.roadmap.render import to_markdown, to_text

    raw = {"name": "t", "platform": "kuaishou", "start": "2026-12-01", "delete_account": True}
    plan = build_plan(profile_from_dict(dict(raw)), plain, today=date(2026, 12, 1), lang="zh")
    assert plan.provisional["years"] == [2027]
    assert "2027" in plan.provisional["reason"] and "\n" not in plan.provisional["reason"]
    assert plan.to_dict()["provisional"] == plan.provisional
    marked = [t for t in plan.tasks if t.provisional]
    assert marked and all(t.due.year == 2027 for t in marked)
    text = to_text(plan)
    assert plan.provisional["reason"] in text and "日期暂定" in text
    assert plan.provisional["reason"] in to_markdown(plan)
    final = build_plan(profile_from_dict(dict(raw)), with_2027, today=date(2026, 12, 1), lang="zh")
    assert final.provisional is None and "provisional" not in final.to_dict()
    assert not any(t.provisional for t in final.tasks)
    assert "日期暂定" not in to_text(final)


def test_a_plan_inside_covered_years_has_no_provisional_field(plain):
    from xiabo.roadmap.assemble import build_plan
    from xiabo.roadmap.profile import profile_from_dict

    # (the annual settlement of the income year falls in the next year: 2026, covered)
    raw = {"name": "t", "platform": "douyin", "start": "2025-03-03", "delete_account": True}
    plan = build_plan(profile_from_dict(raw), plain, today=date(2025, 3, 3), lang="en")
    assert plan.provisional is None and "provisional" not in plan.to_dict()


def test_a_malformed_calendar_names_file_and_field(tmp_path):
    (tmp_path / "cal.yaml").write_text(
        "rules:\n  - id: common.calendar.year_2028\n    title: {zh: x, en: x}\n"
        "    values: {2027-11-01: {holidays: [2027-10-01], workdays: []}}\n"
        "    unit: calendar\n    source: practice\n    reference: test\n"
        "    last_verified: 2026-12-07\n    verified: false\n", encoding="utf-8")
    book = load_rulebook([tmp_path], use_cache=False, use_env=False)
    with pytest.raises(UserError) as info:
        cal.for_book(book)
    assert info.value.key == "rules.bad_calendar"
    assert info.value.field == "common.calendar.year_2028.holidays"
    assert info.value.file.endswith("cal.yaml")
