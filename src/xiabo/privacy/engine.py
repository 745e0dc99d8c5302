"""Run the detector over table rows fast, and say which cell each finding is in.

Why blocks: calling the regexes once per cell costs more than the matching itself. A block of
rows is joined into one text (cells separated by U+001F, rows by U+001E, characters no pattern
can cross), scanned once, and each match is mapped back to its row and cell by counting
separators in C. Column headers add context a cell lacks: a value under 微信号 or QQ is a WeChat
ID or QQ number without a keyword beside it, and digits under 订单号 or 用户ID are not bank cards.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import accumulate, count
from operator import add
from typing import NamedTuple

from ..tabular import Block
from .detect import DIGIT_TYPES, TYPES, find_spans

__all__ = ["CellHit", "ColumnRoles", "Hit", "Scanned", "cell_hits", "scan_blocks"]

CellHit = tuple[int, int, str]  # (start, end, type) inside one cell
Hit = tuple[int, int, int, int, str]  # (row index in block, column, start, end, type)
_US, _RS = "\x1f", "\x1e"

_WECHAT_HEADER = re.compile(r"微信|wechat|weixin|^vx|^wx|v信", re.IGNORECASE)
_QQ_HEADER = re.compile(r"qq|扣扣|企鹅", re.IGNORECASE)
# Columns of platform numbers: order, waybill, transaction, user and product IDs. Their long
# digit strings pass Luhn or look like mobiles by chance; they are not personal identifiers.
_ORDER_HEADER = re.compile(
    r"订单|单号|流水|交易号|运单|快递|物流|order|tracking|waybill|transaction"
    r"|uid|用户id|粉丝id|会员id|主播id|账号id|商品|sku|编码|直播间|房间号|^id$", re.IGNORECASE)
_PERSONAL_HEADER = re.compile(r"手机|电话|身份证|证件|银行|卡号|phone|mobile|card|id ?no", re.IGNORECASE)
# A whole cell (between separators) holding only a WeChat ID / QQ number, blanks around it.
_WECHAT_CELL = re.compile(r"(?<![^\x1e])[ \t]*([A-Za-z][-_A-Za-z0-9]{5,19})[ \t]*(?![^\x1e])")
_QQ_CELL = re.compile(r"(?<![^\x1e])[ \t]*([1-9][0-9]{4,10})[ \t]*(?![^\x1e])")


class ColumnRoles:
    """What a sheet's header row says about its columns."""

    __slots__ = ("header", "order", "qq", "wechat")

    def __init__(self, header: list[str] | None):
        self.header = header
        self.wechat: set[int] = set()
        self.qq: set[int] = set()
        self.order: set[int] = set()
        for i, name in enumerate(header or ()):
            name = name.strip()
            if not name or _PERSONAL_HEADER.search(name):
                continue
            if _WECHAT_HEADER.search(name):
                self.wechat.add(i)
            elif _QQ_HEADER.search(name):
                self.qq.add(i)
            elif _ORDER_HEADER.search(name):
                self.order.add(i)

    def __bool__(self) -> bool:
        return bool(self.wechat or self.qq or self.order)


class Scanned(NamedTuple):
    """A block with its hits (sorted by row, column, start) and the sheet's column roles."""

    block: Block
    hits: list[Hit]
    roles: ColumnRoles


def _join(rows: list[list[str]]) -> tuple[str, list[int]]:
    """The block as one text, and the offset of the row separator after each row."""
    parts = [_US.join(r) for r in rows]
    joined = _RS.join(parts)
    # separators expected: one between rows, one between cells (an empty row has none)
    expected = len(rows) - 1 + sum(map(len, rows)) - len(rows) + rows.count([])
    if joined.count(_US) + joined.count(_RS) != expected:  # a cell holds a separator itself
        parts = [_US.join(c.replace(_US, " ").replace(_RS, " ") for c in r) for r in rows]
        joined = _RS.join(parts)
    return joined, list(map(add, accumulate(map(len, parts)), count()))


