"""Platform cumulative withholding (from 2025-10-01), month by month, checked by hand."""

import pytest

from xiabo.money.tax import cumulative

from .helpers import D, payout


def test_month_by_month_example(book):
    # Jan 10,000; Feb 20,000; Mar 3,000; Apr 50,000 (2026, one platform)
    # Jan: 10,000 − 2,000 − 5,000 = 3,000 × 3% = 90 → withhold 90
    # Feb: 30,000 − 6,000 − 10,000 = 14,000 × 3% = 420 → 330
    # Mar: 33,000 − 6,600 − 15,000 = 11,400 × 3% = 342 < 420 → 0 (never negative)
    # Apr: 83,000 − 16,600 − 20,000 = 46,400 × 10% − 2,520 = 2,120 → 2,120 − 420 = 1,700
    r = cumulative(book, [payout("2026-01-10", 10000, 90), payout("2026-02-10", 20000, 330),
                          payout("2026-03-10", 3000), payout("2026-04-10", 50000, 1700)], 2026)
    months = {m.month: m for m in r.months}
    assert [m.month for m in r.months] == [1, 2, 3, 4]
    assert [m.cumulative_taxable for m in r.months] == [D("3000.00"), D("14000.00"),
                                                        D("11400.00"), D("46400.00")]
    assert [m.cumulative_tax for m in r.months] == [D("90.00"), D("420.00"), D("342.00"),
                                                    D("2120.00")]
    assert [m.withholding for m in r.months] == [D("90.00"), D("330.00"), D("0.00"),
                                                 D("1700.00")]
    assert months[4].rate == D("0.10") and months[4].quick_deduction == D("2520.00")
    assert months[4].months_counted == 4 and months[4].cumulative_deduction == D("20000.00")
    assert r.total_withholding == r.cumulative_tax == D("2120.00")
    assert r.over_withheld == D("0.00")
    assert r.actual_withheld == D("2120.00") and r.difference == D("0.00")


def test_over_withheld_when_running_tax_falls(book):
    r = cumulative(book, [payout("2026-01-05", 10000), payout("2026-02-05", 1000)], 2026)
    assert [m.withholding for m in r.months] == [D("90.00"), D("0.00")]
    assert r.cumulative_tax == D("0.00") and r.over_withheld == D("90.00")
    assert r.total_withholding == r.cumulative_tax + r.over_withheld


def test_several_payouts_in_a_month_and_unpaid_months(book):
    # two payouts in January are one month; February and March have none: the consecutive
    # run (公告2025年第16号「连续取得劳务报酬的月份数」) starts again in April
    payouts = [payout("2026-01-05", 6000), payout("2026-01-25", 6000), payout("2026-04-05", 12000)]
    r = cumulative(book, payouts, 2026)
    assert [(m.month, m.payouts) for m in r.months] == [(1, 2), (4, 1)]
    assert r.gaps == (2, 3) and r.months[1].months_counted == 1
    # months_only — Jan: 12,000 × 0.8 − 5,000 = 4,600 → 138;
    #               Apr: 24,000 × 0.8 − 1 × 5,000 = 14,200 → 426
    assert [m.cumulative_tax for m in r.months] == [D("138.00"), D("426.00")]
    # all_totals — Apr starts over: 12,000 × 0.8 − 5,000 = 4,600 → 138; 138 + 138 = 276
    both = cumulative(book, payouts, 2026, "all_totals")
    assert [m.cumulative_tax for m in both.months] == [D("138.00"), D("138.00")]
    assert both.total_withholding == D("276.00") and r.total_withholding == D("426.00")


def test_2025_switch_per_payment_then_cumulative(book):
    # September 2025: per payment; the month's payouts are one payment (实施条例 第14条)
    # 4,000 + 6,000 = 10,000 → 1,600 (not 640 + 960)
    # October 2025: cumulative from the switch: 10,000 × 0.8 − 5,000 = 3,000 → 90
    r = cumulative(book, [payout("2025-09-03", 4000), payout("2025-09-20", 6000),
                          payout("2025-10-10", 10000)], 2025)
    sep, octo = r.months
    assert (sep.method, sep.withholding, sep.cumulative_tax) == ("per_payment", D("1600.00"), None)
    assert (octo.method, octo.months_counted, octo.withholding) == ("cumulative", 1, D("90.00"))
    assert octo.cumulative_gross == D("10000.00")
    assert r.total_withholding == D("1690.00")
    assert "common.tax.labour_per_payment_table" in r.rules["months"]


def test_other_years_are_ignored_and_platforms_must_not_mix(book):
    r = cumulative(book, [payout("2025-12-31", 99999), payout("2026-01-02", 10000)], 2026)
    assert r.gross == D("10000.00")
    with pytest.raises(ValueError):
        cumulative(book, [payout("2026-01-02", 1, platform="douyin"),
                          payout("2026-01-03", 1)], 2026)


def test_empty_year(book):
    r = cumulative(book, [], 2026)
    assert r.months == () and r.total_withholding == D("0.00")
