"""Read the spreadsheets and exports users hand us, safely: CSV, XLSX, TXT, JSON.

Why a shared reader: fan lists and shop orders arrive as Windows Excel exports (GBK), UTF-8 with
or without BOM, or .xlsx files that are really zip archives. Every caller needs the same
encoding detection and the same refusal of broken, encrypted or zip-bomb workbooks, with a
message that tells a non-programmer what to do (``UserError``, exit 2).

``read_table(path)`` yields ``Row(sheet, number, cells)`` with every cell as ``str``;
``read_blocks(path)`` yields the same rows in blocks (no per-row objects: the scanners' fast
path); ``open_table(path)`` tells the format, encoding and CSV dialect (purge writes it back).
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from itertools import count, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple

from .errors import UserError
from .sheet_shape import check_row_width, scan_workbook, sheet_limits, too_many_cells

__all__ = ["Block", "Limits", "Row", "TableInfo", "cell_text", "check_xlsx", "csv_failure", "detect_encoding",
           "check_nesting", "json_records", "load_json", "open_table", "read_blocks", "read_table",
           "read_xlsx_values", "rows_to_blocks"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
_EXT_KIND = {
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".txt": "txt", ".log": "txt", ".md": "txt", ".text": "txt",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class Limits:
    """Caps that stop a hostile or broken file from exhausting memory or time."""

    max_rows: int = 5_000_000          # rows per file (Excel itself stops at 1,048,576 per sheet)
    max_unzipped: int = 1 << 30        # sum of uncompressed sizes inside an .xlsx (1 GiB)
    max_ratio: float = 200.0           # uncompressed / compressed, per member larger than 1 MiB
    max_members: int = 10_000          # entries inside an .xlsx


DEFAULT_LIMITS = Limits()
MAX_JSON_DEPTH = 64  # exports are 2–5 levels deep; the walkers recurse once per level


class Block(NamedTuple):
    """Consecutive rows of one sheet: row ``first + i`` is ``rows[i]`` (fast path for scanners)."""

    sheet: str
    first: int
    rows: list[list[str]]


class Row(NamedTuple):
    """One row as the user sees it: sheet name ('' outside xlsx), 1-based number, cells."""

    sheet: str
    number: int
    cells: list[str]


@dataclass
class TableInfo:
    """What a file is and how to write a file just like it."""

    path: Path
    kind: str                        # csv | xlsx | txt | json | jsonl
    encoding: str | None = None      # python codec name for text files
    delimiter: str | None = None     # csv only
    newline: str = "\n"              # text files: "\r\n" or "\n"

    @property
    def encoding_label(self) -> str:
        """A name a user recognises: UTF-8, UTF-8 (BOM), GB18030/GBK, UTF-16."""
        return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gb18030": "GB18030/GBK",
                "utf-16": "UTF-16"}.get(self.encoding or "", self.encoding or "-")


def _fail(what: str, path: Path | str, fix: str, **params: Any) -> UserError:
    """A ``privacy.table.<what>`` error naming the file, with ``privacy.table.fix_<fix>``."""
    return UserError(f"privacy.table.{what}", {"path": str(path), **params}, file=str(path),
                     fix_key=f"privacy.table.fix_{fix}")


# ---------------------------------------------------------------------------------------------
# encodings


def detect_encoding(path: Path) -> str:
    """Decode the whole file strictly: UTF-16 (BOM), UTF-8 (BOM optional), then GB18030.

    The whole file is checked, not a sample: a GBK byte on line 90,000 must not become mojibake.
    Returns ``utf-8-sig`` when a BOM is present, ``utf-8`` when not (so writers can copy it).
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if _decodes(path, "utf-16"):
            return "utf-16"
    elif head.startswith(codecs.BOM_UTF8):
        if _decodes(path, "utf-8-sig"):
            return "utf-8-sig"
    else:
        if _has_nul(path):
            raise _fail("binary", path, "binary")
        if _decodes(path, "utf-8"):
            return "utf-8"
        if _decodes(path, "gb18030"):
            return "gb18030"
    raise _fail("undecodable", path, "encoding")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_nul(path: Path) -> bool:
    with open(path, "rb") as fh:
        return b"\x00" in fh.read(64 * 1024)


# ---------------------------------------------------------------------------------------------
# format detection


