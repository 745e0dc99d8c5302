"""Statutory individual income tax on a streamer's income, computed from rule-pack data.

Four calculations, each returning a dataclass of Decimals plus the rule ids it used:
``labour_per_payment`` (劳务报酬 withheld per payment), ``cumulative`` (a platform's month-by-
month cumulative withholding from 2025-10-01), ``annual`` (the 综合所得 reconciliation) and
``business`` (a studio's 经营所得). Every rate, threshold and window is a ``common.tax.*`` rule;
the code only applies them, so a change in the law is a new dated value, not a release.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .brackets import ZERO, money, rule_decimal, rule_table
from .ledger import Payout

__all__ = ["LabourPayment", "CumulativeMonth", "CumulativeResult", "AnnualResult",
           "BusinessResult", "labour_per_payment", "cumulative", "annual", "business",
           "filing_window", "withholding_method", "to_json", "R", "CUMULATIVE_RULES", "READINGS",
           "cumulative_readings"]


class R:
    """Rule ids used here (kept in one place so outputs and docs agree)."""

    METHOD = "common.tax.labour_withholding_method"
    PER_PAYMENT_TABLE = "common.tax.labour_per_payment_table"
    FIXED_COST = "common.tax.labour_fixed_cost_cny"
    FIXED_COST_THRESHOLD = "common.tax.labour_fixed_cost_threshold_cny"
    COST_RATE = "common.tax.labour_cost_rate"
    ONE_PER_MONTH = "common.tax.labour_one_payment_per_month"
    MONTHLY_DEDUCTION = "common.tax.cumulative_monthly_deduction_cny"
    ANNUAL_DEDUCTION = "common.tax.annual_basic_deduction_cny"
    INCLUSION = "common.tax.labour_income_inclusion_rate"
    ANNUAL_TABLE = "common.tax.comprehensive_annual_table"
    WINDOW = "common.tax.reconciliation_window"
    EXEMPT_TOPUP = "common.tax.reconciliation_exempt_topup_cny"
    EXEMPT_INCOME = "common.tax.reconciliation_exempt_income_cny"
    BUSINESS_TABLE = "common.tax.business_income_table"
    BUSINESS_DEDUCTION = "common.tax.business_basic_deduction_without_comprehensive"


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def withholding_method(book, on: date) -> str:
    """``per_payment`` or ``cumulative``: how a platform withholds on labour income on ``on``."""
    return str(book.value(R.METHOD, on))


# --------------------------------------------------------------------------- per payment
@dataclass(frozen=True)
class LabourPayment:
    """劳务报酬 withheld by the per-payment method on one payment."""

    on: date
    gross: Decimal
    cost: Decimal
    taxable: Decimal
    rate: Decimal
    quick_deduction: Decimal
    tax: Decimal
    net: Decimal
    method: str  # the method platforms use on ``on``
    superseded: bool  # True: platform payouts on ``on`` are withheld cumulatively instead
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)


def labour_per_payment(book, amount: Decimal, on: date) -> LabourPayment:
    """Per-payment withholding: ≤ 4,000 minus 800, else 80%; table 二 on the rest."""
    gross = money(amount)
    threshold = rule_decimal(book, R.FIXED_COST_THRESHOLD, on)
    if gross <= threshold:
        cost = min(rule_decimal(book, R.FIXED_COST, on), gross)
        cost_rule = R.FIXED_COST
    else:
        cost = gross * rule_decimal(book, R.COST_RATE, on)
        cost_rule = R.COST_RATE
    taxable = max(gross - cost, ZERO)
    exact, bracket = rule_table(book, R.PER_PAYMENT_TABLE, on).tax(taxable)
    tax = money(exact)
    method = withholding_method(book, on)
    table = (R.PER_PAYMENT_TABLE,)
    return LabourPayment(
        on=on, gross=gross, cost=money(cost), taxable=money(taxable), rate=bracket.rate,
        quick_deduction=money(bracket.quick_deduction), tax=tax, net=gross - tax,
        method=method, superseded=method != "per_payment",
        rules={"cost": (R.FIXED_COST_THRESHOLD, cost_rule), "taxable": (cost_rule,),
               "rate": table, "quick_deduction": table, "tax": table, "net": table,
               "method": (R.METHOD,)})


# --------------------------------------------------------------------------- cumulative
@dataclass(frozen=True)
class CumulativeMonth:
    """One month of one platform's payouts and the tax withheld on them."""

    month: int
    method: str
    payouts: int
    gross: Decimal
    withholding: Decimal  # what the law says is withheld this month
    actual_withheld: Decimal  # what the ledger says was withheld
    cumulative_gross: Decimal | None = None
    cumulative_cost: Decimal | None = None
    months_counted: int | None = None
    cumulative_deduction: Decimal | None = None
    cumulative_taxable: Decimal | None = None
    rate: Decimal | None = None
    quick_deduction: Decimal | None = None
    cumulative_tax: Decimal | None = None
    withheld_before: Decimal | None = None


