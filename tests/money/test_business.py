"""A studio's 经营所得 tax."""

import pytest

from xiabo.money.tax import business

from .helpers import D


@pytest.mark.parametrize("profit, rate, tax", [
    ("0", "0.05", "0.00"),
    ("30000", "0.05", "1500.00"),          # 30,000 × 5%
    ("30000.01", "0.10", "1500.00"),       # 3,000.001 − 1,500
    ("90000", "0.10", "7500.00"),          # 9,000 − 1,500
    ("100000", "0.20", "9500.00"),         # 20,000 − 10,500
    ("300000", "0.20", "49500.00"),
    ("500000", "0.30", "109500.00"),       # 150,000 − 40,500
    ("1000000", "0.35", "284500.00"),      # 350,000 − 65,500
])
def test_studio_examples(book, profit, rate, tax):
    r = business(book, D(profit), 2026)
    assert (r.rate, r.tax) == (D(rate), D(tax))
    assert r.after_tax == D(profit) - D(tax)
    assert r.rules["tax"] == ("common.tax.business_income_table",)


def test_no_comprehensive_income_takes_60000(book):
    # 100,000 − 60,000 = 40,000 × 10% − 1,500 = 2,500
    r = business(book, D("100000"), 2026, no_comprehensive_income=True)
    assert r.basic_deduction == D("60000.00") and r.taxable == D("40000.00")
    assert r.tax == D("2500.00")
    assert "common.tax.business_basic_deduction_without_comprehensive" in r.rules["taxable"]
    assert business(book, D("50000"), 2026, no_comprehensive_income=True).tax == D("0.00")
