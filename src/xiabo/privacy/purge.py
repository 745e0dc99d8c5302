"""Write a cleaned copy of an export: identifiers masked, or their columns or rows dropped.

The original is never touched: the copy is written to a temporary file beside ``--out`` and
renamed into place only when complete, so an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..tabular import (
    DEFAULT_LIMITS,
    Block,
    Limits,
    Row,
    TableInfo,
    cell_text,
    json_records,
    load_json,
    open_table,
    read_blocks,
    read_xlsx_values,
    rows_to_blocks,
)
from .detect import TYPES, find_spans, normalise_types
from .engine import Scanned, cell_hits, scan_blocks
from .mask import mask

__all__ = ["MODES", "PurgeSummary", "mask_text", "purge_file"]

MODES = ("mask", "drop-column", "drop-row")
_XLSX_EXT = (".xlsx", ".xlsm")


@dataclass
class PurgeSummary:
    """What the cleaned copy differs by. ``counts`` are identifiers acted on, by type."""

    source: str
    out: str
    format: str
    mode: str
    types: list[str]
    rows_in: int = 0
    rows_out: int = 0
    cells_changed: int = 0
    columns_dropped: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TYPES, 0))

    @property
    def rows_dropped(self) -> int:
        return self.rows_in - self.rows_out

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rows_dropped"] = self.rows_dropped
        data["total"] = self.total
        return data


def mask_text(value: str, hits: Iterable[tuple[int, int, str]]) -> str:
    """``value`` with each (start, end, type) span replaced by its mask."""
    parts, pos = [], 0
    for s, e, kind in hits:
        parts.append(value[pos:s])
        parts.append(mask(kind, value[s:e]))
        pos = e
    parts.append(value[pos:])
    return "".join(parts)


# --- safety -----------------------------------------------------------------------------------


def _check_paths(src: Path, out: Path, force: bool, kind: str | None = None) -> None:
    if src.resolve() == out.resolve() or (out.exists() and src.exists() and os.path.samefile(src, out)):
        raise UserError("privacy.purge.same_file", {"path": str(out)}, file=str(out),
                        fix_key="privacy.purge.fix_same_file")
    if out.exists() and not force:
        raise UserError("privacy.purge.exists", {"path": str(out)}, file=str(out),
                        fix_key="privacy.purge.fix_exists")
    if out.is_dir():
        raise UserError("privacy.purge.out_is_dir", {"path": str(out)}, file=str(out),
                        fix_key="privacy.purge.fix_exists")
    if not out.parent.is_dir():
        raise UserError("privacy.purge.no_dir", {"path": str(out.parent)}, file=str(out),
                        fix_key="privacy.purge.fix_no_dir")


@contextmanager
def _atomic(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``; renamed onto ``out`` only if the block succeeds."""
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part" + out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        with suppress(FileNotFoundError):
            tmp.unlink()
        raise


# --- tables -----------------------------------------------------------------------------------


def _drop_columns(scanned: Iterable[Scanned]) -> dict[str, set[int]]:
    """First pass for drop-column: every (sheet, column) that holds an identifier."""
    found: dict[str, set[int]] = {}
    for block, hits, _roles in scanned:
        if hits:
            found.setdefault(block.sheet, set()).update(h[1] for h in hits)
    return found


def _column_label(sheet: str, col: int, header: list[str] | None) -> str:
    from .scan import column_letter

    name = column_letter(col)
    if header and col < len(header) and header[col].strip():
        name += f" ({header[col].strip()})"
    return f"{sheet}!{name}" if sheet else name


def _transform(scanned: Iterable[Scanned], summary: PurgeSummary, mode: str,
               dropped: dict[str, set[int]]) -> Iterator[tuple[Block, int, list[str], bool]]:
    """For every row: (block, index, new cells, changed?) — rows to drop are left out."""
    labelled: set[tuple[str, int]] = set()
    counts = summary.counts
    for block, hits, roles in scanned:
        summary.rows_in += len(block.rows)
        by_row = cell_hits(hits) if hits else {}
        drop = dropped.get(block.sheet, ())
        for col in drop:
            if (block.sheet, col) not in labelled:
                labelled.add((block.sheet, col))
                summary.columns_dropped.append(_column_label(block.sheet, col, roles.header))
        for i, cells in enumerate(block.rows):
            found = by_row.get(i)
            if found:
                for cell in found.values():
                    for _s, _e, kind in cell:
                        counts[kind] += 1
            if mode == "drop-row" and found:
                continue
            if mode == "mask" and found:
                cells = list(cells)
                for col, spans in found.items():
                    cells[col] = mask_text(cells[col], spans)
                    summary.cells_changed += 1
                yield block, i, cells, True
            elif drop:
                summary.cells_changed += sum(1 for c in drop if c < len(cells) and cells[c])
                yield block, i, [c for j, c in enumerate(cells) if j not in drop], True
            else:
                yield block, i, cells, False
            summary.rows_out += 1