@dataclass(frozen=True)
class CumulativeResult:
    """A year of one platform's withholding, month by month, under one reading of a gap."""

    year: int
    platform: str
    months: tuple[CumulativeMonth, ...]
    gross: Decimal
    total_withholding: Decimal
    cumulative_tax: Decimal  # year-to-date tax at the last cumulative month (of its run)
    over_withheld: Decimal  # withheld above it (months where the running tax fell); comes back at reconciliation
    actual_withheld: Decimal
    difference: Decimal  # actual − computed
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reading: str = "months_only"  # one of READINGS: what a month without income restarts
    gaps: tuple[int, ...] = ()  # months without income inside the cumulative stretch


CUMULATIVE_RULES = (R.METHOD, R.COST_RATE, R.MONTHLY_DEDUCTION, R.ANNUAL_TABLE)
# 公告2025年第16号 counts 「当年截至本月在本互联网平台企业连续取得劳务报酬的月份数」. A month
# without income ends the run; the text does not say whether it restarts only the month count
# ("months_only": income and tax keep running) or all running totals ("all_totals": the
# next run is computed as if the year began then). Both are computed; the annual settlement
# (综合所得汇算) decides the real tax either way.
READINGS = ("months_only", "all_totals")


def cumulative(book, payouts: Iterable[Payout], year: int,
               reading: str = "months_only") -> CumulativeResult:
    """Month-by-month withholding for one payer's payouts in ``year``.

    Months whose payouts fall before the cumulative method starts are withheld per payment
    (a month's payouts from one platform are one payment, 实施条例 第14条). From then on:
    year-to-date income − 20% − 5,000 × the months of the *consecutive* run of months with
    income up to this one, on the annual table, minus what was already withheld; a month's
    withholding is never negative. ``reading`` says what a gap month restarts (see READINGS).
    """
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; use one of {READINGS}")
    items = [p for p in payouts if p.date.year == year]
    names = sorted({p.platform for p in items})
    if len(names) > 1:
        raise ValueError(f"cumulative() takes one platform's payouts, got {names}")
    groups: dict[tuple[int, str], list[Payout]] = defaultdict(list)
    for p in sorted(items, key=lambda x: x.date):
        groups[(p.date.month, withholding_method(book, p.date))].append(p)
    rows: list[CumulativeMonth] = []
    cum_gross = ZERO
    run = 0  # months in the current consecutive run of months with income
    last_income: int | None = None  # the last cumulative month with income
    withheld_cum = ZERO  # withheld so far under the cumulative method (this run, all_totals)
    over = ZERO  # over-withheld in runs that ended (all_totals)
    last_tax = ZERO
    gaps: list[int] = []
    for (month, method), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0].date)):
        gross = sum((p.gross for p in group), ZERO)
        actual = sum((p.withheld for p in group), ZERO)
        on = group[-1].date
        if method == "per_payment":
            once = book.value(R.ONE_PER_MONTH, on)
            parts = [gross] if once else [p.gross for p in group]
            tax = sum((labour_per_payment(book, x, on).tax for x in parts), ZERO)
            rows.append(CumulativeMonth(month, method, len(group), gross, tax, actual))
            continue
        end = date(year, month, calendar.monthrange(year, month)[1])
        if gross > 0:
            if last_income is not None and month != last_income + 1:  # a gap ended the run
                gaps.extend(range(last_income + 1, month))
                run = 0
                if reading == "all_totals":
                    over += withheld_cum - last_tax
                    cum_gross, withheld_cum, last_tax = ZERO, ZERO, ZERO
            run += 1
            last_income = month
        cum_gross += gross
        cost = cum_gross * rule_decimal(book, R.COST_RATE, end)
        deduction = rule_decimal(book, R.MONTHLY_DEDUCTION, end) * run
        taxable = max(cum_gross - cost - deduction, ZERO)
        exact, bracket = rule_table(book, R.ANNUAL_TABLE, end).tax(taxable)
        cum_tax = money(exact)
        this = max(cum_tax - withheld_cum, ZERO)
        rows.append(CumulativeMonth(
            month, method, len(group), gross, this, actual, cumulative_gross=cum_gross,
            cumulative_cost=money(cost), months_counted=run,
            cumulative_deduction=money(deduction), cumulative_taxable=money(taxable),
            rate=bracket.rate, quick_deduction=money(bracket.quick_deduction),
            cumulative_tax=cum_tax, withheld_before=withheld_cum))
        withheld_cum += this
        last_tax = cum_tax
    total = sum((r.withholding for r in rows), ZERO)
    actual_total = sum((r.actual_withheld for r in rows), ZERO)
    used = set(r.method for r in rows)
    rule_ids = (R.METHOD,)
    if "per_payment" in used:
        rule_ids += (R.FIXED_COST_THRESHOLD, R.FIXED_COST, R.COST_RATE, R.ONE_PER_MONTH,
                     R.PER_PAYMENT_TABLE)
    if "cumulative" in used:
        rule_ids += tuple(r for r in CUMULATIVE_RULES if r not in rule_ids)
    return CumulativeResult(
        year=year, platform=names[0] if names else "", months=tuple(rows),
        gross=sum((r.gross for r in rows), ZERO), total_withholding=total,
        cumulative_tax=last_tax, over_withheld=over + withheld_cum - last_tax,
        actual_withheld=actual_total, difference=actual_total - total,
        rules={"months": rule_ids, "total_withholding": rule_ids,
               "cumulative_tax": CUMULATIVE_RULES, "over_withheld": CUMULATIVE_RULES},
        reading=reading, gaps=tuple(gaps))


