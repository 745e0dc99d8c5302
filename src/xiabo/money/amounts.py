"""Reading what a person types: money amounts, dates and platform names.

One parser for the CLI options and the ledger cells, so ``1,234.50``, ``¥1234.5`` and an
Excel number all mean the same fen. Each parser raises ``ValueError`` with a catalogue key
(``tax.reason.*``) as its message; callers turn that into a ``UserError`` naming the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .brackets import money

__all__ = ["parse_amount", "parse_date", "parse_platform"]

_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")



_TOO_LARGE = Decimal("1e15")  # yuan: an input domain bound, not a tax rule


def parse_amount(value: object, *, allow_blank: bool = False) -> Decimal:
    """A non-negative yuan amount rounded to the fen; blank → 0 when ``allow_blank``."""
    if isinstance(value, bool):
        raise ValueError("tax.reason.not_number")
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_blank:
            return Decimal("0.00")
        raise ValueError("tax.reason.blank")
    if isinstance(value, (int, float, Decimal)):
        text = str(value)
    else:
        text = str(value).strip().replace("￥", "").replace("¥", "").replace("元", "").strip()
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError("tax.reason.not_number") from None
    if not amount.is_finite():
        raise ValueError("tax.reason.not_number")
    if abs(amount) >= _TOO_LARGE:  # beyond any income; Decimal would fail rounding it to the fen
        raise ValueError("tax.reason.too_large")
    if amount < 0:
        raise ValueError("tax.reason.negative")
    return money(amount)


def parse_date(value: object) -> date:
    """``2025-10-05``, ``2025/10/5``, ``2025年10月5日``, ``20251005``, or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or not str(value).strip():
        raise ValueError("tax.reason.blank")
    text = str(value).strip()
    text = text.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d", text) else text
    m = _DATE.match(text) or _COMPACT.match(text)
    if not m:
        raise ValueError("tax.reason.bad_date")
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError("tax.reason.bad_date") from None
    if not 1900 <= day.year <= 2999:  # the calendar xiabo plans in: no year 9999
        raise ValueError("tax.reason.bad_date")
    return day


def parse_platform(value: object, book=None) -> str:
    """A platform id from any name the rule packs give it (id, zh/en name, aliases such as
    快手 or ks); a name no pack knows is kept, lower-cased, for the caller to refuse."""
    if value is None or not str(value).strip():
        raise ValueError("tax.reason.blank")
    text = str(value).strip().lower()
    if book is None:
        from ..rules import load_rulebook

        book = load_rulebook()
    for platform in book.platforms.values():
        if text in platform.names():
            return platform.id
    return text