def _locate(joined: str, bounds: list[int], spans: list[tuple[int, int, str]]) -> list[Hit]:
    """Map spans in the joined block to (row index, column, start, end, type) within the cell."""
    out = []
    append = out.append
    find_row = bisect_right
    count_, rfind = joined.count, joined.rfind
    for s, e, kind in spans:
        r = find_row(bounds, s)
        row_start = bounds[r - 1] + 1 if r else 0
        col = count_(_US, row_start, s)
        base = rfind(_US, row_start, s) + 1 if col else row_start
        append((r, col, s - base, e - base, kind))
    return out


def _column_hits(rows: list[list[str]], col: int, pattern: re.Pattern, kind: str) -> list[Hit]:
    """Cells of one column that hold nothing but a value of ``kind``."""
    text = _RS.join([r[col] if len(r) > col else "" for r in rows])
    if text.count(_RS) != len(rows) - 1:
        text = _RS.join([r[col].replace(_RS, " ") if len(r) > col else "" for r in rows])
    out = []
    row_i, last = 0, 0
    for m in pattern.finditer(text):
        s = m.start(1)
        row_i += text.count(_RS, last, s)
        last = s
        base = text.rfind(_RS, 0, s) + 1
        out.append((row_i, col, s - base, m.end(1) - base, kind))
    return out


def _apply_roles(rows: list[list[str]], hits: list[Hit], roles: ColumnRoles,
                 want: frozenset[str]) -> list[Hit]:
    """Drop digit hits under order-number headers; add bare values under 微信/QQ headers."""
    if roles.order:
        order = roles.order
        hits = [h for h in hits if not (h[1] in order and h[4] in DIGIT_TYPES)]
    jobs = [(cols, kind, pattern) for cols, kind, pattern in
            ((roles.qq, "qq", _QQ_CELL), (roles.wechat, "wechat", _WECHAT_CELL))
            if cols and kind in want]
    if not jobs:
        return hits
    role_cols = roles.qq | roles.wechat
    taken = {(h[0], h[1]): n for n, h in enumerate(hits) if h[1] in role_cols}
    extra: list[Hit] = []
    for cols, kind, pattern in jobs:
        for col in cols:
            for hit in _column_hits(rows, col, pattern, kind):
                n = taken.get((hit[0], col))
                if n is None:
                    extra.append(hit)
                elif kind == "qq" and hits[n][4] == "mobile":
                    hits[n] = hit  # 11 digits under "QQ" are a QQ number
    if extra:
        hits = sorted(hits + extra)
    return hits


def _scan(rows: list[list[str]], roles: ColumnRoles, want: frozenset[str], today: date) -> list[Hit]:
    joined, bounds = _join(rows)
    hits = _locate(joined, bounds, find_spans(joined, want, today))
    return _apply_roles(rows, hits, roles, want) if roles else hits


def scan_blocks(blocks: Iterable[Block], want: frozenset[str] = frozenset(TYPES), *,
                header: bool = True, today: date | None = None) -> Iterator[Scanned]:
    """Scan every block, in order. With ``header`` the first row of each sheet names the columns.

    A header row that itself holds personal data is treated as data (no column roles); a clean
    header row comes back as a block of its own with no hits.
    """
    today = today or date.today()
    sheet: str | None = None
    roles = ColumnRoles(None)
    for block in blocks:
        if block.sheet != sheet:
            sheet = block.sheet
            roles = ColumnRoles(None)
            if header and block.rows:
                top = block.rows[:1]
                if not _scan(top, roles, want, today):
                    roles = ColumnRoles(block.rows[0])
                    yield Scanned(Block(block.sheet, block.first, top), [], roles)
                    block = Block(block.sheet, block.first + 1, block.rows[1:])
                    if not block.rows:
                        continue
        yield Scanned(block, _scan(block.rows, roles, want, today), roles)


def cell_hits(hits: list[Hit]) -> dict[int, dict[int, list[CellHit]]]:
    """Group a block's hits by row index, then column."""
    by_row: dict[int, dict[int, list[CellHit]]] = {}
    for r, c, s, e, kind in hits:
        by_row.setdefault(r, {}).setdefault(c, []).append((s, e, kind))
    return by_row
