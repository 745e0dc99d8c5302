"""The platform's cumulative withholding counts the *consecutive* run of months with income
(国家税务总局公告2025年第16号:「当年截至本月在本互联网平台企业连续取得劳务报酬的月份数」).
A gap month leaves open whether only the month count restarts or every running total: both
readings are computed side by side; the annual settlement decides. Hand-computed vectors,
each with its arithmetic; then properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.money.continuity import continuity, explain
from xiabo.money.ledger import Payout
from xiabo.money.tax import READINGS, cumulative, cumulative_readings
from xiabo.rules import load_rulebook


@pytest.fixture(scope="module")
def book():
    return load_rulebook(use_cache=False, use_env=False)


def monthly(amounts: dict[int, int], platform: str = "kuaishou", year: int = 2026):
    return [Payout(date(year, m, 15), platform, D(a)) for m, a in sorted(amounts.items()) if a]


def totals(book, payouts, year=2026):
    both = cumulative_readings(book, payouts, year)
    return {r: both[r].total_withholding for r in READINGS}


def test_twelve_times_8000(book):
    # each month: 8,000 − 1,600 − 5,000 = 1,400 more taxable → 42 a month
    # Dec: 96,000 − 19,200 − 12 × 5,000 = 16,800 × 3 % = 504
    r = cumulative(book, monthly({m: 8000 for m in range(1, 13)}), 2026)
    assert [m.withholding for m in r.months] == [D("42.00")] * 12
    assert r.cumulative_tax == D("504.00") and r.gaps == ()
    assert totals(book, monthly({m: 8000 for m in range(1, 13)})) == {
        "months_only": D("504.00"), "all_totals": D("504.00")}


def test_50000_in_march_only(book):
    # Mar: 50,000 − 10,000 − 1 × 5,000 = 35,000 × 3 % = 1,050
    r = cumulative(book, monthly({3: 50000}), 2026)
    assert [(m.month, m.months_counted, m.withholding) for m in r.months] == [
        (3, 1, D("1050.00"))]
    assert totals(book, monthly({3: 50000})) == {"months_only": D("1050.00"),
                                                 "all_totals": D("1050.00")}


def test_5000_january_to_june_then_another_platform(book):
    # each platform counts only its own months: 6 × 5,000 = 30,000 − 6,000 − 30,000 < 0 → 0
    # on both; the annual settlement adds them: 60,000 × 80 % = 48,000 < 60,000 → no tax
    first = monthly({m: 5000 for m in range(1, 7)})
    second = monthly({m: 5000 for m in range(7, 13)}, platform="douyin")
    c = continuity(book, first + second, 2026)
    assert c.switched and c.platforms == ("douyin", "kuaishou")
    assert c.totals == {"months_only": D("0.00"), "all_totals": D("0.00")}
    # the new platform starts at month 1 in July
    july = c.readings["douyin"]["months_only"].months[0]
    assert (july.month, july.months_counted, july.cumulative_deduction) == (7, 1, D("5000.00"))
    assert any("抖音" in line and "快手" in line for line in explain(c, "zh"))


def test_8000_a_month_with_july_missing_both_readings(book):
    payouts = monthly({m: 8000 for m in range(1, 13) if m != 7})
    both = cumulative_readings(book, payouts, 2026)
    # months_only: Aug restarts the count at 1, income and tax keep running:
    #   Jun 48,000 − 9,600 − 30,000 = 8,400 × 3 % = 252
    #   Aug 56,000 − 11,200 − 5,000 = 39,800 × 10 % − 2,520 = 1,460 (1,208 this month)
    #   Dec 88,000 − 17,600 − 5 × 5,000 = 45,400 × 10 % − 2,520 = 2,020
    mo = both["months_only"]
    aug = next(m for m in mo.months if m.month == 8)
    assert (aug.months_counted, aug.cumulative_tax, aug.withholding) == (
        1, D("1460.00"), D("1208.00"))
    assert mo.total_withholding == D("2020.00") and mo.gaps == (7,)
    # all_totals: Jan–Jun 8,400 × 3 % = 252; Aug–Dec 40,000 − 8,000 − 25,000 = 7,000 × 3 % = 210
    at = both["all_totals"]
    assert at.total_withholding == D("462.00") and at.cumulative_tax == D("210.00")
    # both shown with the rule's words, and the annual settlement decides
    c = continuity(book, payouts, 2026)
    assert c.open and c.totals == {"months_only": D("2020.00"), "all_totals": D("462.00")}
    text = "\n".join(explain(c, "zh"))
    assert "连续取得劳务报酬的月份数" in text and "2020.00" in text and "462.00" in text
    assert "年度汇算决定" in text
    # the guide's 20 % stays beside, as the guide's number: 88,000 × 20 % = 17,600
    assert c.guide_tax == D("17600.00") and "攻略" in text and "17600.00" in text


def test_a_mid_year_start(book):
    # April to December, 10,000 a month: Dec 90,000 − 18,000 − 9 × 5,000 = 27,000 × 3 % = 810
    r = cumulative(book, monthly({m: 10000 for m in range(4, 13)}), 2026)
    assert r.months[0].months_counted == 1 and r.months[-1].months_counted == 9
    assert r.total_withholding == D("810.00") and r.gaps == ()


def test_the_first_cumulative_year_starts_in_october(book):
    # 2025: September per payment, October the first cumulative month (count 1)
    r = cumulative(book, monthly({9: 10000, 10: 10000, 11: 10000}, year=2025), 2025)
    assert [m.months_counted for m in r.months] == [None, 1, 2] and r.gaps == ()


def test_unknown_reading_is_refused(book):
    with pytest.raises(ValueError):
        cumulative(book, [], 2026, "neither")


amounts = st.dictionaries(st.integers(1, 12), st.integers(1, 60000), max_size=12)


@settings(max_examples=60, deadline=None)
@given(amounts)
def test_readings_agree_without_a_gap_and_never_go_negative(book, months):
    payouts = monthly(months)
    both = cumulative_readings(book, payouts, 2026)
    for r in both.values():
        assert all(m.withholding >= 0 for m in r.months)
        assert r.total_withholding == sum((m.withholding for m in r.months), D(0))
    present = sorted(months)
    contiguous = present == list(range(present[0], present[-1] + 1)) if present else True
    if contiguous:
        assert both["months_only"].total_withholding == both["all_totals"].total_withholding
    else:
        assert both["months_only"].gaps


@settings(max_examples=40, deadline=None)
@given(amounts)
def test_restarting_every_total_never_withholds_more(book, months):
    # all_totals splits the year into runs each taxed from zero: the progressive table makes
    # that never more than carrying the income forward with the count restarted
    both = cumulative_readings(book, monthly(months), 2026)
    assert both["all_totals"].total_withholding <= both["months_only"].total_withholding
