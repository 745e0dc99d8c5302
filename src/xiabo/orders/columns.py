"""Which column is which: recognise an order export's header row, or take the user's --map.

Platforms name the same thing differently (订单号 / 订单编号 / 主订单编号 / Order ID), exports
often start with a title row or two, and a header row may carry units in brackets. The names
are data (``vocab.yaml``), so a renamed column is a one-line fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UserError
from .parse import normalise_header, normalise_word

__all__ = ["FIELDS", "HEADER_SEARCH_ROWS", "ColumnMap", "find_header", "parse_mapping", "vocab"]

FIELDS = ("order_id", "status", "ordered_at", "shipped_at", "received_at", "after_sale", "amount")
HEADER_SEARCH_ROWS = 30


@lru_cache(maxsize=1)
def vocab() -> dict:
    import yaml

    with (Path(__file__).parent / "vocab.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class ColumnMap:
    """Field -> column index, and the header text of each mapped column."""

    index: dict[str, int]
    header: dict[str, str]

    def has(self, name: str) -> bool:
        return name in self.index


def _exact(cells: list[str]) -> dict[str, int]:
    headers = vocab()["headers"]
    norm = [normalise_header(c) for c in cells]
    found: dict[str, int] = {}
    for name in FIELDS:
        best: tuple[int, int] | None = None
        for col, text in enumerate(norm):
            if not text or col in found.values():
                continue
            names = [normalise_word(n) for n in headers[name]]
            if text in names:
                rank = names.index(text)
                if best is None or rank < best[0]:
                    best = (rank, col)
        if best is not None:
            found[name] = best[1]
    return found


def _contains(cells: list[str], found: dict[str, int]) -> None:
    rules = vocab()["contains"]
    exclude = vocab()["exclude"]
    for name in FIELDS:
        if name in found:
            continue
        banned = [normalise_word(w) for w in exclude.get("_all", []) + exclude.get(name, [])]
        for col, cell in enumerate(cells):
            text = normalise_header(cell)
            if not text or col in found.values() or any(b in text for b in banned):
                continue
            if any(all(normalise_word(w) in text for w in words) for words in rules.get(name, [])):
                found[name] = col
                break


def _usable(found: dict[str, int]) -> bool:
    """An order id plus at least one column that tells whether it still needs work."""
    return "order_id" in found and any(
        k in found for k in ("status", "shipped_at", "received_at", "after_sale"))


def find_header(rows: list[list[str]], mapping: dict[str, str] | None = None
                ) -> tuple[int, ColumnMap] | None:
    """The header row's index among ``rows`` (the first rows of a sheet) and its column map.

    ``mapping`` is the user's {header text: field}; those columns are taken as given.
    """
    wanted = {normalise_header(k): v for k, v in (mapping or {}).items()}
    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        norm = [normalise_header(c) for c in cells]
        found: dict[str, int] = {}
        for text, field in wanted.items():
            if text in norm:
                found[field] = norm.index(text)
        if wanted and len(found) < len(wanted):
            continue  # the user's columns are all on the header row, or this is not it
        for name, col in _exact(cells).items():
            if name not in found and col not in found.values():
                found[name] = col
        _contains(cells, found)
        if _usable(found):
            return i, ColumnMap(found, {k: cells[v].strip() for k, v in found.items()})
    return None


def parse_mapping(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``['收件时间=received_at']`` -> {'收件时间': 'received_at'}; bad entries exit 2."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        column, field = column.strip(), field.strip()
        if not sep or not column or not field:
            raise UserError("orders.bad_map", {"pair": pair}, field="--map",
                            fix_key="orders.fix_map")
        if field not in FIELDS:
            raise UserError("orders.bad_field", {"field": field, "fields": ", ".join(FIELDS)},
                            field="--map", fix_key="orders.fix_map")
        mapping[column] = field
    return mapping
