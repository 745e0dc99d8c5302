"""Settlement figures for the roadmap: the guide's 20% / 40% next to what the law computes.

The guide (§6) says a withdrawal costs 20% income tax and the gift share is about 40%; those
stay as the guide's figures. The statutory estimate treats the balance as one 劳务报酬 payout
on the given date (per payment before 2025-10-01, the platform's cumulative method for a single
month after). When the two differ by more than a fen, a warning names both figures and rules.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..errors import UserError
from ..rules import RuleMissing, is_unknown
from .brackets import money, percent, rule_decimal
from .ledger import Payout
from .tax import R, cumulative, labour_per_payment, withholding_method

__all__ = ["figures", "GUIDE_RATE", "GIFT_SHARE", "DIAMOND_VALUE", "WARN_GUIDE_VS_LAW"]

GUIDE_RATE = "common.finance.withholding_rate"
GIFT_SHARE = "common.finance.gift_share_rate"
DIAMOND_VALUE = "finance.diamond_value_cny"  # platform key, falls back to common
WARN_GUIDE_VS_LAW = "tax.warn_guide_vs_law"
WARN_PLATFORM_WITHHOLDS = "tax.warn_platform_withholds"
WARN_FOREIGN_INCOME = "tax.warn_foreign_income"
FOREIGN_FILING = "common.tax.foreign_income_filing"
_TOLERANCE = Decimal("0.01")


def _check(value, name: str, kind=Decimal):
    """A non-negative int/Decimal (or a decimal string); anything else is a UserError."""
    shown = str(value)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            value = None
    bad = (isinstance(value, bool) or not isinstance(value, (int, Decimal))
           or (isinstance(value, Decimal) and not value.is_finite()))
    if bad or value < 0 or (kind is int and value != int(value)):
        raise UserError("tax.err.bad_figure", {"name": name, "value": shown}, field=name,
                        fix_key="tax.fix.non_negative")
    return kind(value)


def statutory_withdrawal(book, balance: Decimal, on: date) -> tuple[str, Decimal, tuple[str, ...]]:
    """(method, tax, rule ids) for the balance treated as one 劳务报酬 payout on ``on``."""
    method = withholding_method(book, on)
    if method == "per_payment":
        result = labour_per_payment(book, balance, on)
        return method, result.tax, (R.METHOD,) + result.rules["cost"] + (R.PER_PAYMENT_TABLE,)
    single = cumulative(book, [Payout(on, "-", money(balance))], on.year)
    return method, single.total_withholding, single.rules["cumulative_tax"]


def figures(book, platform: str, on: date, balance_cny: Decimal, diamonds: int,
            pending_gift_orders: int) -> dict:
    """Money figures for the plan: decimal strings (0.01), rule ids per figure, warnings."""
    balance = money(_check(balance_cny, "balance_cny"))
    diamonds = _check(diamonds, "diamonds", int)
    pending = _check(pending_gift_orders, "pending_gift_orders", int)
    try:
        view = book.platform(platform)
    except RuleMissing:
        raise UserError("tax.err.unknown_platform",
                        {"platform": platform, "choices": ", ".join(book.platform_ids())},
                        field="platform", fix_key="tax.fix.unknown_platform") from None
    diamond_rule = view.rule(DIAMOND_VALUE)
    rate = rule_decimal(book, GUIDE_RATE, on)
    guide_tax = money(balance * rate)
    unknown = diamond_rule.value_at(on)
    gift_unknown = is_unknown(unknown)  # the pack knows no yuan per unit
    if not gift_unknown:
        diamond_value = money(Decimal(diamonds) * rule_decimal(book, diamond_rule.id, on))
        gift_share = money(diamond_value * rule_decimal(book, GIFT_SHARE, on))
    method, law_tax, law_rules = statutory_withdrawal(book, balance, on)
    out = {
        "balance_cny": str(balance),
        "withdrawal_tax_cny": str(guide_tax),
        "net_withdrawal_cny": str(balance - guide_tax),
        # no yuan per gift unit in the pack: what to check, not a number borrowed elsewhere
        "diamond_value_cny": unknown if gift_unknown else str(diamond_value),
        "gift_share_cny": unknown if gift_unknown else str(gift_share),
        "statutory_withdrawal_tax_cny": str(law_tax),
        "statutory_net_withdrawal_cny": str(balance - law_tax),
        "statutory_method": method,
        "pending_gift_orders": str(pending),
        "rules": {
            "balance_cny": [],
            "withdrawal_tax_cny": [GUIDE_RATE],
            "net_withdrawal_cny": [GUIDE_RATE],
            "diamond_value_cny": [diamond_rule.id],
            "gift_share_cny": [diamond_rule.id, GIFT_SHARE],
            "statutory_withdrawal_tax_cny": list(law_rules),
            "statutory_net_withdrawal_cny": list(law_rules),
            "statutory_method": [R.METHOD],
            "pending_gift_orders": [],
        },
        "warnings": [],
    }
    if abs(guide_tax - law_tax) > _TOLERANCE:
        out["warnings"].append({"key": WARN_GUIDE_VS_LAW, "params": {
            "guide_tax": str(guide_tax), "guide_rule": GUIDE_RATE,
            "guide_rate": percent(rate),
            "law_tax": str(law_tax), "law_rule": R.METHOD, "law_rules": ", ".join(law_rules),
            "method": method, "balance": str(balance)}})
    foreign = view.get("finance.foreign_income", on) is True  # paid from abroad: no Chinese
    if foreign and balance > 0:  # withholding; the streamer files it the next year
        out["warnings"].append({"key": WARN_FOREIGN_INCOME, "id": "tax-foreign-income",
                                "rules": [view.resolve("finance.foreign_income"), FOREIGN_FILING],
                                "params": {"how": book.value(FOREIGN_FILING, on)}})
    elif method == "cumulative" and balance > 0:  # the platform withholds, counting its months
        memo = book.memo("platform_withholds")
        said = memo.get("params")
        if said is None:  # the same for every plan of this rule book
            from .continuity import cumulative_since, rule_words

            since = cumulative_since(book)
            said = memo["params"] = {"since": since.isoformat() if since else "",
                                     "words": rule_words(book)}
        out["warnings"].append({"key": WARN_PLATFORM_WITHHOLDS, "id": "tax-platform-withholds",
                                "rules": [R.METHOD, R.MONTHLY_DEDUCTION],
                                "params": {**said, "statutory_tax": str(law_tax)}})
    return out