def _purge_text(info: TableInfo, tmp: Path, summary: PurgeSummary, mode: str,
                want: frozenset[str], limits: Limits, today: date | None) -> None:
    header = info.kind == "csv"
    if mode == "drop-column" and not header:
        raise UserError("privacy.purge.no_columns", {"path": str(info.path)}, file=str(info.path),
                        fix_key="privacy.purge.fix_no_columns")
    dropped = {}
    if mode == "drop-column":
        dropped = _drop_columns(scan_blocks(read_blocks(info, limits), want, header=True, today=today))
    scanned = scan_blocks(read_blocks(info, limits), want, header=header, today=today)
    with open(tmp, "w", encoding=info.encoding, newline="") as fh:
        if info.kind == "csv":
            writer = csv.writer(fh, delimiter=info.delimiter or ",", lineterminator=info.newline)
            for _block, _i, cells, _changed in _transform(scanned, summary, mode, dropped):
                writer.writerow(cells)
        else:
            newline = info.newline
            for _block, _i, cells, _changed in _transform(scanned, summary, mode, dropped):
                fh.write(cells[0] if cells else "")
                fh.write(newline)


def _purge_xlsx(info: TableInfo, tmp: Path, summary: PurgeSummary, mode: str,
                want: frozenset[str], limits: Limits, today: date | None) -> None:
    import openpyxl

    raw: dict[tuple[str, int], tuple] = {}

    def rows() -> Iterator[Row]:
        for sheet, number, values in read_xlsx_values(info.path, limits):
            raw[(sheet, number)] = values
            yield Row(sheet, number, [cell_text(v) for v in values])

    dropped = {}
    if mode == "drop-column":
        dropped = _drop_columns(scan_blocks(rows_to_blocks(rows()), want, header=True, today=today))
        raw.clear()
    source = openpyxl.load_workbook(info.path, read_only=True)
    names = list(source.sheetnames)
    source.close()
    book = openpyxl.Workbook(write_only=True)
    sheets = {name: book.create_sheet(title=name) for name in names}
    scanned = scan_blocks(rows_to_blocks(rows()), want, header=True, today=today)
    previous: Block | None = None
    for block, i, cells, changed in _transform(scanned, summary, mode, dropped):
        if block is not previous:
            if previous is not None:  # forget the last block's rows (drop-row skips some)
                for n in range(previous.first, previous.first + len(previous.rows)):
                    raw.pop((previous.sheet, n), None)
            previous = block
        values = raw.pop((block.sheet, block.first + i))
        if changed:
            if mode == "mask":
                values = [c if c != cell_text(v) else v for c, v in zip(cells, values)]
            else:
                drop = dropped.get(block.sheet, ())
                values = [v for j, v in enumerate(values) if j not in drop]
        sheets[block.sheet].append(list(values))
    book.save(tmp)


# --- JSON -------------------------------------------------------------------------------------


def _mask_json(node: Any, want: frozenset[str], summary: PurgeSummary, today: date | None) -> Any:
    """Mask every string or number leaf (and key) that holds an identifier."""
    if isinstance(node, dict):
        return {_mask_json(k, want, summary, today): _mask_json(v, want, summary, today)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_json(v, want, summary, today) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (str, int, float)):
        text = node if isinstance(node, str) else str(node)
        spans = find_spans(text, want, today)
        if not spans:
            return node
        for _s, _e, kind in spans:
            summary.counts[kind] += 1
        summary.cells_changed += 1
        return mask_text(text, spans)
    return node


