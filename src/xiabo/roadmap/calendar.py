"""Days in China: natural vs working days, the State Council schedule, 民法典 deadline counting.

Where the working days of a year come from, in this order:

1. a holiday calendar in a rule pack (``common.calendar.year_YYYY``, unit ``calendar``): the
   State Council's notice for that year as data, with its source. An agency drops the file for
   a new year into an overlay folder; no code change, no release;
2. ``chinese_calendar``, which carries the published schedules (2004–2026 at the time of writing);
3. otherwise ``holidays.China`` gives the statutory holidays by rule, without make-up working
   days (调休): every date counted over such a year is *provisional*.

A :class:`HolidayCalendar` holds the pack years; :func:`for_book` gives the one of a rule book
(memoised on the book). The module functions use the built-in sources only.
"""

from __future__ import annotations

import calendar as _stdcal
from datetime import date, timedelta
from functools import cache

__all__ = ["HolidayCalendar", "YearDays", "DEFAULT", "for_book", "CALENDAR_PREFIX",
           "is_workday", "is_rest_day", "is_provisional", "add_days", "add_working_days",
           "next_workday", "legal_period_end", "add_months", "working_days_between",
           "span_provisional"]

_ONE = timedelta(days=1)
CALENDAR_PREFIX = "common.calendar.year_"


@cache
def _library_covers(year: int) -> bool:
    """Whether ``chinese_calendar`` carries the published schedule for ``year``."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


@cache
def _statutory_holidays(year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.China(years=year).keys())


class YearDays:
    """One year's official schedule from a rule pack: rest days off and make-up working days."""

    __slots__ = ("year", "holidays", "workdays", "rule")

    def __init__(self, year: int, holidays: frozenset[date], workdays: frozenset[date], rule: str):
        self.year, self.holidays, self.workdays, self.rule = year, holidays, workdays, rule

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _days(entries, year: int, rule, field: str) -> frozenset[date]:
    """Dates from ``YYYY-MM-DD`` or ``YYYY-MM-DD..YYYY-MM-DD`` entries, all inside ``year``."""
    from ..errors import UserError

    out: set[date] = set()
    for entry in entries or ():
        text = str(entry)
        first, _, last = text.partition("..")
        try:
            lo = date.fromisoformat(first.strip())
            hi = date.fromisoformat(last.strip()) if last else lo
        except ValueError:
            lo = hi = None
        if lo is None or hi < lo or lo.year != year or hi.year != year:
            raise UserError("rules.bad_calendar", {"entry": text, "year": year},
                            file=rule.file, field=f"{rule.id}.{field}",
                            fix_key="rules.fix_calendar")
        while lo <= hi:
            out.add(lo)
            lo += _ONE
    return frozenset(out)


class HolidayCalendar:
    """Working days and legal periods over pack years, the library's years and the fallback."""

    def __init__(self, years: dict[int, YearDays] | None = None):
        self.years = dict(years or {})
        self._workday: dict[date, bool] = {}

    # ---------------------------------------------------------------- sources
    def covers(self, year: int) -> bool:
        """An official schedule (pack or library) covers ``year``."""
        return year in self.years or _library_covers(year)

    def source(self, year: int) -> str | None:
        """The rule id of a pack year, ``chinese_calendar`` for the library, None if uncovered."""
        if year in self.years:
            return self.years[year].rule
        return "chinese_calendar" if _library_covers(year) else None

    def is_provisional(self, day: date) -> bool:
        """``day`` lies in a year no official calendar covers here."""
        return not self.covers(day.year)

    def span_provisional(self, first: date, last: date) -> bool:
        """Some day of ``first``…``last`` lies in a year no official calendar covers."""
        lo, hi = min(first, last), max(first, last)
        return any(not self.covers(y) for y in range(lo.year, hi.year + 1))

    def uncovered(self, days) -> list[int]:
        """The years of ``days`` (dates) no official calendar covers, sorted."""
        return sorted({d.year for d in days if not self.covers(d.year)})

    # ---------------------------------------------------------------- days
    def is_workday(self, day: date) -> bool:
        """True on a working day (make-up Saturdays included, holidays excluded)."""
        cached = self._workday.get(day)
        if cached is not None:
            return cached
        pack = self.years.get(day.year)
        if pack is not None:
            result = pack.is_workday(day)
        elif _library_covers(day.year):
            import chinese_calendar

            result = chinese_calendar.is_workday(day)
        else:
            result = day.weekday() < 5 and day not in _statutory_holidays(day.year)
        self._workday[day] = result
        return result

    def is_rest_day(self, day: date) -> bool:
        return not self.is_workday(day)

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += _ONE
        return day

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n = 0: ``day`` or the next working day)."""
        if n <= 0:
            return self.next_workday(day)
        while n:
            day += _ONE
            if self.is_workday(day):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, day = 0, start
        while day < end:
            day += _ONE
            count += self.is_workday(day)
        return count

    def legal_period_end(self, event: date, days: int) -> tuple[date, bool]:
        """Last day of a period of ``days`` natural days after ``event``.

        民法典 Art. 201: the event day is not counted, so the period runs event+1 … event+days.
        Art. 203: if that last day is a statutory rest day, the period ends on the first working
        day after it. Returns (last day, whether Art. 203 moved it).
        """
        last = event + timedelta(days=days)
        moved = self.next_workday(last)
        return moved, moved != last


DEFAULT = HolidayCalendar()


def for_book(book) -> HolidayCalendar:
    """The calendar of a rule book: its ``common.calendar.year_YYYY`` rules over the built-ins."""
    if book is None:
        return DEFAULT
    memo = book.memo("calendar")
    found = memo.get("calendar")
    if found is not None:
        return found
    years: dict[int, YearDays] = {}
    for rid, rule in book.rules.items():
        if not rid.startswith(CALENDAR_PREFIX) or rule.unit != "calendar":
            continue
        year = int(rid[len(CALENDAR_PREFIX):])
        value = rule.values[-1][1]
        years[year] = YearDays(year, _days(value.get("holidays"), year, rule, "holidays"),
                               _days(value.get("workdays"), year, rule, "workdays"), rid)
    found = memo["calendar"] = HolidayCalendar(years) if years else DEFAULT
    return found


# ------------------------------------------------------------------ the built-in calendar
def is_workday(day: date) -> bool:
    return DEFAULT.is_workday(day)


def is_rest_day(day: date) -> bool:
    """A statutory rest day: weekend or public holiday, unless it is a make-up workday."""
    return not DEFAULT.is_workday(day)


def is_provisional(day: date) -> bool:
    """True when ``day`` lies in a year whose holiday schedule is not yet published here."""
    return DEFAULT.is_provisional(day)


def span_provisional(first: date, last: date) -> bool:
    return DEFAULT.span_provisional(first, last)


def add_days(day: date, n: int) -> date:
    return day + timedelta(days=n)


def next_workday(day: date) -> date:
    return DEFAULT.next_workday(day)


def add_working_days(day: date, n: int) -> date:
    return DEFAULT.add_working_days(day, n)


def working_days_between(start: date, end: date) -> int:
    return DEFAULT.working_days_between(start, end)


def legal_period_end(event: date, days: int) -> tuple[date, bool]:
    return DEFAULT.legal_period_end(event, days)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later; the month's last day when it has no such day (民法典 Art. 202)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _stdcal.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
