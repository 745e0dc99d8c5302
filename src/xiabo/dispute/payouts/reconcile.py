"""Expected versus received, month by month: the shortfall a settlement demand and a court claim
are built on.

Per month: share = turnover × the contract's split in force that month (rows of one month are
summed); expected = the share topped up to the guarantee when below it (top-up = guarantee −
share); received = paid + the tax withheld on the streamer's behalf (实发 is read as after tax);
shortfall = expected − received when positive. A contract month without any statement line is
*missing*: at least the guarantee was due, nothing is recorded as received. Interest only at the
contract's rate (common.payouts.default_interest), simple, from the day after the pay day.

Rounding: every month's share, top-up and interest is rounded to the fen, half-up
(xiabo.money.brackets.money); totals are sums of the rounded months, so they add up on paper.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal

from ...errors import UserError
from ...money.brackets import ZERO, money
from .statements import StatementLine
from .terms import Terms

__all__ = ["RULES", "MonthResult", "Reconciliation", "reconcile"]

METHOD_RULE = "common.tax.labour_withholding_method"
DAY_COUNT_RULE = "common.payouts.day_count"
DEFAULT_INTEREST_RULE = "common.payouts.default_interest"
RULES = (METHOD_RULE, DAY_COUNT_RULE, DEFAULT_INTEREST_RULE)


@dataclass(frozen=True)
class MonthResult:
    """One month. ``status``: settled | short | over | missing | not_due."""

    month: date
    status: str
    turnover: Decimal | None
    split: Decimal | None        # the split used (the contract's, else the statement's)
    split_from: str              # contract | statement | statement_due | none
    statement_split: Decimal | None
    share: Decimal | None
    guarantee: Decimal
    top_up: Decimal
    expected: Decimal | None     # None: a missing month without a guarantee (unknown)
    paid: Decimal
    withheld: Decimal
    received: Decimal
    shortfall: Decimal | None
    overpaid: Decimal
    agency_due: Decimal | None   # the statement's own 应结
    platform_withholds: bool     # the platform withholds cumulatively in this month (tax rule)
    pay_by: date | None
    late_days: int
    interest: Decimal | None
    rows: tuple[str, ...] = ()   # "file:row" of every line summed into the month


@dataclass(frozen=True)
class Reconciliation:
    today: date
    months: tuple[MonthResult, ...]
    expected_total: Decimal
    received_total: Decimal
    shortfall_total: Decimal     # what the exposure and the settlement letter take
    overpaid_total: Decimal
    withheld_total: Decimal
    interest_total: Decimal | None   # None: the contract gives no rate
    unknown_months: tuple[date, ...]  # missing months whose amount cannot be known
    rate_per_day: Decimal | None
    rules: tuple[str, ...] = RULES
    notes: tuple[str, ...] = field(default_factory=tuple)  # catalogue keys (payouts.note.*)

    @property
    def short_months(self) -> tuple[MonthResult, ...]:
        return tuple(m for m in self.months if m.shortfall)

    def to_dict(self) -> dict:
        """Plain JSON: money as strings with two decimals, dates ISO, months as YYYY-MM."""
        def conv(value):
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, (list, tuple)):
                return [conv(v) for v in value]
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            return value

        data = conv(asdict(self))
        for month in data["months"]:
            month["month"] = month["month"][:7]
        data["unknown_months"] = [m[:7] for m in data["unknown_months"]]
        data["schema"] = "xiabo.payouts/1"
        return data


def _month_end(month: date) -> date:
    return date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _pay_by(month: date, pay_day: int | None) -> date | None:
    if pay_day is None:
        return None
    nxt = _next_month(month)
    return nxt.replace(day=min(pay_day, calendar.monthrange(nxt.year, nxt.month)[1]))


def _rate_per_day(terms: Terms, book, today: date) -> Decimal | None:
    if terms.rate is None:
        return None
    if terms.rate_per == "day":
        return terms.rate
    return terms.rate / Decimal(str(book.value(DAY_COUNT_RULE, today)))


def _share(lines: list[StatementLine], terms: Terms, month: date
           ) -> tuple[Decimal | None, Decimal | None, str]:
    """(share, split used, where the split came from) for one month's lines."""
    contract = terms.split_on(month)
    total, used, source = ZERO, contract, "contract" if contract is not None else "none"
    for line in lines:
        split = contract if contract is not None else line.split
        if line.turnover is not None and split is not None:
            total += line.turnover * split
            if contract is None:
                used, source = split, "statement"
        elif line.due is not None:
            total += line.due
            source = "statement_due" if source == "none" else source
        elif line.turnover is not None:
            raise UserError("payouts.err.no_split", {"month": month.strftime("%Y-%m"),
                                                     "path": line.file, "row": line.row},
                            file=line.file, field="split", fix_key="payouts.fix.no_split")
    return money(total), used, source


