"""Hand-checked reconciliation vectors (issue 25): the arithmetic is in the comments.

Statement: tests/fixtures/payouts/agency_2025h2.csv (made here, GBK). Contract:
tests/fixtures/payouts/terms.yaml — split 50 % from 2025-07, 60 % from 2025-10; guarantee 3,000;
months 2025-07 … 2025-12; paid by the 15th of the next month; 0.05 % a day late interest.
Computed on 2026-01-10.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from xiabo.dispute.payouts import (
    StatementLine,
    load_terms,
    read_statement,
    reconcile,
    terms_from_dict,
)
from xiabo.rules import load_rulebook

FIXTURES = Path(__file__).parents[2] / "fixtures" / "payouts"
TODAY = date(2026, 1, 10)


@pytest.fixture(scope="module")
def book():
    return load_rulebook()


@pytest.fixture(scope="module")
def result(book):
    lines, _ = read_statement(FIXTURES / "agency_2025h2.csv")
    return reconcile(lines, load_terms(FIXTURES / "terms.yaml"), book, TODAY)


def _month(result, y, m):
    return next(x for x in result.months if x.month == date(y, m, 1))


def test_reads_the_gbk_statement_under_its_title_row():
    lines, columns = read_statement(FIXTURES / "agency_2025h2.csv")
    # five month rows; the title row above the header and the 合计 row below are not months
    assert [x.month for x in lines] == [date(2025, 7, 1), date(2025, 8, 1), date(2025, 10, 1),
                                        date(2025, 11, 1), date(2025, 12, 1)]
    assert columns["turnover"] == "礼物流水（元）" and columns["paid"] == "实发金额"
    assert lines[3].turnover == D("3333.33") and lines[3].split == D("0.6")
    assert lines[2].withheld == D("500.00")


def test_share_above_guarantee_is_settled(result):
    july = _month(result, 2025, 7)
    # 10,000 × 50 % = 5,000 ≥ 3,000 guarantee: no top-up; received 5,000 + 0 tax = 5,000
    assert (july.share, july.top_up, july.expected, july.received) == (
        D("5000.00"), D("0.00"), D("5000.00"), D("5000.00"))
    assert july.shortfall == 0 and july.status == "settled" and july.interest == 0


def test_guarantee_top_up_month(result):
    aug = _month(result, 2025, 8)
    # 4,000 × 50 % = 2,000 < 3,000: top-up 3,000 − 2,000 = 1,000; expected 3,000
    # received 2,000 → shortfall 1,000; late from 2025-09-15 to 2026-01-10 = 117 days
    # interest 1,000 × 0.0005 × 117 = 58.50
    assert (aug.share, aug.top_up, aug.expected) == (D("2000.00"), D("1000.00"), D("3000.00"))
    assert (aug.shortfall, aug.late_days, aug.interest) == (D("1000.00"), 117, D("58.50"))
    assert aug.status == "short" and aug.pay_by == date(2025, 9, 15)


def test_missing_month_is_owed_at_least_the_guarantee(result):
    sep = _month(result, 2025, 9)
    # no statement line for 2025-09 inside the contract months: expected = the 3,000 guarantee,
    # nothing received → shortfall 3,000; late from 2025-10-15: 16 + 30 + 31 + 10 = 87 days
    # interest 3,000 × 0.0005 × 87 = 130.50
    assert sep.status == "missing" and sep.turnover is None and sep.rows == ()
    assert (sep.expected, sep.received, sep.shortfall) == (D("3000.00"), D("0"), D("3000.00"))
    assert (sep.late_days, sep.interest) == (87, D("130.50"))


def test_split_change_mid_contract_and_platform_withholding(result):
    octo = _month(result, 2025, 10)
    # the contract's split is 60 % from 2025-10; the agency still applied 50 %:
    # 10,000 × 60 % = 6,000 expected; received 4,500 paid + 500 tax withheld = 5,000
    # shortfall 1,000; late from 2025-11-15: 15 + 31 + 10 = 56 days → 1,000 × 0.0005 × 56 = 28.00
    assert (octo.split, octo.split_from, octo.statement_split) == (D("0.6"), "contract", D("0.5"))
    assert (octo.expected, octo.received, octo.shortfall) == (
        D("6000.00"), D("5000.00"), D("1000.00"))
    assert octo.agency_due == D("5000.00") and octo.interest == D("28.00")
    # from 2025-10-01 the platform withholds cumulatively (common.tax.labour_withholding_method)
    assert octo.platform_withholds and octo.withheld == D("500.00")
    assert not _month(result, 2025, 8).platform_withholds


def test_rounding_to_the_fen_half_up(result):
    nov = _month(result, 2025, 11)
    # 3,333.33 × 60 % = 1,999.998 → 2,000.00 (half-up to the fen); top-up 1,000.00
    # received 1,800 + 200 = 2,000 → shortfall 1,000; 16 + 10 = 26 days → 13.00
    assert (nov.share, nov.top_up, nov.expected) == (D("2000.00"), D("1000.00"), D("3000.00"))
    assert (nov.shortfall, nov.interest) == (D("1000.00"), D("13.00"))


def test_a_month_not_yet_due_counts_nothing(result):
    dec = _month(result, 2025, 12)
    # paid by 2026-01-15, after 2026-01-10: nothing is late yet
    assert dec.status == "not_due" and dec.shortfall == 0 and dec.interest == 0


def test_totals(result):
    # expected: 5,000 + 3,000 + 3,000 + 6,000 + 3,000 = 20,000 (December not due)
    # received: 5,000 + 2,000 + 0 + 5,000 + 2,000 = 14,000 → shortfall 6,000
    # interest: 58.50 + 130.50 + 28.00 + 13.00 = 230.00
    assert result.expected_total == D("20000.00")
    assert result.received_total == D("14000.00")
    assert result.shortfall_total == D("6000.00")
    assert result.interest_total == D("230.00")
    assert result.withheld_total == D("700.00")
    assert result.to_dict()["shortfall_total"] == "6000.00"


def _line(month, turnover, paid, **kw):
    return StatementLine("s.csv", 1, month, turnover=D(turnover), paid=D(paid), **kw)


def test_annual_rate_uses_the_rule_packs_day_count(book):
    terms = terms_from_dict({"split": "50%", "pay_day": 10,
                             "interest": {"rate": "3.65%", "per": "year"}})
    res = reconcile([_line(date(2025, 3, 1), "2000", "0")], terms, book, date(2025, 4, 30))
    # 3.65 % / 365 = 0.0001 a day; 2,000 × 50 % = 1,000 owed since 2025-04-10: 20 days → 2.00
    assert res.rate_per_day == D("0.0001")
    assert res.months[0].interest == D("2.00") and res.months[0].late_days == 20


def test_no_contract_rate_no_interest(book):
    terms = terms_from_dict({"split": 0.5})
    res = reconcile([_line(date(2025, 3, 1), "2000", "0")], terms, book, date(2025, 6, 1))
    assert res.interest_total is None and res.months[0].interest is None
    assert "interest_none" in res.notes and res.shortfall_total == D("1000.00")


def test_missing_month_without_guarantee_is_unknown(book):
    terms = terms_from_dict({"split": "50%", "start": "2025-01", "end": "2025-03"})
    lines = [_line(date(2025, 1, 1), "1000", "500"), _line(date(2025, 3, 1), "1000", "500")]
    res = reconcile(lines, terms, book, date(2025, 6, 1))
    feb = res.months[1]
    # February: no line and no guarantee → what was due cannot be known; not counted as zero
    assert feb.status == "missing" and feb.expected is None and feb.shortfall is None
    assert res.unknown_months == (date(2025, 2, 1),) and res.shortfall_total == D("0.00")


def test_lines_of_one_month_in_two_files_are_summed(book):
    terms = terms_from_dict({"split": "40%", "guarantee_cny": "1000"})
    month = date(2025, 5, 1)
    lines = [StatementLine("a.csv", 3, month, turnover=D("1500"), paid=D("600")),
             StatementLine("b.xlsx", 2, month, turnover=D("500"), paid=D("100"))]
    res = reconcile(lines, terms, book, date(2025, 8, 1))
    # (1,500 + 500) × 40 % = 800 < 1,000 → expected 1,000; received 700 → shortfall 300
    m = res.months[0]
    assert (m.turnover, m.expected, m.received, m.shortfall) == (
        D("2000"), D("1000.00"), D("700"), D("300.00"))
    assert m.rows == ("a.csv:3", "b.xlsx:2")


def test_statement_split_when_contract_is_silent(book):
    res = reconcile([_line(date(2025, 5, 1), "1000", "300", split=D("0.3"))],
                    terms_from_dict({"guarantee_cny": 0}), book, date(2025, 8, 1))
    assert res.months[0].split_from == "statement" and res.months[0].shortfall == 0
    assert "split_from_statement" in res.notes


def test_kept_shortfall_round_trip(result, tmp_path):
    from xiabo.dispute.payouts.kept import keep_result, kept_shortfall

    assert kept_shortfall(tmp_path) is None
    keep_result(tmp_path, result.to_dict())
    assert kept_shortfall(tmp_path) == D("6000.00")
    (tmp_path / "last.json").write_text("{broken", "utf-8")
    assert kept_shortfall(tmp_path) is None
