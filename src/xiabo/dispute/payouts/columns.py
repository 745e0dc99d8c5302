"""Which column of a settlement statement is which: the usual names, or the user's ``--map``.

Agencies and platforms name the same figure differently (流水 / 礼物流水 / 收入, 实发 / 已结算),
and statements often start with a title row. The names are data (``vocab.yaml``); a column
xiabo does not know is named by the user as ``列名=字段``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...errors import UserError
from ...orders.parse import normalise_header, normalise_word

__all__ = ["FIELDS", "HEADER_SEARCH_ROWS", "ColumnMap", "find_header", "parse_mapping", "vocab"]

FIELDS = ("month", "turnover", "split", "due", "paid", "guarantee", "withheld")
# what a user may write after "=" in --map besides the field's own name (the help's words)
FIELD_WORDS = {"月份": "month", "流水": "turnover", "分成比例": "split", "应结": "due",
               "实发": "paid", "保底": "guarantee", "代扣个税": "withheld"}
HEADER_SEARCH_ROWS = 20


@lru_cache(maxsize=1)
def vocab() -> dict[str, list[str]]:
    """Field → the header names it is known by (normalised), most specific first."""
    import yaml

    with (Path(__file__).parent / "vocab.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)["headers"]
    return {field: [normalise_word(str(n)) for n in names] for field, names in raw.items()}


@dataclass(frozen=True)
class ColumnMap:
    """Field → column index, and the header text of each mapped column as the file has it."""

    index: dict[str, int]
    header: dict[str, str]


def _usable(found: dict[str, int]) -> bool:
    """A month, what was received, and something to compute what was due from."""
    return "month" in found and "paid" in found and ("turnover" in found or "due" in found)


def find_header(cells: list[str], mapping: dict[str, str] | None = None) -> ColumnMap | None:
    """The column map when ``cells`` is a statement's header row, else None.

    ``mapping`` is the user's {header text: field}; those columns are taken as given, the rest
    are recognised by name (exact names first, in the vocabulary's order).
    """
    norm = [normalise_header(c) for c in cells]
    found: dict[str, int] = {}
    for text, field in (mapping or {}).items():
        want = normalise_header(text)
        if want not in norm:
            return None  # the user's columns are all on the header row, or this is not it
        found[field] = norm.index(want)
    names = vocab()
    for field in FIELDS:
        if field in found:
            continue
        best: tuple[int, int] | None = None
        for col, text in enumerate(norm):
            if text and text in names[field] and col not in found.values():
                rank = names[field].index(text)
                if best is None or rank < best[0]:
                    best = (rank, col)
        if best is not None:
            found[field] = best[1]
    if not _usable(found):
        return None
    return ColumnMap(found, {k: cells[v].strip() for k, v in found.items()})


def parse_mapping(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``['发放金额=paid']`` → {'发放金额': 'paid'}; a bad entry is a UserError (exit 2)."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.rpartition("=")
        column, field = column.strip(), field.strip()
        field = FIELD_WORDS.get(field, field)
        if not sep or not column or not field:
            raise UserError("payouts.err.bad_map", {"pair": pair}, field="--map",
                            fix_key="payouts.fix.map")
        if field not in FIELDS:
            raise UserError("payouts.err.bad_field", {"field": field, "fields": ", ".join(FIELDS)},
                            field="--map", fix_key="payouts.fix.map")
        mapping[column] = field
    return mapping
