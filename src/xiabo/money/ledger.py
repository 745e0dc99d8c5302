"""The payout ledger: a CSV or XLSX of platform payouts, possibly from several platforms.

Columns ``date, platform, gross, withheld`` (or 日期/平台/收入(税前)/已扣税). CSV may be UTF-8
(with or without BOM) or GBK/GB18030. Every bad row is reported with its line number and the
reason; nothing is silently dropped (only wholly empty rows are skipped). The file is only read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from ..errors import UserError
from .amounts import parse_amount, parse_date, parse_platform

__all__ = ["Payout", "LedgerRowsError", "read_ledger", "read_rows", "parse_rows", "HEADERS"]

# canonical column -> accepted headers (compared after _norm)
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("date", "日期", "结算日期", "发放日期", "到账日期"),
    "platform": ("platform", "平台", "平台名称"),
    "gross": ("gross", "收入(税前)", "税前收入", "收入", "税前金额"),
    "withheld": ("withheld", "已扣税", "已扣个税", "代扣税款", "已预扣税款"),
}
REQUIRED = ("date", "platform", "gross", "withheld")
_HEADER_SEARCH_ROWS = 5  # title rows a spreadsheet may have above the header


@dataclass(frozen=True)
class Payout:
    """One payout from a platform: gross before tax and the tax the platform withheld."""

    date: date
    platform: str
    gross: Decimal
    withheld: Decimal = Decimal("0.00")
    line: int = 0


@dataclass
class LedgerRowsError(UserError):
    """Some rows are bad: lists every one (line, column, value, reason) in the user's language."""

    problems: tuple = ()

    def render(self, lang: str = "zh") -> str:
        from ..i18n import t

        lines = [t("tax.err.ledger_row", lang, line=line, column=col, value=value,
                   reason=t(reason, lang)) for line, col, value, reason in self.problems]
        self.params = {**(self.params or {}), "count": len(self.problems),
                       "lines": "\n".join(lines)}
        return super().render(lang)


def _norm(header: object) -> str:
    text = "" if header is None else str(header)
    text = text.replace("\ufeff", "").replace("（", "(").replace("）", ")")
    return "".join(text.split()).lower()


_LOOKUP = {_norm(h): key for key, names in HEADERS.items() for h in names}


def _decode(raw: bytes, path: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UserError("tax.err.ledger_encoding", file=path, fix_key="tax.fix.ledger_encoding")


def _csv_rows(path: Path) -> Iterator[tuple[int, list]]:
    text = _decode(path.read_bytes(), str(path))
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for row in reader:
        yield reader.line_num, row


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list]]:
    from zipfile import BadZipFile

    import openpyxl

    from ..sheet_shape import scan_workbook

    scan_workbook(path)  # openpyxl builds whole rows: a row of millions of cells is refused first
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise UserError("tax.err.ledger_xlsx", file=str(path), fix_key="tax.fix.ledger_xlsx") from None
    try:
        ws = wb.worksheets[0]
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        wb.close()


def read_rows(path: str | Path) -> Iterator[tuple[int, list]]:
    """(line number, cells) for each row of a CSV or XLSX file, header included."""
    path = Path(path)
    if not path.is_file():
        raise UserError("tax.err.ledger_missing", {"path": str(path)}, file=str(path),
                        fix_key="tax.fix.ledger_missing")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    if suffix == ".xls":
        raise UserError("tax.err.ledger_xls", file=str(path), fix_key="tax.fix.ledger_xlsx")
    return _csv_rows(path)


def _blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def parse_rows(rows: Iterable[tuple[int, list]], path: str = "") -> list[Payout]:
    """Turn (line, cells) rows into payouts.

    The header is the first row naming all four columns, looked for in the first few
    non-empty rows (spreadsheets often start with a title); rows above it are titles.
    """
    rows = iter(rows)
    columns: dict[str, int] = {}
    shown_names: dict[str, str] = {}
    looked = 0
    for _number, cells in rows:  # the header may follow a title row or two
        if _blank(cells):
            continue
        found: dict[str, int] = {}
        for i, cell in enumerate(cells):
            key = _LOOKUP.get(_norm(cell))
            if key and key not in found:
                found[key] = i
        if len(found) > len(columns):
            columns = found
            shown_names = {k: str(cells[i]).replace("\ufeff", "").strip()
                           for k, i in found.items()}
        looked += 1
        if len(columns) == len(REQUIRED) or looked >= _HEADER_SEARCH_ROWS:
            break
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        names = ", ".join(f"{c} / {HEADERS[c][1]}" for c in missing)
        raise UserError("tax.err.ledger_columns", {"columns": names}, file=path,
                        field=missing[0], fix_key="tax.fix.ledger_columns")
    payouts: list[Payout] = []
    problems: list[tuple] = []
    parsers = {"date": parse_date, "platform": parse_platform, "gross": parse_amount,
               "withheld": lambda v: parse_amount(v, allow_blank=True)}
    for number, cells in rows:
        if _blank(cells):
            continue
        values = {}
        for col in REQUIRED:
            i = columns[col]
            cell = cells[i] if i < len(cells) else None
            try:
                values[col] = parsers[col](cell)
            except ValueError as exc:
                shown = "" if cell is None else str(cell)
                problems.append((number, shown_names[col], shown, str(exc)))
        if len(values) == len(REQUIRED):
            if values["withheld"] > values["gross"]:
                problems.append((number, shown_names["withheld"], str(values["withheld"]),
                                 "tax.reason.withheld_over_gross"))
                continue
            payouts.append(Payout(line=number, **values))
    if problems:
        raise LedgerRowsError("tax.err.ledger_bad_rows", {}, file=path, field=problems[0][1],
                              fix_key="tax.fix.ledger_bad_rows", problems=tuple(problems))
    if not payouts:
        raise UserError("tax.err.ledger_empty", file=path, fix_key="tax.fix.ledger_empty")
    return payouts


def read_ledger(*paths: str | Path) -> list[Payout]:
    """All payouts from one or more ledger files, sorted by date then platform."""
    payouts: list[Payout] = []
    for p in paths:
        payouts.extend(parse_rows(read_rows(p), str(p)))
    return sorted(payouts, key=lambda x: (x.date, x.platform, x.line))