def cumulative_readings(book, payouts: Iterable[Payout], year: int
                        ) -> dict[str, CumulativeResult]:
    """Both readings of a gap month side by side (equal when the run has no gap)."""
    items = list(payouts)
    return {reading: cumulative(book, items, year, reading) for reading in READINGS}


# --------------------------------------------------------------------------- annual
def filing_window(book, income_year: int) -> tuple[date, date]:
    """First and last day to file the annual reconciliation for ``income_year``."""
    raw = book.value(R.WINDOW, _year_end(income_year))
    year = income_year + int(raw.get("years_after", 1))

    def at(mmdd: str) -> date:
        month, day = (int(x) for x in str(mmdd).split("-"))
        return date(year, month, day)

    return at(raw["start"]), at(raw["end"])


@dataclass(frozen=True)
class AnnualResult:
    """The 综合所得 annual reconciliation for one year."""

    year: int
    wages: Decimal
    labour_gross: Decimal
    comprehensive_income: Decimal  # gross: wages + labour income before costs
    labour_income_amount: Decimal  # labour × 80%
    income_amount: Decimal  # wages + labour income amount
    basic_deduction: Decimal
    special_deductions: Decimal
    additional_deductions: Decimal
    taxable: Decimal
    rate: Decimal
    quick_deduction: Decimal
    tax_due: Decimal
    withheld: Decimal
    balance: Decimal  # tax_due − withheld: > 0 top-up, < 0 refund
    top_up: Decimal
    refund: Decimal
    filing_status: str  # required | exempt | refund_optional | nothing_due
    filing_required: bool
    exemptions: tuple[str, ...]  # rule ids of the exemptions that apply
    window_start: date
    window_end: date
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)

    LINES = ("wages", "labour_gross", "comprehensive_income", "labour_income_amount",
             "income_amount", "basic_deduction", "special_deductions", "additional_deductions",
             "taxable", "rate", "quick_deduction", "tax_due", "withheld", "top_up", "refund")

    def lines(self) -> list[tuple[str, Decimal, tuple[str, ...]]]:
        """(key, amount, rule ids) in reading order, for reports."""
        return [(k, getattr(self, k), self.rules.get(k, ())) for k in self.LINES]


def _check_withheld(book, on: date, labour_withheld: Decimal, labour: Decimal,
                    wages_withheld: Decimal, wages: Decimal) -> None:
    """Refuse tax withheld beyond any tax the income could carry: the annual table's top rate
    on the whole income (no deduction) bounds every withholding method on it."""
    from ..errors import UserError
    from .brackets import percent

    top = max(b.rate for b in rule_table(book, R.ANNUAL_TABLE, on).brackets)
    for what, paid, income in (("labour", labour_withheld, labour),
                               ("wages", wages_withheld, wages)):
        most = money(income * top)
        if paid > most:
            raise UserError(f"tax.err.{what}_withheld_impossible",
                            {"withheld": f"{paid:,.2f}", "income": f"{income:,.2f}",
                             "most": f"{most:,.2f}", "rate": percent(top)},
                            fix_key="tax.fix.withheld_impossible")