def _magic(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(8)
    except FileNotFoundError:
        raise UserError("errors.file_missing", {"path": str(path)}, file=str(path),
                        fix_key="privacy.table.fix_missing") from None
    except IsADirectoryError:
        raise _fail("is_directory", path, "missing") from None
    except OSError as exc:
        raise UserError("privacy.table.unreadable", {"path": str(path), "error": exc.strerror},
                        file=str(path)) from None


def open_table(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> TableInfo:
    """Identify ``path`` by its bytes (and extension) and check it is safe to read."""
    path = Path(path)
    magic = _magic(path)
    ext = path.suffix.lower()
    if magic.startswith(OLE2_MAGIC):
        raise _fail("ole2", path, "ole2")
    if magic.startswith(ZIP_MAGIC) or ext in (".xlsx", ".xlsm"):
        check_xlsx(path, limits)
        return TableInfo(path, "xlsx")
    if ext in (".xls", ".et", ".numbers", ".ods"):
        raise _fail("unsupported", path, "unsupported", ext=ext)
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
    newline = "\r\n" if "\r\n" in sample else "\n"
    kind = _EXT_KIND.get(ext)
    if kind is None:
        stripped = sample.lstrip()
        kind = "json" if stripped[:1] in ("[", "{") else ("csv" if _sniff_delimiter(sample, ext)
                                                            else "txt")
    info = TableInfo(path, kind, encoding=encoding, newline=newline)
    if kind == "csv":
        info.delimiter = _sniff_delimiter(sample, ext) or ("\t" if ext in (".tsv", ".tab") else ",")
    return info


def _sniff_delimiter(sample: str, ext: str) -> str | None:
    """The delimiter used most in the first line (Excel's 'Unicode text' export uses tabs)."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return None
    if ext in (".tsv", ".tab") and counts["\t"]:
        return "\t"
    return best


# ---------------------------------------------------------------------------------------------
# xlsx


def check_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse encrypted, corrupt, zip-bomb or over-wide workbooks before openpyxl touches them.

    The sizes checked are the central directory's; Python's zipfile never inflates a member
    beyond its declared size, so a lying header cannot get past these limits.
    """
    magic = _magic(path)
    if magic.startswith(OLE2_MAGIC):
        raise _fail("ole2", path, "ole2")
    if not magic.startswith(ZIP_MAGIC):
        raise _fail("not_xlsx", path, "corrupt")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail("corrupt_xlsx", path, "corrupt") from None
    if len(infos) > limits.max_members:
        raise _fail("zip_bomb", path, "zip_bomb")
    if any(i.flag_bits & 0x1 for i in infos):
        raise _fail("ole2", path, "ole2")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > (1 << 20) and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _fail("zip_bomb", path, "zip_bomb")
    if total > limits.max_unzipped:
        raise _fail("zip_bomb", path, "zip_bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise _fail("not_xlsx", path, "corrupt")
    # openpyxl (even read-only, even to list the sheets) parses a sheet that lacks a
    # <dimension> tag whole, and builds each row whole: count its width and cells first
    scan_workbook(path)


def cell_text(value: Any) -> str:
    """How a cell reads on screen: 13812345678 not 13812345678.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds") if value.time() != time() else \
            value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def read_xlsx_values(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[str, int, tuple]]:
    """Yield (sheet, row number, raw cell values) for every row of every sheet, gaps included.

    ``check_xlsx`` has counted the sheets' width and cells from their XML first
    (:mod:`xiabo.sheet_shape`): openpyxl builds a whole row before it yields it."""
    check_xlsx(path, limits)
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken file
        raise _fail("corrupt_xlsx", path, "corrupt") from None
    total = 0
    try:
        for ws in wb.worksheets:
            if (ws.max_row or 0) > limits.max_rows:  # the declared size: refuse before reading
                raise _too_many(path, limits)
            ws.reset_dimensions()  # wrong <dimension> tags would otherwise truncate the sheet
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                total += 1
                if total > limits.max_rows:  # the real size: a lying <dimension> stops here
                    raise _too_many(path, limits)
                yield ws.title, number, values
    except UserError:
        raise
    except Exception:  # noqa: BLE001
        raise _fail("corrupt_xlsx", path, "corrupt") from None
    finally:
        wb.close()


def _xlsx_rows(path: Path, limits: Limits) -> Iterator[Row]:
    for sheet, number, values in read_xlsx_values(path, limits):
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        yield Row(sheet, number, cells)


# ---------------------------------------------------------------------------------------------
# text formats


def _too_many(path: Path, limits: Limits) -> UserError:
    return _fail("too_many_rows", path, "too_many_rows", max=limits.max_rows)


def _capped(rows: Iterator[Row], path: Path, limits: Limits) -> Iterator[Row]:
    """At most ``limits.max_rows`` rows per file, whatever the format."""
    for n, row in enumerate(rows, start=1):
        if n > limits.max_rows:
            raise _too_many(path, limits)
        yield row


def _csv_rows(info: TableInfo, limits: Limits) -> Iterator[Row]:
    reader = None
    try:
        with open(info.path, encoding=info.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=info.delimiter or ",")
            make = Row._make
            rows = _within_shape(islice(reader, limits.max_rows), info.path)
            yield from map(make, zip(repeat(""), count(1), rows))
            if next(reader, None) is not None:
                raise _too_many(info.path, limits)
    except csv.Error as exc:
        raise csv_failure(exc, info.path, reader.line_num if reader else None) from None


def _within_shape(rows: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """CSV rows, refusing one wider than ``common.input.max_columns`` or a file with more
    than ``common.input.max_cells`` cells (the orders check spent 62 s on 300k columns)."""
    shape, cells = sheet_limits(), 0
    for number, row in enumerate(rows, start=1):
        cells += len(row)
        if len(row) > shape.max_columns:
            check_row_width(path, number, len(row), shape)
        if cells > shape.max_cells:
            raise too_many_cells(path, "", number, shape)
        yield row


def csv_failure(exc: csv.Error, path: Path | str, line: int | str | None = None) -> UserError:
    """The UserError for a csv.Error: a cell over the field limit (128 KB) says so, with its line."""
    line = line if line is not None else _line_of(exc)
    if "field limit" in str(exc):
        return UserError("inputs.field_too_big", {"line": line, "max": csv.field_size_limit()},
                         file=str(path), fix_key="inputs.fix.field_too_big")
    return _fail("bad_csv", path, "bad_csv", line=line)


def _line_of(exc: csv.Error) -> str:
    text = str(exc)
    return text.rsplit("line ", 1)[-1].rstrip(")") if "line " in text else "?"


def _txt_rows(info: TableInfo) -> Iterator[Row]:
    with open(info.path, encoding=info.encoding, newline="") as fh:
        for number, line in enumerate(fh, start=1):
            yield Row("", number, [line.rstrip("\r\n")])


def load_json(info: TableInfo) -> Any:
    """Parse a .json file, or a .jsonl file into a list; bad JSON is a UserError with its line."""
    text = info.path.read_text(encoding=info.encoding or "utf-8")
    if info.encoding == "utf-8-sig" or text.startswith("\ufeff"):
        text = text.lstrip("\ufeff")
    try:
        if info.kind == "jsonl":
            doc: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail("bad_json", info.path, "bad_json", line=exc.lineno) from None
    except RecursionError:  # the C parser's own guard: far deeper than any export
        raise UserError("inputs.too_deep", {"max": MAX_JSON_DEPTH}, file=str(info.path),
                        fix_key="inputs.fix.too_deep") from None
    except ValueError:  # an integer over Python's 4,300-digit limit
        raise UserError("inputs.number_too_long", file=str(info.path),
                        fix_key="profile.fix.too_large") from None
    check_nesting(doc, info.path, MAX_JSON_DEPTH)  # the walkers below recurse: stop deep files here
    if _SURROGATE_ESCAPE.search(text):
        doc = _without_lone_surrogates(doc)
    return doc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _without_lone_surrogates(node: Any) -> Any:
    """Half an emoji (a lone ``\\ud83d`` escape, common in truncated exports) becomes U+FFFD, so
    every string can be written as UTF-8 again; whole pairs were already joined by the parser."""
    if isinstance(node, str):
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in node) \
            if any("\ud800" <= ch <= "\udfff" for ch in node) else node
    if isinstance(node, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_without_lone_surrogates(v) for v in node]
    return node


def check_nesting(doc: Any, source: str | Path, max_depth: int = 64,
                  max_nodes: int | None = None) -> None:
    """Refuse a document nested deeper than ``max_depth`` (or, optionally, with more values than
    ``max_nodes`` counting YAML aliases each time they are used), without recursion."""
    stack = [(doc, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if max_nodes is not None and nodes > max_nodes:
            raise UserError("inputs.too_many_values", {"max": max_nodes}, file=str(source),
                            fix_key="inputs.fix.too_deep")
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, (list, tuple)):
            children = node
        else:
            continue
        if depth >= max_depth and children:
            raise UserError("inputs.too_deep", {"max": max_depth}, file=str(source),
                            fix_key="inputs.fix.too_deep")
        stack.extend((child, depth + 1) for child in children)


def json_records(doc: Any) -> list[dict] | None:
    """The records if ``doc`` is a list of objects (the usual export shape), else None."""
    if isinstance(doc, list) and doc and all(isinstance(x, dict) for x in doc):
        return doc
    return None


def _json_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_leaves(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _json_leaves(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _json_leaves(value, f"{pointer}/{i}")
    else:
        yield pointer or "/", node


def _json_rows(info: TableInfo) -> Iterator[Row]:
    """Records become a table (row 0 holds the keys); any other shape becomes (path, value)."""
    doc = load_json(info)
    records = json_records(doc)
    if records is not None:
        keys: dict[str, None] = {}
        for rec in records:
            keys.update(dict.fromkeys(map(str, rec)))
        header = list(keys)
        yield Row("", 0, header)
        for number, rec in enumerate(records, start=1):
            yield Row("", number, [_json_value(rec.get(k)) for k in header])
        return
    yield Row("", 0, ["path", "value"])
    for number, (pointer, value) in enumerate(_json_leaves(doc), start=1):
        yield Row("", number, [pointer, _json_value(value)])


def read_table(path: str | Path | TableInfo, limits: Limits = DEFAULT_LIMITS) -> Iterator[Row]:
    """Every row of a CSV/XLSX/TXT/JSON file as text cells; the first row of a sheet is its header."""
    info = path if isinstance(path, TableInfo) else open_table(path, limits)
    if info.kind == "csv":
        return _csv_rows(info, limits)
    if info.kind == "xlsx":
        rows = _xlsx_rows(info.path, limits)
    elif info.kind in ("json", "jsonl"):
        rows = _json_rows(info)
    else:
        rows = _txt_rows(info)
    return _capped(rows, info.path, limits)


def rows_to_blocks(rows: Iterator[Row], size: int = 2000) -> Iterator[Block]:
    """Group rows into blocks; a new sheet or a gap in numbering starts a new block."""
    sheet, first, cells = "", 0, []
    for row in rows:
        if cells and (row.sheet != sheet or row.number != first + len(cells) or len(cells) >= size):
            yield Block(sheet, first, cells)
            cells = []
        if not cells:
            sheet, first = row.sheet, row.number
        cells.append(row.cells)
    if cells:
        yield Block(sheet, first, cells)


def _csv_blocks(info: TableInfo, limits: Limits, size: int) -> Iterator[Block]:
    reader = None
    try:
        with open(info.path, encoding=info.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=info.delimiter or ",")
            first, shape, cells = 1, sheet_limits(), 0
            while chunk := list(islice(reader, min(size, limits.max_rows - first + 1))):
                widths = list(map(len, chunk))
                if max(widths) > shape.max_columns:
                    at = next(i for i, w in enumerate(widths) if w > shape.max_columns)
                    check_row_width(info.path, first + at, widths[at], shape)
                cells += sum(widths)
                if cells > shape.max_cells:
                    raise too_many_cells(info.path, "", first + len(chunk) - 1, shape)
                yield Block("", first, chunk)
                first += len(chunk)
                if first > limits.max_rows:
                    if next(reader, None) is not None:
                        raise _too_many(info.path, limits)
                    break
    except csv.Error as exc:
        raise csv_failure(exc, info.path, reader.line_num if reader else None) from None


def read_blocks(path: str | Path | TableInfo, limits: Limits = DEFAULT_LIMITS,
                size: int = 2000) -> Iterator[Block]:
    """Like ``read_table`` but in blocks of up to ``size`` rows: no per-row objects on CSV."""
    info = path if isinstance(path, TableInfo) else open_table(path, limits)
    if info.kind == "csv":
        return _csv_blocks(info, limits, size)
    return rows_to_blocks(read_table(info, limits), size)