def _months(seen: set[date], terms: Terms, today: date) -> list[date]:
    """Every month with a statement line, plus the contract months (start to end, or to the
    last statement month) up to today's month: those without a line are the missing ones."""
    first = terms.start or min(seen, default=None)
    last = terms.end or max(seen, default=None)
    if first is None or last is None:
        return sorted(seen)
    current = date(today.year, today.month, 1)
    months, month = set(seen), first
    while month <= last and month <= current:
        months.add(month)
        month = _next_month(month)
    return sorted(months)


def reconcile(lines: Iterable[StatementLine], terms: Terms, book, today: date
              ) -> Reconciliation:
    """The reconciliation of ``lines`` (any order, any number of files) under ``terms``."""
    from ...money.tax import withholding_method

    by_month: dict[date, list[StatementLine]] = defaultdict(list)
    for line in lines:
        by_month[line.month].append(line)
    for group in by_month.values():
        group.sort(key=lambda x: (x.file, x.row))
    per_day = _rate_per_day(terms, book, today)
    out: list[MonthResult] = []
    for month in _months(set(by_month), terms, today):
        group = by_month.get(month, [])
        guarantee_rule = terms.guarantee_on(month)
        stated = [x.guarantee for x in group if x.guarantee is not None]
        guarantee = guarantee_rule if guarantee_rule is not None else (max(stated) if stated
                                                                       else ZERO)
        paid = sum((x.paid or ZERO for x in group), ZERO)
        withheld = sum((x.withheld or ZERO for x in group), ZERO)
        received = paid + withheld
        turnovers = [x.turnover for x in group if x.turnover is not None]
        dues = [x.due for x in group if x.due is not None]
        splits = [x.split for x in group if x.split is not None]
        if group:
            share, split, split_from = _share(group, terms, month)
            top_up = money(max(guarantee - share, ZERO))
            expected: Decimal | None = share + top_up
        else:
            share, split, split_from = None, terms.split_on(month), "none"
            top_up = money(guarantee)
            expected = top_up if guarantee > 0 else None
        pay_by = _pay_by(month, terms.pay_day)
        due_yet = (pay_by < today) if pay_by else (_month_end(month) < today)
        shortfall = max(expected - received, ZERO) if expected is not None else None
        overpaid = max(received - expected, ZERO) if expected is not None else ZERO
        late = (today - pay_by).days if pay_by and due_yet and shortfall else 0
        interest = money(shortfall * per_day * late) if (
            per_day is not None and shortfall is not None) else None
        if not due_yet:
            status = "not_due"
        elif not group:
            status = "missing"
        elif shortfall:
            status = "short"
        elif overpaid:
            status = "over"
        else:
            status = "settled"
        if status == "not_due":
            shortfall, interest, late = (ZERO if expected is not None else None), (
                ZERO if per_day is not None else None), 0
        out.append(MonthResult(
            month=month, status=status, turnover=sum(turnovers, ZERO) if turnovers else None,
            split=split, split_from=split_from,
            statement_split=splits[0] if splits else None, share=share, guarantee=guarantee,
            top_up=top_up, expected=expected, paid=paid, withheld=withheld, received=received,
            shortfall=shortfall, overpaid=overpaid, agency_due=sum(dues, ZERO) if dues else None,
            platform_withholds=withholding_method(book, _month_end(month)) == "cumulative",
            pay_by=pay_by, late_days=late, interest=interest,
            rows=tuple(f"{x.file}:{x.row}" for x in group)))
    notes = ["received_after_tax"]
    notes.append("interest_contract" if per_day is not None else "interest_none")
    if any(m.status == "missing" for m in out):
        notes.append("missing")
    if any(m.split_from in ("statement", "statement_due") for m in out):
        notes.append("split_from_statement")
    return Reconciliation(
        today=today, months=tuple(out),
        expected_total=sum((m.expected for m in out if m.expected is not None and
                            m.status != "not_due"), ZERO),
        received_total=sum((m.received for m in out if m.status != "not_due"), ZERO),
        shortfall_total=sum((m.shortfall for m in out if m.shortfall), ZERO),
        overpaid_total=sum((m.overpaid for m in out if m.status != "not_due"), ZERO),
        withheld_total=sum((m.withheld for m in out if m.status != "not_due"), ZERO),
        interest_total=sum((m.interest for m in out if m.interest), ZERO)
        if per_day is not None else None,
        unknown_months=tuple(m.month for m in out if m.expected is None),
        rate_per_day=per_day, notes=tuple(notes))
