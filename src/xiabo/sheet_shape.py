"""How wide and how big a workbook is, counted from its XML before anything reads it.

Why: openpyxl builds a whole row before it hands it over, so one row of 3 million cells
(12 MB zipped) took 2.4 GB and minutes before anything could refuse it, and a column past
``ZZZ`` (18,278) makes openpyxl itself fail. The sheets are scanned as bytes, a megabyte at a
time, counting cell tags per row and in all; the scan stops at the first row or cell over the
limits (``common.input.max_columns`` and ``common.input.max_cells`` in the rule packs), so a
hostile file is refused in about the time it takes to unzip its first row.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import UserError

__all__ = ["SheetLimits", "check_row_width", "column_letters", "scan_workbook", "sheet_limits",
           "too_many_cells"]

_CHUNK = 1 << 20
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?\sr\s*=\s*["'](\d{1,9})["']""")
_WIDE_REF = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?c\b[^>]*?\sr\s*=\s*["']([A-Z]{3,})(\d{1,9})["']""")
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*>")
_PASSED: dict[tuple, None] = {}  # files scanned and found within the limits
_REL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b[^>]*>")


@dataclass(frozen=True)
class SheetLimits:
    max_columns: int
    max_cells: int


@lru_cache(maxsize=1)
def sheet_limits() -> SheetLimits:
    """The limits as the rule packs (and any overlay) state them, newest value."""
    from datetime import date

    from .rules import load_rulebook

    book = load_rulebook()
    on = date(9999, 12, 31)
    return SheetLimits(int(book.value("common.input.max_columns", on)),
                       int(book.value("common.input.max_cells", on)))


def column_letters(index: int) -> str:
    """1 → A, 16384 → XFD (for messages)."""
    out = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _too_wide(path: Path | str, sheet: str, row: int | str, n: int, limits: SheetLimits):
    return UserError("inputs.too_many_columns",
                     {"path": str(path), "sheet": sheet or "-", "row": row, "n": n,
                      "max": limits.max_columns,
                      "last": column_letters(limits.max_columns)},
                     file=str(path), fix_key="inputs.fix.too_many_columns")


def too_many_cells(path: Path | str, sheet: str, row: int | str, limits: SheetLimits):
    return UserError("inputs.too_many_cells",
                     {"path": str(path), "sheet": sheet or "-", "row": row,
                      "max": limits.max_cells},
                     file=str(path), fix_key="inputs.fix.too_many_cells")


def check_row_width(path: Path | str, row: int, width: int, limits: SheetLimits,
                    sheet: str = "") -> None:
    """Refuse a row of a text table wider than the limit (CSV: counted after parsing)."""
    if width > limits.max_columns:
        raise _too_wide(path, sheet, row, width, limits)


def _sheet_titles(zf: zipfile.ZipFile) -> dict[str, str]:
    """Member name of each worksheet → the title a user sees in Excel."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in \
            zf.namelist() else b""
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    targets = {}
    for tag in _REL_TAG.findall(rels[:1 << 20]):
        rid, target = _attr(tag, b"Id"), _attr(tag, b"Target")
        if rid and target:
            target = target.lstrip("/")
            targets[rid] = target if target.startswith("xl/") else f"xl/{target}"
    titles = {}
    for tag in _SHEET_TAG.findall(book[:1 << 20]):
        name, rid = _attr(tag, b"name"), _attr(tag, b"r:id") or _attr(tag, b"id")
        if name and rid in targets:
            titles[targets[rid]] = name
    return titles


def _attr(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s" + re.escape(name) + rb"""\s*=\s*["']([^"']*)["']""", tag)
    return found.group(1).decode("utf-8", "replace") if found else None


def scan_workbook(path: Path | str, limits: SheetLimits | None = None, *,
                  data: bytes | None = None) -> None:
    """Refuse a workbook with a row wider than ``max_columns`` cells, a cell beyond that
    column, or more than ``max_cells`` cells in all, naming the sheet and the row.

    ``data``: the workbook's bytes (an upload), ``path`` then only names it in messages."""
    limits = limits or sheet_limits()
    key = None
    if data is None:
        try:
            stat = Path(path).stat()
        except OSError:
            return
        key = (str(path), stat.st_size, stat.st_mtime_ns, limits)
        if key in _PASSED:  # the same file is checked on opening and again on reading
            return
    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            titles = _sheet_titles(zf)
            total = 0
            for info in zf.infolist():
                name = info.filename
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                total = _scan_sheet(zf, name, titles.get(name, Path(name).stem), path, limits,
                                    total)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
        return  # not this scan's to judge: the reader refuses a broken file in its own words
    if key is not None:
        if len(_PASSED) > 256:
            _PASSED.clear()
        _PASSED[key] = None


def _scan_sheet(zf, name: str, title: str, path: Path, limits: SheetLimits,
                total: int) -> int:
    long_gap = limits.max_columns * 4  # the shortest cell tag, <c/>, is 4 bytes
    row_no, row_cells, carry = 0, 0, b""
    with zf.open(name) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            buf = carry + chunk
            cut = buf.rfind(b">") + 1 if chunk else len(buf)
            part, carry = buf[:cut], buf[cut:]
            if len(carry) > _CHUNK:  # a tag longer than a megabyte: count it now
                part, carry = buf, b""
            if part:
                wide = _WIDE_REF.search(part)
                while wide:
                    if _column_index(wide.group(1)) > limits.max_columns:
                        n = _column_index(wide.group(1))
                        raise _too_wide(path, title, int(wide.group(2)), n, limits)
                    wide = _WIDE_REF.search(part, wide.end())
                cells = len(_CELL.findall(part))
                total += cells
                starts = [m.start() for m in _ROW.finditer(part)]
                if not starts:
                    row_cells += cells
                else:
                    row_cells += _count(part, 0, starts[0])
                    _check(row_cells, row_no, path, title, limits)
                    for here, nxt in zip(starts, starts[1:] + [len(part)]):
                        row_no = _row_number(part, here, row_no)
                        row_cells = _count(part, here, nxt) if (
                            nxt - here > long_gap or nxt == len(part)) else 0
                        _check(row_cells, row_no, path, title, limits)
                _check(row_cells, row_no, path, title, limits)
                if total > limits.max_cells:
                    raise too_many_cells(path, title, row_no, limits)
            if not chunk:
                return total


def _count(buf: bytes, start: int, end: int) -> int:
    return len(_CELL.findall(buf, start, end))


def _row_number(buf: bytes, at: int, previous: int) -> int:
    found = _ROW_NUMBER.match(buf, at)
    return int(found.group(1)) if found else previous + 1


def _check(cells: int, row: int, path: Path, title: str, limits: SheetLimits) -> None:
    if cells > limits.max_columns:
        raise _too_wide(path, title, row or 1, cells, limits)
