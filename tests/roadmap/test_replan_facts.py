"""Past facts keep their legal dates: table tests across the 2025–2026 holidays.

The expected dates are computed here from ``chinese_calendar`` directly (民法典 Art. 201: the
day of the event is not counted; Art. 203: a period ending on a rest day ends on the next
working day), independently of ``xiabo.roadmap.calendar``.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import xiabo
from xiabo.rules import load_rulebook

from ..helpers import base_profile, legal_period_end

BOOK = load_rulebook()


def plan(today: date, start: date, **over):
    return xiabo.plan(base_profile(start=start.isoformat(), **over), today=today, rules=BOOK)


def contract(sent: date, days: int) -> dict:
    return {"signed": True, "agency": "某传媒", "notice_days": days,
            "notice_sent_on": sent.isoformat()}


# (notice sent, notice days, plan start): before, on and after the start, across holidays
CASES = [
    (date(2026, 6, 10), 1, date(2026, 6, 18)),    # the issue: ends 06-11, not on the start
    (date(2026, 5, 1), 30, date(2026, 6, 18)),    # 05-31 is a Sunday: 06-01
    (date(2025, 9, 5), 26, date(2025, 10, 20)),   # ends in National Day 2025: after the holiday
    (date(2025, 9, 20), 11, date(2025, 9, 20)),   # 10-01, on the start day
    (date(2025, 12, 31), 1, date(2025, 12, 1)),   # New Year's Day 2026, after the start
    (date(2026, 1, 20), 26, date(2026, 3, 1)),    # Spring Festival 2026 (02-15 …)
    (date(2026, 2, 1), 27, date(2026, 2, 1)),     # 02-28: a make-up working Saturday
    (date(2026, 4, 1), 30, date(2026, 3, 1)),     # Labour Day 2026 (05-01 …)
    (date(2026, 9, 1), 30, date(2026, 10, 9)),    # National Day 2026
    (date(2026, 9, 10), 30, date(2026, 9, 1)),    # 10-10: a make-up working Saturday (调休)
    (date(2025, 1, 27), 1, date(2025, 2, 10)),    # Spring Festival 2025
    (date(2025, 4, 3), 1, date(2025, 4, 3)),      # Qingming 2025
]


@pytest.mark.parametrize("sent,days,start", CASES)
def test_termination_follows_the_notice_by_law(sent, days, start):
    expected = legal_period_end(sent, days)
    for today in sorted({max(sent, start), expected, expected + timedelta(days=40)}):
        if today < sent:
            continue
        p = plan(today, start, contract=contract(sent, days))
        term = p.task("mcn-termination")
        assert p.milestones["mcn_notice"] == sent
        assert p.milestones["mcn_termination"] == expected == term.due, today
        if expected < today:  # shown as past: it happened by itself
            assert term.status == "done" and term.derived and term.done == expected
        else:
            assert term.done is None and term.status in ("in_progress", "upcoming")
        # what waits for the termination follows it, even when it fell before the start
        assert p.milestones["deletion_apply"] > max(expected, today - timedelta(days=1))


@pytest.mark.parametrize("held,start", [
    (date(2025, 9, 28), date(2025, 10, 10)),   # before the start, across National Day
    (date(2026, 2, 10), date(2026, 2, 10)),    # on the start, Spring Festival ahead
    (date(2026, 4, 28), date(2026, 4, 1)),     # after the start, Labour Day
])
def test_transition_runs_from_the_last_live(held, start):
    today = held + timedelta(days=3)
    p = plan(today, start, last_live_on=held.isoformat())
    days = BOOK.value("common.fans.transition_days", held)
    assert p.milestones["last_live"] == held
    assert p.milestones["transition_end"] == held + timedelta(days=days)
    reply = p.task("auto-reply")
    assert reply.start == held + timedelta(days=1) and reply.status == "in_progress"
    assert p.task("last-live").status == "done"


@pytest.mark.parametrize("platform,review", [("kuaishou", 7), ("douyin", 3), ("taobao", 15)])
def test_review_runs_from_the_deletion_request(platform, review):
    applied, start = date(2026, 1, 28), date(2026, 2, 20)  # before the start, over Spring Festival
    p = plan(date(2026, 3, 1), start, platform=platform,
             account={"bindings": [], "deletion_applied_on": applied.isoformat()})
    assert p.milestones["deletion_apply"] == applied
    assert p.milestones["deletion_complete"] == applied + timedelta(days=review)
    review_task = p.task("deletion-review")
    assert review_task.status == "done" and review_task.derived


def test_past_key_dates_are_marked_in_the_text():
    from xiabo.roadmap.render import to_text

    sent = date(2026, 6, 10)
    p = plan(date(2026, 6, 18), date(2026, 6, 18), contract=contract(sent, 1))
    text = to_text(p)
    line = next(x for x in text.splitlines() if "2026-06-11" in x)
    assert "（已过）" in line
