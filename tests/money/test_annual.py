"""Annual 综合所得 reconciliation: table, exemptions (400 / 120,000), window, refunds."""

from datetime import date

from xiabo.money.tax import annual, filing_window

from .helpers import D, payout


def _year(labour, withheld="0", **kw):
    from xiabo.rules import load_rulebook

    return annual(load_rulebook(), 2026, [payout("2026-06-01", labour, withheld)], **kw)


def test_taxable_36000_gives_1080():
    # 120,000 × 80% = 96,000 − 60,000 = 36,000 × 3% = 1,080
    r = _year("120000")
    assert r.labour_income_amount == D("96000.00")
    assert r.taxable == D("36000.00") and r.rate == D("0.03") and r.tax_due == D("1080.00")


def test_income_exactly_120000_is_exempt_one_fen_above_is_not():
    r = _year("120000")
    assert r.top_up == D("1080.00")
    assert r.filing_status == "exempt" and not r.filing_required
    assert r.exemptions == ("common.tax.reconciliation_exempt_income_cny",)
    up = _year("120000.01")
    # taxable 36,000.008 → 10% bracket: 3,600.0008 − 2,520 = 1,080.0008 → 1,080.00
    assert up.rate == D("0.10") and up.tax_due == D("1080.00")
    assert up.filing_status == "required" and up.filing_required and up.exemptions == ()


def test_topup_exactly_400_is_exempt_400_01_is_not():
    # 150,000 × 80% − 60,000 = 60,000 × 10% − 2,520 = 3,480
    r = _year("150000", "3080")
    assert r.tax_due == D("3480.00") and r.top_up == D("400.00")
    assert r.filing_status == "exempt"
    assert r.exemptions == ("common.tax.reconciliation_exempt_topup_cny",)
    r = _year("150000", "3079.99")
    assert r.top_up == D("400.01") and r.filing_status == "required"


def test_refund_is_optional():
    r = _year("150000", "4000")
    assert r.balance == D("-520.00") and r.refund == D("520.00") and r.top_up == D("0.00")
    assert r.filing_status == "refund_optional" and not r.filing_required


def test_nothing_due():
    r = _year("150000", "3480")
    assert r.filing_status == "nothing_due" and r.balance == D("0.00")


def test_wages_and_deductions_and_several_platforms(book):
    # wages 100,000 + labour 30,000 (kuaishou) + 20,000 (douyin) = 150,000 gross
    # income amount 100,000 + 40,000 = 140,000 − 60,000 − 10,000 − 24,000 = 46,000
    # 46,000 × 10% − 2,520 = 2,080; withheld 500 + 300 + 1,000 (wages) = 1,800 → top-up 280
    r = annual(book, 2026, [payout("2026-02-01", 30000, 500),
                            payout("2026-03-01", 20000, 300, platform="douyin"),
                            payout("2025-12-31", 1000000, 0)],
               wages=D("100000"), wages_withheld=D("1000"), special_deductions=D("10000"),
               additional_deductions=D("24000"))
    assert r.comprehensive_income == D("150000.00") and r.income_amount == D("140000.00")
    assert r.taxable == D("46000.00") and r.tax_due == D("2080.00")
    assert r.withheld == D("1800.00") and r.top_up == D("280.00")
    assert r.filing_status == "exempt"  # top-up ≤ 400
    keys = [k for k, _, _ in r.lines()]
    assert keys[0] == "wages" and "tax_due" in keys and "top_up" in keys
    assert dict((k, ids) for k, _, ids in r.lines())["tax_due"][0] == \
        "common.tax.comprehensive_annual_table"


def test_deductions_larger_than_income_give_zero(book):
    r = annual(book, 2026, [payout("2026-01-01", 10000)], additional_deductions=D("999999"))
    assert r.taxable == D("0.00") and r.tax_due == D("0.00")


def test_table_edges(book):
    from xiabo.money.brackets import rule_table

    table = rule_table(book, "common.tax.comprehensive_annual_table", date(2026, 12, 31))
    cases = [("36000", "1080"), ("36000.01", "1080.001"), ("144000", "11880"),
             ("144000.01", "11880.002"), ("960000", "250080"), ("960000.01", "250080.0045")]
    for taxable, tax in cases:
        assert table.tax(D(taxable))[0] == D(tax)


def test_filing_window(book):
    assert filing_window(book, 2025) == (date(2026, 3, 1), date(2026, 6, 30))
    assert filing_window(book, 2027) == (date(2028, 3, 1), date(2028, 6, 30))
    r = _year("200000")
    assert (r.window_start, r.window_end) == (date(2027, 3, 1), date(2027, 6, 30))


def test_withheld_beyond_any_possible_tax_is_refused():
    """Issue 20: the annual table's top rate on the whole income bounds any withholding."""
    import pytest

    from xiabo.errors import UserError

    with pytest.raises(UserError) as err:
        _year("10000", "4500.01")
    assert err.value.key == "tax.err.labour_withheld_impossible"
    assert "4,500.00" in err.value.render("zh") and "45%" in err.value.render("en")
    assert _year("10000", "4500.00").withheld == D("4500.00")  # at the bound: a refund, not refused
    with pytest.raises(UserError) as err:
        _year("0", wages=D("1000"), wages_withheld=D("451"))
    assert err.value.key == "tax.err.wages_withheld_impossible"
