from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.roadmap import calendar as cal


def test_make_up_workday_counts_as_workday():
    day = date(2026, 1, 1)
    makeups = []
    while day.year == 2026:
        if day.weekday() >= 5 and cal.is_workday(day):
            makeups.append(day)
        day += timedelta(days=1)
    assert makeups, "2026 has weekend make-up workdays (调休)"
    before = makeups[0] - timedelta(days=1)
    # adding working days from the day before lands on the make-up day when it is next
    nxt = cal.add_working_days(before, 1)
    assert nxt <= makeups[0]


def test_national_day_is_rest():
    assert not cal.is_workday(date(2026, 10, 1))
    assert cal.is_rest_day(date(2026, 10, 3))


def test_legal_period_art_201_and_203():
    # Art. 201: event day not counted — 30 days after 2026-11-02 is 2026-12-02 (a Wednesday)
    end, moved = cal.legal_period_end(date(2026, 11, 2), 30)
    assert end == date(2026, 12, 2) and not moved
    # Art. 203: 2026-09-01 + 30 = 2026-10-01 (National Day) -> first working day after the holiday
    end, moved = cal.legal_period_end(date(2026, 9, 1), 30)
    assert moved and end > date(2026, 10, 1) and cal.is_workday(end)
    day = date(2026, 10, 1)
    while day < end:
        assert cal.is_rest_day(day)
        day += timedelta(days=1)


def test_years_beyond_schedule_are_provisional():
    assert not cal.is_provisional(date(2026, 6, 1))
    assert cal.is_provisional(date(2027, 6, 1))
    assert not cal.is_workday(date(2027, 10, 1))  # statutory holiday by rule
    assert cal.is_workday(date(2027, 10, 11))


def test_add_months_art_202():
    assert cal.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert cal.add_months(date(2027, 1, 31), 13) == date(2028, 2, 29)
    assert cal.add_months(date(2026, 12, 31), 12) == date(2027, 12, 31)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 1)), st.integers(0, 30))
def test_add_working_days_property(day, n):
    result = cal.add_working_days(day, n)
    assert cal.is_workday(result)
    if n == 0:
        assert result >= day
    else:
        assert result > day
        assert cal.working_days_between(day, result) == n
