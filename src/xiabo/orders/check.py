"""Check a shop's order export before closing: what still needs shipping, returns, after-sales.

Law, as rule-pack values (never hard-coded here):
- 消费者权益保护法 Art. 25: 7-day no-reason returns, counted from receipt; 民法典 Art. 201: the day
  of receipt is not counted, so an order received on day R can be returned through R + 7.
- 电子商务法 Art. 16: a seller who stops must post a notice on the shop's home page 30 days ahead.

The earliest closing date is the later of today + the notice days and the end of the last open
return window. Natural days: weekends and holidays count like any other day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..tabular import DEFAULT_LIMITS, Limits, open_table, read_table
from .columns import HEADER_SEARCH_ROWS as _HEADER_SEARCH_ROWS
from .columns import ColumnMap, find_header, vocab
from .parse import DateOutOfRange, clean_cell, normalise_word, parse_date, parse_money

__all__ = ["NOTICE_RULE", "PROBLEMS", "RETURN_RULE", "Order", "OrdersReport", "check"]

RETURN_RULE = "common.law.consumer_return_days"
NOTICE_RULE = "common.law.shop_close_notice_days"
# What keeps a shop from closing, in the order a seller should deal with them.
PROBLEMS = ("unshipped", "in_transit", "after_sale", "return_window", "unknown_status", "unreadable")
_DATE_FIELDS = ("ordered_at", "shipped_at", "received_at")
_TOTAL_WORDS = {"合计", "总计", "小计", "total", "sum"}


@dataclass(frozen=True)
class Order:
    """One row of the export, read and classified. ``problems`` is empty when nothing is left."""

    sheet: str
    row: int
    order_id: str
    status: str = ""
    state: str = "unknown"          # unpaid | closed | unshipped | shipped | received | unknown
    ordered_at: date | None = None
    shipped_at: date | None = None
    received_at: date | None = None
    after_sale: str = ""
    after_sale_state: str = "none"  # none | open | closed | refunded
    amount: Decimal | None = None
    window_end: date | None = None  # last day a no-reason return can be asked for
    problems: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()  # fields whose text could not be read

    def to_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet, "row": self.row, "order_id": self.order_id, "status": self.status,
            "state": self.state,
            **{k: (getattr(self, k).isoformat() if getattr(self, k) else None)
               for k in (*_DATE_FIELDS, "window_end")},
            "after_sale": self.after_sale, "after_sale_state": self.after_sale_state,
            "amount": None if self.amount is None else str(self.amount),
            "problems": list(self.problems), "unreadable": list(self.unreadable),
        }


@dataclass
class OrdersReport:
    """Everything ``orders check`` found; ``earliest_close`` feeds the roadmap's shop task."""

    file: str
    today: date
    platform: str | None
    return_days: int
    notice_days: int
    columns: dict[str, str]
    orders: list[Order] = field(default_factory=list)
    unpaid: int = 0
    no_receipt_date: int = 0

    def _with(self, problem: str) -> list[Order]:
        return [o for o in self.orders if problem in o.problems]

    @property
    def unshipped(self) -> list[Order]:
        return self._with("unshipped")

    @property
    def in_transit(self) -> list[Order]:
        return self._with("in_transit")

    @property
    def in_return_window(self) -> list[Order]:
        return self._with("return_window")

    @property
    def open_after_sale(self) -> list[Order]:
        return self._with("after_sale")

    @property
    def problem_orders(self) -> list[Order]:
        return [o for o in self.orders if o.problems]

    @property
    def counts(self) -> dict[str, int]:
        """Distinct order numbers per problem (an export may hold one row per item)."""
        return {p: len({o.order_id for o in self._with(p)}) for p in PROBLEMS}

    @property
    def amounts(self) -> dict[str, Decimal]:
        return {p: sum((o.amount for o in self._with(p) if o.amount is not None), Decimal(0))
                for p in PROBLEMS}

    @property
    def last_window_end(self) -> date | None:
        ends = [o.window_end for o in self.in_return_window if o.window_end]
        return max(ends) if ends else None

    @property
    def notice_end(self) -> date:
        return self.today + timedelta(days=self.notice_days)

    @property
    def earliest_close(self) -> date:
        """The later of today + notice days and the last open return window's end."""
        last = self.last_window_end
        return max(self.notice_end, last) if last else self.notice_end

    @property
    def provisional(self) -> bool:
        """True while orders remain whose return window has not started or cannot be dated."""
        return any(self._with(p) for p in ("unshipped", "in_transit", "after_sale",
                                           "unknown_status", "unreadable"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "today": self.today.isoformat(), "platform": self.platform,
            "rules": {RETURN_RULE: self.return_days, NOTICE_RULE: self.notice_days},
            "columns": self.columns, "orders_total": len({o.order_id for o in self.orders}),
            "rows": len(self.orders), "unpaid": self.unpaid, "no_receipt_date": self.no_receipt_date,
            "counts": self.counts, "amounts": {k: str(v) for k, v in self.amounts.items()},
            "last_window_end": self.last_window_end.isoformat() if self.last_window_end else None,
            "notice_end": self.notice_end.isoformat(),
            "earliest_close": self.earliest_close.isoformat(),
            "provisional": self.provisional,
            "problems": [o.to_dict() for o in self.problem_orders],
        }


# --- classification ---------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _normalised(table_name: str) -> dict[str, frozenset[str]]:
    """A vocabulary table with its words normalised once (not once per order row)."""
    return {state: frozenset(normalise_word(str(w)) for w in words)
            for state, words in vocab()[table_name].items()}


def _contains_any(word: str, words: frozenset[str]) -> bool:
    return any(w and w in word for w in words)


@lru_cache(maxsize=4096)  # an export repeats a handful of status texts on every row
def status_state(text: str) -> str:
    """unpaid | closed | unshipped | shipped | received | unknown, from the status text."""
    word = normalise_word(text)
    for state, words in _normalised("status").items():
        if _contains_any(word, words):
            return state
    return "unknown"


@lru_cache(maxsize=4096)
def after_sale_state(text: str) -> str:
    """none | refunded | closed | open, from the after-sale text."""
    table = _normalised("after_sale")
    word = normalise_word(text)
    if word in table["none"]:
        return "none"
    for state in ("refunded", "closed"):
        if _contains_any(word, table[state]):
            return state
    return "open"


_CLOCK_SLACK = timedelta(days=1)  # an export in China time may be a day ahead of the user's clock


def _date_error(cols: ColumnMap, name: str, text: str, sheet: str, number: int,
                today: date) -> UserError:
    """A date no order can have (after today, year 9999): the file is wrong, say where."""
    where = f"{sheet}!{number}" if sheet else str(number)
    return UserError("orders.date_out_of_range",
                     {"row": where, "column": cols.header.get(name, name),
                      "value": clean_cell(text)[:40], "today": today.isoformat()},
                     field=cols.header.get(name, name), fix_key="orders.fix_date_out_of_range")


def _classify(raw: dict[str, str], cols: ColumnMap, sheet: str, number: int, today: date,
              return_days: int) -> tuple[Order, str | None]:
    dates: dict[str, date | None] = {}
    unreadable: list[str] = []
    for name in _DATE_FIELDS:
        try:
            dates[name] = parse_date(raw.get(name, ""))
        except DateOutOfRange:
            raise _date_error(cols, name, raw.get(name, ""), sheet, number, today) from None
        except (ValueError, OverflowError, OSError):
            dates[name] = None
            unreadable.append(name)
        else:
            if dates[name] is not None and dates[name] > today + _CLOCK_SLACK:
                raise _date_error(cols, name, raw.get(name, ""), sheet, number, today)
    try:
        amount = parse_money(raw.get("amount", ""))
    except ValueError:
        amount = None
        unreadable.append("amount")
    status = clean_cell(raw.get("status", ""))
    after = clean_cell(raw.get("after_sale", ""))
    state = status_state(status) if status else "unknown"
    after_state = after_sale_state(after) if cols.has("after_sale") else "none"
    received, shipped = dates["received_at"], dates["shipped_at"]

    problems: list[str] = []
    window_end = received + timedelta(days=return_days) if received else None
    note = None
    if after_state == "open":
        problems.append("after_sale")
    if state == "closed" or after_state == "refunded":
        pass
    elif state == "unpaid" and not shipped and not received:
        note = "unpaid"
    elif received or state == "received":
        if window_end and today <= window_end:
            problems.append("return_window")
        elif not received and "received_at" not in unreadable:
            note = "no_receipt_date"
    elif shipped or state == "shipped":
        problems.append("in_transit")
    elif state == "unshipped" or (state == "unknown" and cols.has("shipped_at")
                                  and "shipped_at" not in unreadable):
        problems.append("unshipped")
    elif state == "unknown":
        problems.append("unknown_status")
    if unreadable and any(f in unreadable for f in ("shipped_at", "received_at", "amount",
                                                   "ordered_at")):
        problems.append("unreadable")
    order = Order(sheet=sheet, row=number, order_id=clean_cell(raw["order_id"]), status=status,
                  state=state, ordered_at=dates["ordered_at"], shipped_at=shipped, received_at=received,
                  after_sale=after, after_sale_state=after_state, amount=amount,
                  window_end=window_end, problems=tuple(p for p in PROBLEMS if p in problems),
                  unreadable=tuple(unreadable))
    return order, note


# --- reading ----------------------------------------------------------------------------------


def _read_rules(today: date, platform: str | None) -> tuple[int, int]:
    from ..rules import RuleMissing, load_rulebook

    book = load_rulebook()
    try:
        if platform:
            view = book.platform(platform)
            return (int(view.value(RETURN_RULE.split(".", 1)[1], on=today)),
                    int(view.value(NOTICE_RULE.split(".", 1)[1], on=today)))
        return int(book.value(RETURN_RULE, on=today)), int(book.value(NOTICE_RULE, on=today))
    except RuleMissing as missing:
        if platform and platform not in book.platforms:
            raise UserError("orders.bad_platform",
                            {"platform": platform, "known": ", ".join(book.platform_ids())},
                            field="--platform", fix_key="orders.fix_platform") from None
        raise UserError("orders.rule_missing", {"rule": str(missing)},
                        fix_key="orders.fix_rule_missing") from None


def check(path: str | Path, today: date, mapping: dict[str, str] | None = None, *,
          platform: str | None = None, limits: Limits = DEFAULT_LIMITS) -> OrdersReport:
    """Read an order export (xlsx/csv) and classify every order as of ``today``.

    ``mapping`` names columns the vocabulary does not know: {header text: field}.
    """
    return_days, notice_days = _read_rules(today, platform)
    info = open_table(path, limits)
    report: OrdersReport | None = None
    sheet: str | None = None
    cols: ColumnMap | None = None
    searched = 0
    for row in read_table(info, limits):
        if row.sheet != sheet:  # each sheet finds its own header row within its first rows
            sheet, cols, searched = row.sheet, None, 0
        if cols is None:
            searched += 1
            if searched <= _HEADER_SEARCH_ROWS:
                found = find_header([row.cells], mapping)
                if found is not None:
                    cols = found[1]
                    if report is None:
                        report = OrdersReport(str(path), today, platform, return_days,
                                              notice_days, dict(cols.header))
            continue
        cells = row.cells
        raw = {name: cells[i] if i < len(cells) else "" for name, i in cols.index.items()}
        order_id = clean_cell(raw.get("order_id", ""))
        if not order_id or normalise_word(order_id) in _TOTAL_WORDS:
            continue  # blank lines and 合计 rows
        try:
            order, note = _classify(raw, cols, row.sheet, row.number, today, return_days)
        except UserError as err:
            err.file = str(path)
            raise
        report.orders.append(order)  # type: ignore[union-attr]
        if note == "unpaid":
            report.unpaid += 1  # type: ignore[union-attr]
        elif note == "no_receipt_date":
            report.no_receipt_date += 1  # type: ignore[union-attr]
    if report is None:
        raise UserError("orders.no_header", {"path": str(path)}, file=str(path),
                        fix_key="orders.fix_no_header")
    return report
