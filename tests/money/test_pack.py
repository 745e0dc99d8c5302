"""The tax rule pack: every rule the engine needs, dated, sourced, exact decimals."""

from datetime import date
from decimal import Decimal

from xiabo.money.brackets import rule_table
from xiabo.money.tax import R

NEEDED = [v for k, v in vars(R).items() if k.isupper()]


def test_all_rules_present_and_from_law(book):
    for rule_id in NEEDED:
        rule = book.rule(rule_id)
        assert rule.id.startswith("common.tax.")
        assert rule.source == "law" and rule.reference and rule.file.endswith("tax.yaml")


def test_money_values_are_exact_strings(book):
    for rule_id in NEEDED:
        rule = book.rule(rule_id)
        if rule.unit in ("cny", "ratio"):
            for _, value in rule.values:
                assert isinstance(value, str) and Decimal(value) > 0
        if rule.unit == "table":
            for _, rows in rule.values:
                assert rows[-1]["up_to"] is None
                assert all(isinstance(r["rate"], str) for r in rows)


def test_method_switches_on_2025_10_01(book):
    rule = book.rule(R.METHOD)
    assert rule.value_at(date(2025, 9, 30)) == "per_payment"
    assert rule.value_at(date(2025, 10, 1)) == "cumulative"
    assert "common.finance.withholding_rate" in rule.contrasts


def test_tables_have_the_statutory_brackets(book):
    on = date(2026, 1, 1)
    annual = rule_table(book, R.ANNUAL_TABLE, on)
    assert [(b.up_to, b.rate, b.quick_deduction) for b in annual.brackets][:2] == [
        (Decimal("36000"), Decimal("0.03"), Decimal("0")),
        (Decimal("144000"), Decimal("0.10"), Decimal("2520"))]
    assert annual.brackets[-1].rate == Decimal("0.45")
    assert rule_table(book, R.BUSINESS_TABLE, on).brackets[-1].quick_deduction == Decimal("65500")
    assert len(rule_table(book, R.PER_PAYMENT_TABLE, on).brackets) == 3


def test_overlay_changes_a_value_without_code(tmp_path, monkeypatch):
    # a future law change is a new dated value in an overlay pack
    (tmp_path / "tax.yaml").write_text("""rules:
  - id: common.tax.annual_basic_deduction_cny
    title: {zh: 基本减除费用, en: Basic deduction}
    values: {2019-01-01: "60000", 2030-01-01: "72000"}
    unit: cny
    source: law
    reference: test overlay
    last_verified: 2026-11-23
    verified: false
""", encoding="utf-8")
    from xiabo.money.ledger import Payout
    from xiabo.money.tax import annual
    from xiabo.rules import load_rulebook

    book = load_rulebook([tmp_path], use_cache=False)
    p = [Payout(date(2030, 1, 1), "ks", Decimal("120000"))]
    assert annual(book, 2030, p).basic_deduction == Decimal("72000.00")
    assert annual(book, 2029, [Payout(date(2029, 1, 1), "ks", Decimal("1"))]).basic_deduction \
        == Decimal("60000.00")


def test_bad_table_in_overlay_is_a_user_error(tmp_path):
    import pytest

    from xiabo.errors import UserError
    from xiabo.rules import load_rulebook

    (tmp_path / "t.yaml").write_text("""rules:
  - id: common.tax.business_income_table
    title: {zh: 表, en: table}
    values: {2019-01-01: [{up_to: "100", rate: "0.1", quick_deduction: "0"}]}
    unit: table
    source: law
    reference: test overlay
    last_verified: 2026-11-23
    verified: false
""", encoding="utf-8")
    book = load_rulebook([tmp_path], use_cache=False)
    with pytest.raises(UserError) as info:
        rule_table(book, R.BUSINESS_TABLE, date(2026, 1, 1))
    assert info.value.key == "tax.err.bad_rule" and info.value.field == R.BUSINESS_TABLE