def _purge_json(info: TableInfo, tmp: Path, summary: PurgeSummary, mode: str,
                want: frozenset[str], limits: Limits, today: date | None) -> None:
    doc = load_json(info)
    records = json_records(doc)
    if records is None:
        if mode != "mask":
            raise UserError("privacy.purge.json_shape", {"path": str(info.path)},
                            file=str(info.path), fix_key="privacy.purge.fix_json_shape")
        summary.rows_in = summary.rows_out = 1
        doc = _mask_json(doc, want, summary, today)
    else:
        doc = _purge_records(info, records, summary, mode, want, limits, today)
    text = info.path.read_text(encoding=info.encoding or "utf-8")
    with open(tmp, "w", encoding=info.encoding or "utf-8", newline="") as fh:
        if info.kind == "jsonl":
            for rec in doc:
                fh.write(json.dumps(rec, ensure_ascii=False))
                fh.write(info.newline)
        else:
            indent = 2 if "\n" in text.strip() else None
            fh.write(json.dumps(doc, ensure_ascii=False, indent=indent))
            fh.write(info.newline)


def _purge_records(info: TableInfo, records: list[dict], summary: PurgeSummary, mode: str,
                   want: frozenset[str], limits: Limits, today: date | None) -> list[dict]:
    """Records go through the table engine, so header context (微信号, QQ, 订单号) applies."""
    scanned = list(scan_blocks(read_blocks(info, limits), want, header=True, today=today))
    header = scanned[0].roles.header or []
    hits_at: dict[int, dict[int, list]] = {}
    for block, hits, _roles in scanned:
        for r, c, s, e, kind in hits:
            hits_at.setdefault(block.first + r, {}).setdefault(c, []).append((s, e, kind))
            summary.counts[kind] += 1
    summary.rows_in = len(records)
    keys = {i: k for i, k in enumerate(header)}
    if mode == "drop-row":
        kept = [rec for n, rec in enumerate(records, start=1) if n not in hits_at]
    elif mode == "drop-column":
        drop = {keys[c] for cols in hits_at.values() for c in cols if c in keys}
        summary.columns_dropped = sorted(drop)
        summary.cells_changed = sum(1 for rec in records for k in drop if k in rec)
        kept = [{k: v for k, v in rec.items() if str(k) not in drop} for rec in records]
    else:
        kept = []
        for n, rec in enumerate(records, start=1):
            cols = hits_at.get(n)
            if cols:
                rec = dict(rec)
                for c, spans in cols.items():
                    key = keys.get(c)
                    original = next((k for k in rec if str(k) == key), None)
                    if original is None:
                        continue
                    value = rec[original]
                    if isinstance(value, (dict, list)):
                        scratch = PurgeSummary("", "", "", "", [])
                        rec[original] = _mask_json(value, want, scratch, today)
                    else:
                        text = value if isinstance(value, str) else cell_text(value)
                        rec[original] = mask_text(text, spans)
                    summary.cells_changed += 1
            kept.append(rec)
    summary.rows_out = len(kept)
    return kept


# --- entry point ------------------------------------------------------------------------------


def purge_file(src: str | Path, out: str | Path, *, mode: str = "mask",
               types: Iterable[str] | None = None, force: bool = False,
               limits: Limits = DEFAULT_LIMITS, today: date | None = None) -> PurgeSummary:
    """Write a cleaned copy of ``src`` to ``out`` in the same format; ``src`` is not modified."""
    if mode not in MODES:
        raise UserError("privacy.purge.bad_mode", {"mode": mode, "modes": ", ".join(MODES)},
                        field="--mode", fix_key="privacy.purge.fix_bad_mode")
    try:
        want = normalise_types(types)
    except ValueError as exc:
        raise UserError("privacy.bad_types", {"types": str(exc), "known": ", ".join(TYPES)},
                        field="--types", fix_key="privacy.fix_bad_types") from None
    src, out = Path(src), Path(out)
    _check_paths(src, out, force)
    info = open_table(src, limits)
    is_xlsx_out = out.suffix.lower() in _XLSX_EXT
    if (info.kind == "xlsx") != is_xlsx_out:
        raise UserError("privacy.purge.ext_mismatch", {"path": str(out), "format": info.kind},
                        file=str(out), fix_key="privacy.purge.fix_ext_mismatch")
    summary = PurgeSummary(str(src), str(out), info.kind, mode, sorted(want, key=TYPES.index))
    writer = {"xlsx": _purge_xlsx, "json": _purge_json, "jsonl": _purge_json}.get(info.kind, _purge_text)
    from .scan import fewer_gc_passes

    with _atomic(out) as tmp, fewer_gc_passes():
        writer(info, tmp, summary, mode, want, limits, today)
    return summary
