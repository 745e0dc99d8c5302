"""Identifiers counted per column (what the web's privacy page shows), and that count kept as
JSON beside the cleaned copy so a page can show the last scan after the job that made it.

One pass of the same engine as ``xiabo privacy scan`` (the totals are its totals); masked
samples only, never a full identifier.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["COLUMNS_SHOWN", "Column", "Report", "scan_columns"]

COLUMNS_SHOWN = 40


@dataclass
class Column:
    """Identifiers of one kind in one column (or in a text file's lines)."""

    sheet: str
    column: int | None  # 1-based; None for text lines
    header: str | None
    kind: str
    count: int = 0
    samples: list[str] = field(default_factory=list)


@dataclass
class Report:
    name: str
    rows: int
    counts: dict[str, int]
    columns: list[Column]
    more: int = 0  # identifiers in columns not listed

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        return cls(str(data["name"]), int(data["rows"]),
                   {str(k): int(v) for k, v in data["counts"].items()},
                   [Column(**c) for c in data["columns"]], int(data.get("more", 0)))


def scan_columns(path: Path, name: str, today) -> Report:
    """One pass of the privacy engine, counted per (sheet, column, kind); masked samples only."""
    from ..tabular import DEFAULT_LIMITS, open_table, read_blocks
    from .detect import TYPES, normalise_types
    from .engine import scan_blocks
    from .mask import mask
    from .scan import fewer_gc_passes

    info = open_table(path, DEFAULT_LIMITS)
    text = info.kind == "txt"
    counts: Counter = Counter()
    cols: dict[tuple, Column] = {}
    rows = 0
    with fewer_gc_passes():
        for block, hits, roles in scan_blocks(read_blocks(info, DEFAULT_LIMITS),
                                              normalise_types(None), header=not text,
                                              today=today):
            rows += len(block.rows)
            header = roles.header
            for r, col, s, e, kind in hits:
                counts[kind] += 1
                key = (block.sheet, None if text else col + 1, kind)
                entry = cols.get(key)
                if entry is None:
                    entry = cols[key] = Column(
                        block.sheet, None if text else col + 1,
                        header[col] if header and col < len(header) else None, kind)
                entry.count += 1
                if len(entry.samples) < 2:
                    entry.samples.append(mask(kind, block.rows[r][col][s:e]))
    ordered = sorted(cols.values(), key=lambda c: -c.count)
    shown = ordered[:COLUMNS_SHOWN]
    return Report(name, rows, {k: counts.get(k, 0) for k in TYPES}, shown,
                  more=sum(c.count for c in ordered[COLUMNS_SHOWN:]))
