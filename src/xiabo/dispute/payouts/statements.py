"""Settlement statements read into month lines: the month, turnover, split, due, paid,
guarantee and tax withheld, each with the file and row it came from (so every figure can be
pointed at in the statement a court will read).

Reads through xiabo.tabular (encodings, xlsx size caps); a value that does not read stops with
the file, row, column and value named, since a silently skipped month would understate a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from ...errors import UserError
from ...orders.parse import clean_cell, normalise_word, parse_money
from ...tabular import DEFAULT_LIMITS, Limits, open_table, read_table
from .columns import HEADER_SEARCH_ROWS, ColumnMap, find_header

__all__ = ["StatementLine", "month_of", "parse_ratio", "read_statement", "read_statements"]

_MONTH = re.compile(r"(?P<y>\d{4})\s*(?:[-/.年]\s*(?P<m>\d{1,2})|(?P<m2>\d{2}))\s*月?"
                    r"(?:\s*[-/.]?\s*\d{1,2}\s*日?(?:\s+[\d:]+)?)?(?:\s*[-~至到].*)?$")
_SERIAL = re.compile(r"\d{5}(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_TOTALS = {normalise_word(w) for w in ("合计", "总计", "小计", "汇总", "total", "sum")}
_PERCENT = re.compile(r"^(?P<n>[\d.]+)\s*[%％]$")


@dataclass(frozen=True)
class StatementLine:
    """One row of a statement; amounts in yuan (Decimal), ``split`` as a fraction (0.5)."""

    file: str
    row: int
    month: date  # the first day of the month the row settles
    turnover: Decimal | None = None
    split: Decimal | None = None
    due: Decimal | None = None
    paid: Decimal | None = None
    guarantee: Decimal | None = None
    withheld: Decimal | None = None


def month_of(text: str) -> date:
    """「2025-03」「2025年3月」「202503」「2025/3/1」, an Excel serial → date(2025, 3, 1).

    Raises ValueError for anything else (a month without a year cannot be placed)."""
    value = clean_cell(text)
    found = _MONTH.match(value)
    if found:
        year, month = int(found["y"]), int(found["m"] or found["m2"])
    elif _SERIAL.match(value) and 20_000 < float(value) < 80_000:
        day = _EXCEL_EPOCH + timedelta(days=int(float(value)))
        year, month = day.year, day.month
    else:
        raise ValueError(text)
    if not (1900 <= year <= 2999 and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)


def parse_ratio(text: str) -> Decimal | None:
    """「50%」「0.5」「50」→ Decimal('0.5'); None when empty. Above 1 without % is read as
    percent (statements write 60 for 60 %); above 100 % or negative is refused."""
    value = clean_cell(str(text))
    if not value or value in ("-", "--", "/"):
        return None
    found = _PERCENT.match(value)
    try:
        number = Decimal(found["n"] if found else value)
    except ArithmeticError:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    if found or number > 1:
        number = number / 100
    if not Decimal(0) <= number <= 1:
        raise ValueError(text)
    return number


def _bad(path: str, row, column: str, value: str, fix: str) -> UserError:
    return UserError("payouts.err.bad_value", {"path": path, "row": row, "column": column,
                                                "value": value[:60]},
                     file=path, field=column, fix_key=f"payouts.fix.{fix}")


def _line(name: str, number: int, cells: list[str], cols: ColumnMap) -> StatementLine | None:
    raw = {f: clean_cell(cells[i]) if i < len(cells) else "" for f, i in cols.index.items()}
    if not any(raw.values()):
        return None
    if normalise_word(raw["month"]) in _TOTALS or any(
            normalise_word(v) in _TOTALS for v in raw.values() if v):
        return None  # 合计 rows repeat the months above them
    try:
        month = month_of(raw["month"])
    except ValueError:
        raise _bad(name, number, cols.header["month"], raw["month"], "month") from None
    values: dict[str, Decimal | None] = {}
    for field in ("turnover", "due", "paid", "guarantee", "withheld"):
        if field in raw:
            try:
                values[field] = parse_money(raw[field])
            except ValueError:
                raise _bad(name, number, cols.header[field], raw[field], "money") from None
    if "split" in raw:
        try:
            values["split"] = parse_ratio(raw["split"])
        except ValueError:
            raise _bad(name, number, cols.header["split"], raw["split"], "ratio") from None
    return StatementLine(name, number, month, **values)


def read_statement(path: str | Path, mapping: dict[str, str] | None = None, *,
                   name: str | None = None, limits: Limits = DEFAULT_LIMITS
                   ) -> tuple[list[StatementLine], dict[str, str]]:
    """The month lines of one statement and the columns used ({field: header as written}).

    ``name`` is how messages call the file (a web upload's own name). A file whose header is
    not found lists the columns it has and how to name them (exit 2).
    """
    shown = name or str(path)
    info = open_table(path, limits)
    cols: ColumnMap | None = None
    first_rows: list[list[str]] = []
    lines: list[StatementLine] = []
    sheet: str | None = None
    searched = 0
    header: dict[str, str] | None = None
    for row in read_table(info, limits):
        if row.sheet != sheet:  # each sheet finds its own header row
            sheet, cols, searched = row.sheet, None, 0
        if cols is None:
            searched += 1
            if searched <= HEADER_SEARCH_ROWS:
                if len(first_rows) < 3 and any(c.strip() for c in row.cells):
                    first_rows.append(row.cells)
                cols = find_header(row.cells, mapping)
                if cols is not None and header is None:
                    header = dict(cols.header)
            continue
        line = _line(shown, row.number, row.cells, cols)
        if line is not None:
            lines.append(line)
    if header is None:
        wide = [r for r in first_rows if sum(1 for c in r if c.strip()) >= 2] or first_rows
        found = "、".join(dict.fromkeys(c.strip() for c in (wide[0] if wide else []) if c.strip()))
        raise UserError("payouts.err.no_header", {"path": shown, "columns": found[:300] or "-"},
                        file=shown, fix_key="payouts.fix.no_header")
    return lines, header


def read_statements(paths, mapping: dict[str, str] | None = None, *,
                    names: list[str] | None = None) -> tuple[list[StatementLine], dict[str, dict]]:
    """Every statement's lines, and per file the columns used."""
    lines: list[StatementLine] = []
    columns: dict[str, dict] = {}
    for i, path in enumerate(paths):
        name = names[i] if names else str(path)
        found, cols = read_statement(path, mapping, name=name)
        lines += found
        columns[name] = cols
    return lines, columns
