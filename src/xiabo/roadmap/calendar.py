"""Days in China: natural vs working days, the State Council schedule, 民法典 deadline counting.

Working days follow the published holiday schedule with weekend make-up workdays (调休) via
``chinese_calendar``. For years it does not cover yet, ``holidays.China`` supplies the statutory
holidays by rule (no make-up days), and every date computed from those years is *provisional*.
"""

from __future__ import annotations

import calendar as _stdcal
from datetime import date, timedelta
from functools import cache

__all__ = ["is_workday", "is_rest_day", "is_provisional", "add_days", "add_working_days",
           "next_workday", "legal_period_end", "add_months", "working_days_between"]

_ONE = timedelta(days=1)


@cache
def _year_source(year: int) -> str:
    """'official' when the published schedule covers ``year``, else 'provisional'."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return "official"
    except NotImplementedError:
        return "provisional"


@cache
def _provisional_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.China(years=year).keys())


_workday_cache: dict[date, bool] = {}


def is_workday(day: date) -> bool:
    """True on a working day (make-up Saturdays included, holidays excluded)."""
    cached = _workday_cache.get(day)
    if cached is not None:
        return cached
    if _year_source(day.year) == "official":
        import chinese_calendar

        result = chinese_calendar.is_workday(day)
    else:
        result = day.weekday() < 5 and day not in _provisional_holidays(day.year)
    _workday_cache[day] = result
    return result


def is_rest_day(day: date) -> bool:
    """A statutory rest day: weekend or public holiday, unless it is a make-up workday."""
    return not is_workday(day)


def is_provisional(day: date) -> bool:
    """True when ``day`` lies in a year whose holiday schedule is not yet published here."""
    return _year_source(day.year) == "provisional"


def add_days(day: date, n: int) -> date:
    return day + timedelta(days=n)


def next_workday(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_workday(day):
        day += _ONE
    return day


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (n = 0: ``day`` or the next working day)."""
    if n <= 0:
        return next_workday(day)
    while n:
        day += _ONE
        if is_workday(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]."""
    count, day = 0, start
    while day < end:
        day += _ONE
        count += is_workday(day)
    return count


def legal_period_end(event: date, days: int) -> tuple[date, bool]:
    """Last day of a period of ``days`` natural days after ``event``.

    民法典 Art. 201: the event day is not counted, so the period runs event+1 … event+days.
    Art. 203: if that last day is a statutory rest day, the period ends on the first working
    day after it. Returns (last day, whether Art. 203 moved it).
    """
    last = event + timedelta(days=days)
    moved = next_workday(last)
    return moved, moved != last


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later; the month's last day when it has no such day (民法典 Art. 202)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
