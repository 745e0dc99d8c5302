"""Read the values order exports hold: dates in a dozen spellings, money, Excel's quirks."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

__all__ = ["DateOutOfRange", "clean_cell", "normalise_header", "normalise_word", "parse_date",
           "parse_money"]

_CHINA = timezone(timedelta(hours=8))  # Asia/Shanghai has no daylight saving
_EXCEL_EPOCH = date(1899, 12, 30)
_EMPTY = {"", "-", "--", "—", "/", "无", "null", "none", "n/a", "na", "0", "0000-00-00",
          "0000-00-00 00:00:00", "1970-01-01 08:00:00", "1970-01-01 00:00:00"}
_YMD = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?$")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?$")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?$")
_BRACKETS = re.compile(r"[(（\[【<《].*?[)）\]】>》]")
_SPACES = re.compile(r"[\s_\-\u3000:：*]+")
_EARLIEST, _LATEST = date(1900, 1, 1), date(2999, 12, 31)  # the calendar xiabo plans in
_MAX_AMOUNT = Decimal("1e12")  # yuan in one order: beyond it the cell is not an amount
_MONEY_NOISE = re.compile(r"[¥￥$,，\s元]|rmb|cny", re.IGNORECASE)


def clean_cell(value: str) -> str:
    """Undo export tricks that keep Excel from mangling long numbers: ="123", '123, tab."""
    value = value.strip().lstrip("\ufeff").strip()
    if value.startswith('="') and value.endswith('"') and len(value) >= 3:
        value = value[2:-1].replace('""', '"')
    elif value.startswith(("'", "\t")):
        value = value[1:]
    return value.strip()


def normalise_word(text: str) -> str:
    """Lower case without spaces, underscores, hyphens or colons: 'Order ID' -> 'orderid'."""
    return _SPACES.sub("", clean_cell(text)).lower()


def normalise_header(text: str) -> str:
    """A header as compared with the vocabulary: '实付金额（元）' -> '实付金额'."""
    return normalise_word(_BRACKETS.sub("", clean_cell(text)))


class DateOutOfRange(ValueError):
    """A real date, but outside any calendar an order can be in (year 9999, 1066…)."""


def _to_date(y: str, m: str, d: str, hh: str | None = None, mm: str | None = None,
             ss: str | None = None, tz: str | None = None) -> date:
    if not _EARLIEST.year <= int(y) <= _LATEST.year:
        raise DateOutOfRange(f"{y}-{m}-{d}")
    if not tz:
        return date(int(y), int(m), int(d))
    moment = datetime(int(y), int(m), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    offset = UTC if tz == "Z" else timezone(
        (1 if tz[0] == "+" else -1) * timedelta(hours=int(tz[1:3]), minutes=int(tz[-2:])))
    return moment.replace(tzinfo=offset).astimezone(_CHINA).date()


def parse_date(text: str) -> date | None:
    """The calendar day (China time) of an export's timestamp; None for an empty cell.

    Raises ValueError for text that is not a date, so a typo is reported, not skipped.
    """
    value = clean_cell(text)
    if value.lower() in _EMPTY:
        return None
    m = _YMD.match(value)
    if m:
        return _to_date(m["y"], m["m"], m["d"], m["H"], m["M"], m["S"], m["tz"])
    m = _COMPACT.match(value)
    if m:
        return _to_date(m["y"], m["m"], m["d"])
    if _SERIAL.match(value):  # an Excel date serial that lost its format
        serial = float(value)
        if 20_000 < serial < 80_000:
            return _EXCEL_EPOCH + timedelta(days=int(serial))
    if _EPOCH.match(value):  # Unix seconds or milliseconds
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, _CHINA).date()
    raise ValueError(value)


def parse_money(text: str) -> Decimal | None:
    """Yuan as Decimal: '¥1,299.00', '1299元', '(12.50)' -> -12.50; None when empty."""
    value = clean_cell(text)
    if value.lower() in _EMPTY - {"0"}:
        return None
    negative = value.startswith("(") and value.endswith(")")
    value = _MONEY_NOISE.sub("", value.strip("()"))
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite() or abs(amount) >= _MAX_AMOUNT:
        raise ValueError(text)
    return -amount if negative else amount
