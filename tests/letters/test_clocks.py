"""Clocks across the 2025–2026 holidays, checked against ``chinese_calendar`` directly."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.letters import clocks
from xiabo.letters.model import Letter
from xiabo.rules import load_rulebook

from ..helpers import legal_period_end

BOOK = load_rulebook()


def oracle_working(event: date, n: int) -> date:
    day = event
    while n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


def test_pi_request_waits_thirty_days_and_skips_national_day_2025():
    clock = clocks.reply_clock("pi-copy", date(2025, 9, 1), BOOK, "kuaishou")
    assert clock.days == 30 and clock.rule == "common.letters.reply_days.pi_request"
    # 2025-10-01 is National Day; the holiday runs to 10-08, so the answer is due 10-09
    assert clock.due == date(2025, 10, 9) and clock.moved


def test_spring_festival_2026_and_make_up_workday():
    # sent 2026-01-16: day 30 is 2026-02-15, inside the Spring Festival holiday (02-15..02-23)
    clock = clocks.reply_clock("pi-deletion", date(2026, 1, 16), BOOK, "douyin")
    assert clock.due == legal_period_end(date(2026, 1, 16), 30) == date(2026, 2, 24)
    # a make-up Saturday is a working day: nothing moves (2026-02-14 is one)
    assert chinese_calendar.is_workday(date(2026, 2, 14))
    clock = clocks.reply_clock("pi-copy", date(2026, 1, 15), BOOK, "douyin")
    assert clock.due == date(2026, 2, 14) and not clock.moved


def test_termination_uses_the_contract_notice_period():
    clock = clocks.reply_clock("termination", date(2026, 9, 1), BOOK, "kuaishou", notice_days=60)
    assert clock.rule == "profile:contract.notice_days"
    assert clock.due == legal_period_end(date(2026, 9, 1), 60) == date(2026, 11, 2)
    late = clocks.reply_clock("termination", date(2026, 12, 1), BOOK, "kuaishou", notice_days=60)
    assert late.provisional  # 2027: the holiday schedule is not published yet
    clock = clocks.reply_clock("termination", date(2026, 3, 1), BOOK, "kuaishou")
    assert clock.rule == "common.contract.notice_days" and clock.due == legal_period_end(
        date(2026, 3, 1), 30)


def test_12315_counts_working_days():
    # 2025-09-26 (Fri): 09-28 (Sun) is a make-up workday, 10-01..10-08 holiday, 10-11 (Sat) works
    clock = clocks.escalation_clock("12315", date(2025, 9, 26), BOOK)
    assert clock.unit == "working_days" and clock.days == 7
    assert clock.due == oracle_working(date(2025, 9, 26), 7)
    assert clocks.escalation_clock("12377", date(2025, 9, 26), BOOK) is None


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 15)),
       st.sampled_from(["settlement", "penalty", "pi-copy", "pi-transfer", "pi-deletion",
                        "refusal-reasons"]))
def test_reply_clock_matches_chinese_calendar(sent, kind):
    clock = clocks.reply_clock(kind, sent, BOOK, "kuaishou")
    assert clock.due == legal_period_end(sent, clock.days)
    assert clock.moved == (clock.due != sent + timedelta(days=clock.days))
    assert not clock.provisional


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 1)))
def test_followup_and_12315_clocks_match_chinese_calendar(on):
    follow = clocks.followup_clock(on, BOOK)
    if follow.due.year <= 2026:
        assert follow.due == legal_period_end(on, follow.days)
    else:
        assert follow.provisional
    esc = clocks.escalation_clock("12315", on, BOOK)
    if on <= date(2026, 12, 15):
        assert esc.due == oracle_working(on, esc.days)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
       st.integers(min_value=0, max_value=400))
def test_overdue_days_follow_today(due, later):
    letter = Letter("pi-copy-1", "pi-copy", "zh", "kuaishou", "x", due, state="sent",
                    sent_on=due, due=due)
    today = due + timedelta(days=later)
    assert letter.overdue_days(today) == later
    assert letter.shown_state(today) == ("overdue" if later else "sent")
    assert letter.next_step(today) == ("followup" if later else None)
