"""Settlement figures for the roadmap: the guide's 20%/40% next to the statutory estimate."""

from datetime import date

import pytest

from xiabo.errors import UserError
from xiabo.money.settlement import figures

from .helpers import D

KEYS = {"balance_cny", "withdrawal_tax_cny", "net_withdrawal_cny", "diamond_value_cny",
        "gift_share_cny", "statutory_withdrawal_tax_cny", "statutory_net_withdrawal_cny",
        "statutory_method", "pending_gift_orders", "rules", "warnings"}


def test_before_switch_per_payment(book):
    f = figures(book, "kuaishou", date(2025, 9, 30), D("10000"), 12345, 2)
    assert KEYS <= set(f)
    assert f["balance_cny"] == "10000.00"
    assert f["withdrawal_tax_cny"] == "2000.00" and f["net_withdrawal_cny"] == "8000.00"
    # 12,345 diamonds × 0.1 yuan = 1,234.50; 40% = 493.80
    assert f["diamond_value_cny"] == "1234.50" and f["gift_share_cny"] == "493.80"
    assert f["statutory_method"] == "per_payment"
    assert f["statutory_withdrawal_tax_cny"] == "1600.00"
    assert f["statutory_net_withdrawal_cny"] == "8400.00"
    assert f["pending_gift_orders"] == "2"
    assert f["rules"]["withdrawal_tax_cny"] == ["common.finance.withholding_rate"]
    assert f["rules"]["diamond_value_cny"] == ["kuaishou.finance.diamond_value_cny"]
    assert "common.finance.gift_share_rate" in f["rules"]["gift_share_cny"]
    assert "common.tax.labour_per_payment_table" in f["rules"]["statutory_withdrawal_tax_cny"]
    (w,) = f["warnings"]
    assert w["key"] == "tax.warn_guide_vs_law"
    assert w["params"]["guide_tax"] == "2000.00" and w["params"]["law_tax"] == "1600.00"
    assert w["params"]["guide_rule"] == "common.finance.withholding_rate"
    assert w["params"]["law_rule"] == "common.tax.labour_withholding_method"


def test_from_switch_cumulative_single_month(book):
    # 10,000 × 80% − 5,000 = 3,000 × 3% = 90
    f = figures(book, "douyin", date(2025, 10, 1), D("10000"), 0, 0)
    assert f["statutory_method"] == "cumulative"
    assert f["statutory_withdrawal_tax_cny"] == "90.00"
    assert f["statutory_net_withdrawal_cny"] == "9910.00"
    assert f["diamond_value_cny"] == "0.00" and f["gift_share_cny"] == "0.00"
    assert "common.tax.comprehensive_annual_table" in f["rules"]["statutory_withdrawal_tax_cny"]


def test_warning_only_when_figures_differ(book):
    # 0 balance: both 0, no warning
    assert figures(book, "kuaishou", date(2026, 1, 1), D("0"), 0, 0)["warnings"] == []


def test_warning_message_renders_both_figures(book):
    from xiabo.i18n import t

    guide, platform = figures(book, "kuaishou", date(2026, 1, 1), D("10000"), 0, 0)["warnings"]
    w = guide
    zh = t(w["key"], "zh", **w["params"])
    en = t(w["key"], "en", **w["params"])
    for text in (zh, en):
        assert "2000.00" in text and "90.00" in text and "20%" in text
        assert "common." not in text  # rule ids are shown only where asked for


def test_inputs_checked(book):
    with pytest.raises(UserError) as info:
        figures(book, "kuaishou", date(2026, 1, 1), D("-1"), 0, 0)
    assert info.value.key == "tax.err.bad_figure" and info.value.field == "balance_cny"
    with pytest.raises(UserError):
        figures(book, "kuaishou", date(2026, 1, 1), D("1"), -3, 0)
    with pytest.raises(UserError):
        figures(book, "kuaishou", date(2026, 1, 1), 1.5, 0, 0)
    with pytest.raises(UserError) as info:
        figures(book, "nosuch", date(2026, 1, 1), D("1"), 0, 0)
    assert info.value.key == "tax.err.unknown_platform"
    assert figures(book, "kuaishou", date(2026, 1, 1), "100.005", 0, 0)["balance_cny"] == "100.01"


def test_the_platform_withholds_since_the_cumulative_method(book):
    """Since 2025-10-01 the platform withholds itself, counting its own consecutive months:
    the plan's money block says so, with the announcement's words and the switching advice."""
    from xiabo.i18n import t

    warnings = figures(book, "kuaishou", date(2026, 1, 1), D("10000"), 0, 0)["warnings"]
    w = next(w for w in warnings if w["key"] == "tax.warn_platform_withholds")
    assert w["params"]["since"] == "2025-10-01"
    # 10,000 as one month: 10,000 − 2,000 − 5,000 = 3,000 × 3 % = 90
    assert w["params"]["statutory_tax"] == "90.00"
    zh = t(w["key"], "zh", **w["params"])
    assert "连续取得劳务报酬的月份数" in zh and "换到别的平台" in zh and "年度汇算" in zh
    en = t(w["key"], "en", **w["params"])
    assert "month 1" in en and "annual settlement" in en
    # before the cumulative method (per payment) there is nothing of the kind
    before = figures(book, "kuaishou", date(2025, 9, 1), D("10000"), 0, 0)["warnings"]
    assert all(w["key"] != "tax.warn_platform_withholds" for w in before)
