"""劳务报酬 per-payment withholding: worked examples checked by hand, edges, the 2025-10-01 switch."""

from datetime import date

import pytest

from xiabo.money.tax import labour_per_payment

from .helpers import D

BEFORE = date(2025, 9, 30)
AFTER = date(2025, 10, 1)


@pytest.mark.parametrize("amount, taxable, rate, tax", [
    # 2,000: 2,000 − 800 = 1,200 × 20% = 240
    ("2000", "1200.00", "0.20", "240.00"),
    # 10,000: × 80% = 8,000 × 20% = 1,600
    ("10000", "8000.00", "0.20", "1600.00"),
    # 30,000: × 80% = 24,000 × 30% − 2,000 = 5,200
    ("30000", "24000.00", "0.30", "5200.00"),
    # 60,000: × 80% = 48,000 × 30% − 2,000 = 12,400
    ("60000", "48000.00", "0.30", "12400.00"),
    # 100,000: × 80% = 80,000 × 40% − 7,000 = 25,000
    ("100000", "80000.00", "0.40", "25000.00"),
])
def test_worked_examples(book, amount, taxable, rate, tax):
    r = labour_per_payment(book, D(amount), BEFORE)
    assert (r.taxable, r.rate, r.tax) == (D(taxable), D(rate), D(tax))
    assert r.net == D(amount) - D(tax)
    assert r.method == "per_payment" and not r.superseded


def test_cost_rule_at_4000(book):
    at = labour_per_payment(book, D("4000"), BEFORE)
    above = labour_per_payment(book, D("4000.01"), BEFORE)
    assert at.cost == D("800.00") and at.taxable == D("3200.00") and at.tax == D("640.00")
    assert "common.tax.labour_fixed_cost_cny" in at.rules["cost"]
    # 4,000.01 × 20% = 800.002 → the 20% rule applies; 3,200.008 × 20% = 640.0016
    assert above.cost == D("800.00") and above.taxable == D("3200.01")
    assert above.tax == D("640.00")
    assert "common.tax.labour_cost_rate" in above.rules["cost"]


def test_small_payments_have_no_tax(book):
    for amount in ("0", "1", "799.99", "800"):
        r = labour_per_payment(book, D(amount), BEFORE)
        assert r.tax == D("0.00") and r.taxable == D("0.00") and r.net == D(amount)
    assert labour_per_payment(book, D("800.01"), BEFORE).tax == D("0.00")  # 0.002 → 0.00
    assert labour_per_payment(book, D("805"), BEFORE).tax == D("1.00")


def test_bracket_edges(book):
    # taxable exactly 20,000 (income 25,000) stays at 20%
    edge = labour_per_payment(book, D("25000"), BEFORE)
    assert (edge.taxable, edge.rate, edge.tax) == (D("20000.00"), D("0.20"), D("4000.00"))
    # one fen more: 30% bracket, tax continuous
    up = labour_per_payment(book, D("25000.01"), BEFORE)
    assert up.rate == D("0.30") and up.tax == D("4000.00")
    # taxable exactly 50,000 (income 62,500): 30%; one fen more: 40%
    edge = labour_per_payment(book, D("62500"), BEFORE)
    assert (edge.rate, edge.tax) == (D("0.30"), D("13000.00"))
    up = labour_per_payment(book, D("62500.01"), BEFORE)
    assert (up.rate, up.quick_deduction, up.tax) == (D("0.40"), D("7000.00"), D("13000.00"))


def test_dates_either_side_of_the_switch(book):
    before = labour_per_payment(book, D("10000"), BEFORE)
    after = labour_per_payment(book, D("10000"), AFTER)
    assert before.method == "per_payment" and not before.superseded
    assert after.method == "cumulative" and after.superseded
    assert before.tax == after.tax == D("1600.00")  # the per-payment figure itself is unchanged
    assert after.rules["method"] == ("common.tax.labour_withholding_method",)


def test_amount_rounded_to_fen(book):
    r = labour_per_payment(book, D("10000.005"), BEFORE)
    assert r.gross == D("10000.01")
    assert r.net + r.tax == r.gross