def annual(book, year: int, payouts: Sequence[Payout] = (), *, wages: Decimal = ZERO,
           wages_withheld: Decimal = ZERO, special_deductions: Decimal = ZERO,
           additional_deductions: Decimal = ZERO) -> AnnualResult:
    """Reconcile a year: labour income (all platforms) plus wages, minus deductions, table 一."""
    on = _year_end(year)
    items = [p for p in payouts if p.date.year == year]
    wages, wages_withheld = money(wages), money(wages_withheld)
    special, additional = money(special_deductions), money(additional_deductions)
    labour = sum((p.gross for p in items), ZERO)
    _check_withheld(book, on, sum((p.withheld for p in items), ZERO), labour, wages_withheld,
                    wages)
    withheld = sum((p.withheld for p in items), ZERO) + wages_withheld
    labour_amount = labour * rule_decimal(book, R.INCLUSION, on)
    income_amount = wages + labour_amount
    basic = rule_decimal(book, R.ANNUAL_DEDUCTION, on)
    taxable = max(income_amount - basic - special - additional, ZERO)
    exact, bracket = rule_table(book, R.ANNUAL_TABLE, on).tax(taxable)
    tax_due = money(exact)
    balance = tax_due - withheld
    gross_income = wages + labour
    exemptions: tuple[str, ...] = ()
    if balance > 0:
        if gross_income <= rule_decimal(book, R.EXEMPT_INCOME, on):
            exemptions += (R.EXEMPT_INCOME,)
        if balance <= rule_decimal(book, R.EXEMPT_TOPUP, on):
            exemptions += (R.EXEMPT_TOPUP,)
        status = "exempt" if exemptions else "required"
    else:
        status = "refund_optional" if balance < 0 else "nothing_due"
    start, end = filing_window(book, year)
    table = (R.ANNUAL_TABLE,)
    taxable_rules = (R.INCLUSION, R.ANNUAL_DEDUCTION)
    return AnnualResult(
        year=year, wages=wages, labour_gross=labour, comprehensive_income=gross_income,
        labour_income_amount=money(labour_amount), income_amount=money(income_amount),
        basic_deduction=money(basic), special_deductions=special,
        additional_deductions=additional, taxable=money(taxable), rate=bracket.rate,
        quick_deduction=money(bracket.quick_deduction), tax_due=tax_due, withheld=withheld,
        balance=balance, top_up=max(balance, ZERO), refund=max(-balance, ZERO),
        filing_status=status, filing_required=status == "required", exemptions=exemptions,
        window_start=start, window_end=end,
        rules={"labour_income_amount": (R.INCLUSION,), "income_amount": (R.INCLUSION,),
               "basic_deduction": (R.ANNUAL_DEDUCTION,), "taxable": taxable_rules,
               "rate": table, "quick_deduction": table, "tax_due": table + taxable_rules,
               "top_up": table, "refund": table,
               "filing_status": (R.EXEMPT_INCOME, R.EXEMPT_TOPUP), "window": (R.WINDOW,)})


# --------------------------------------------------------------------------- business
@dataclass(frozen=True)
class BusinessResult:
    """A studio's 经营所得 tax for a year."""

    year: int
    profit: Decimal
    basic_deduction: Decimal
    taxable: Decimal
    rate: Decimal
    quick_deduction: Decimal
    tax: Decimal
    after_tax: Decimal
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)


def business(book, profit: Decimal, year: int, *,
             no_comprehensive_income: bool = False) -> BusinessResult:
    """经营所得 on a year's profit; without other 综合所得 the 60,000 deduction applies."""
    on = _year_end(year)
    profit = money(profit)
    basic = ZERO
    rules_taxable: tuple[str, ...] = ()
    if no_comprehensive_income and book.value(R.BUSINESS_DEDUCTION, on):
        basic = rule_decimal(book, R.ANNUAL_DEDUCTION, on)
        rules_taxable = (R.BUSINESS_DEDUCTION, R.ANNUAL_DEDUCTION)
    taxable = max(profit - basic, ZERO)
    exact, bracket = rule_table(book, R.BUSINESS_TABLE, on).tax(taxable)
    tax = money(exact)
    table = (R.BUSINESS_TABLE,)
    return BusinessResult(
        year=year, profit=profit, basic_deduction=money(basic), taxable=money(taxable),
        rate=bracket.rate, quick_deduction=money(bracket.quick_deduction), tax=tax,
        after_tax=profit - tax,
        rules={"basic_deduction": rules_taxable, "taxable": rules_taxable, "rate": table,
               "quick_deduction": table, "tax": table})


# --------------------------------------------------------------------------- JSON
def to_json(obj: Any) -> Any:
    """Dataclasses, Decimals and dates as plain JSON values (money as decimal strings)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj
