"""Bracket tables and money helpers: the only arithmetic the tax rules need.

A table is rule-pack data (``unit: table``): a list of ``{up_to, rate, quick_deduction}`` with
``up_to`` inclusive and ``null`` on the top bracket. Tax = taxable × rate − quick deduction,
computed exactly in Decimal; rounding to the fen (half-up) happens only at the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..errors import UserError

__all__ = ["FEN", "ZERO", "Bracket", "Table", "money", "dec", "percent", "rule_decimal",
           "rule_table"]

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal) -> Decimal:
    """Round to the fen, half-up (the edge rounding every figure shown to a user gets)."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def dec(value: Any) -> Decimal:
    """A rule value as an exact Decimal (pack values are quoted strings; floats go via str)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(value)
    return Decimal(str(value))


def percent(rate: Decimal) -> str:
    """``Decimal("0.20")`` → ``"20%"`` (no float, no trailing zeros)."""
    text = f"{Decimal(rate) * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _bad_rule(rule, detail: str) -> UserError:
    return UserError("tax.err.bad_rule", {"id": rule.id, "problem": detail}, file=rule.file,
                     field=rule.id, fix_key="tax.fix.bad_rule")


def rule_decimal(book, rule_id: str, on: date) -> Decimal:
    """The Decimal value of a money/ratio rule on a date; a malformed overlay is a UserError."""
    rule = book.rule(rule_id)
    try:
        return dec(rule.value_at(on))
    except (InvalidOperation, ValueError, TypeError):
        raise _bad_rule(rule, repr(rule.value_at(on))) from None


@dataclass(frozen=True)
class Bracket:
    up_to: Decimal | None
    rate: Decimal
    quick_deduction: Decimal


@dataclass(frozen=True)
class Table:
    """An ordered bracket table taken from one rule on one date."""

    rule_id: str
    brackets: tuple[Bracket, ...]

    def bracket(self, taxable: Decimal) -> Bracket:
        """The bracket whose range holds ``taxable`` (bounds inclusive; ≤ 0 → first)."""
        for b in self.brackets:
            if b.up_to is None or taxable <= b.up_to:
                return b
        return self.brackets[-1]  # unreachable: the last bracket is open

    def tax(self, taxable: Decimal) -> tuple[Decimal, Bracket]:
        """Exact tax on ``taxable`` (never negative) and the bracket used."""
        b = self.bracket(taxable)
        if taxable <= 0:
            return ZERO, b
        return max(taxable * b.rate - b.quick_deduction, ZERO), b


def rule_table(book, rule_id: str, on: date) -> Table:
    """Read and check a ``unit: table`` rule: ascending bounds, the last one open.

    Parsed tables are cached on the book per epoch (same epoch, same values).
    """
    cache = book.memo("tax_tables")
    key = (rule_id, book.epoch(on))
    table = cache.get(key)
    if table is None:
        table = cache[key] = _parse_table(book, rule_id, on)
    return table


def _parse_table(book, rule_id: str, on: date) -> Table:
    rule = book.rule(rule_id)
    raw = rule.value_at(on)
    if not isinstance(raw, list) or not raw:
        raise _bad_rule(rule, "not a list of brackets")
    brackets = []
    try:
        for row in raw:
            up = row.get("up_to")
            brackets.append(Bracket(None if up is None else dec(up), dec(row["rate"]),
                                    dec(row["quick_deduction"])))
    except (AttributeError, KeyError, InvalidOperation, ValueError, TypeError) as exc:
        raise _bad_rule(rule, f"bracket {len(brackets) + 1}: {exc!r}") from None
    bounds = [b.up_to for b in brackets[:-1]]
    if brackets[-1].up_to is not None or None in bounds or bounds != sorted(set(bounds)):
        raise _bad_rule(rule, "bounds must rise and only the last may be null")
    return Table(rule_id, tuple(brackets))
