"""Clocks: when an answer is due, counted like every deadline in xiabo (民法典 Art. 201/203).

The period of each kind is rule data (``common.letters.reply_days.*``); the termination notice
waits the contract's notice period, exactly as the plan counts it. A period in natural days
starts the day after the event and, when its last day is a rest day, ends on the next working
day; a period in working days ends on the n-th working day after the event. Working days
follow the rule book's holiday calendar (``xiabo.roadmap.calendar.for_book``): a due date
counted over days no official calendar covers is *provisional*, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..roadmap import calendar as cal

__all__ = ["Clock", "reply_clock", "followup_clock", "escalation_clock",
           "period_end"]

FOLLOWUP_RULE = "common.letters.reply_days.followup"
ESCALATION_RULES = {"12315": "common.letters.reply_days.complaint_12315"}



@dataclass(frozen=True)
class Clock:
    days: int
    unit: str          # natural_days | working_days
    rule: str          # the rule id behind the period
    due: date
    moved: bool        # Art. 203 moved the last day off a rest day
    provisional: bool  # counted over days no official holiday calendar covers
    years: tuple[int, ...] = ()  # those days' years (empty unless provisional)


def period_end(event: date, days: int, unit: str, book=None) -> tuple[date, bool]:
    """Last day of a period of ``days`` after ``event`` (the event day is not counted)."""
    days_of = cal.for_book(book)
    if unit == "working_days":
        return days_of.add_working_days(event, days), False
    return days_of.legal_period_end(event, days)


def _clock(event: date, days: int, unit: str, rule: str, book) -> Clock:
    due, moved = period_end(event, int(days), unit, book)
    first = event + timedelta(days=1)
    years = tuple(y for y in range(first.year, due.year + 1)
                  if not cal.for_book(book).covers(y)) if due >= first else ()
    return Clock(int(days), unit, rule, due, moved, bool(years), years)


def reply_clock(kind: str, sent_on: date, book, platform: str, notice_days: int | None = None
                ) -> Clock:
    """The answer a letter of ``kind`` sent on ``sent_on`` waits for."""
    if kind == "termination":
        view = book.platform(platform)
        if notice_days is None:
            rule = view.rule("contract.notice_days")
            return _clock(sent_on, rule.value_at(sent_on), "natural_days", rule.id, book)
        return _clock(sent_on, notice_days, "natural_days", "profile:contract.notice_days", book)
    from .model import kind_row

    reply = kind_row(kind)["reply"]  # the letters pack names the rule per kind
    if reply.startswith("common."):
        rule = book.rule(reply)
    else:  # a platform's own clock (the guild exit's answer window, its review)
        rule = book.platform(platform).find(reply)
        if rule is None or rule.unknown_at(sent_on):  # unknown: xiabo's follow-up interval
            return followup_clock(sent_on, book)
    value = rule.value_at(sent_on)
    if isinstance(value, dict) and "max" in value:  # a range (3–7 working days): the longest
        value = value["max"]
    return _clock(sent_on, value, rule.unit, rule.id, book)


def followup_clock(on: date, book) -> Clock:
    rule = book.rule(FOLLOWUP_RULE)
    return _clock(on, rule.value_at(on), rule.unit, rule.id, book)


def escalation_clock(to: str, on: date, book) -> Clock | None:
    """The period the body escalated to has to react, where a rule states one."""
    rid = ESCALATION_RULES.get(to)
    if rid is None or rid not in book.rules:
        return None
    rule = book.rule(rid)
    return _clock(on, rule.value_at(on), rule.unit, rule.id, book)
