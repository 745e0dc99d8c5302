"""Write the problem orders as a CSV a seller opens in Excel (UTF-8 with BOM).

Long order numbers are written as ="2405…" so Excel keeps every digit instead of showing
2.40519E+18, and any other cell starting with = + - @ gets a leading apostrophe so a hostile
export cannot smuggle a formula into the seller's spreadsheet.
"""

from __future__ import annotations

import csv
import os
import tempfile
from contextlib import suppress
from pathlib import Path

from ..errors import UserError
from ..i18n import t
from .check import PROBLEMS, Order, OrdersReport

__all__ = ["excel_safe", "write_problems_csv"]

_COLUMNS = ("order_id", "problems", "status", "ordered_at", "shipped_at", "received_at",
            "window_end", "after_sale", "amount", "source")


def excel_safe(value: str, *, number_like_id: bool = False) -> str:
    """A cell Excel shows as written and never evaluates."""
    if number_like_id and value.isdigit() and len(value) > 11:
        return f'="{value}"'
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        try:
            float(value)
            return value  # a plain negative number
        except ValueError:
            return "'" + value
    return value


def _row(order: Order, lang: str) -> list[str]:
    problems = "；" if lang == "zh" else "; "
    source = f"{order.sheet}!{order.row}" if order.sheet else str(order.row)
    return [
        excel_safe(order.order_id, number_like_id=True),
        problems.join(t(f"orders.problem.{p}", lang) for p in order.problems),
        excel_safe(order.status),
        order.ordered_at.isoformat() if order.ordered_at else "",
        order.shipped_at.isoformat() if order.shipped_at else "",
        order.received_at.isoformat() if order.received_at else "",
        order.window_end.isoformat() if order.window_end and "return_window" in order.problems else "",
        excel_safe(order.after_sale),
        "" if order.amount is None else f"{order.amount:.2f}",
        source,
    ]


def write_problems_csv(report: OrdersReport, out: str | Path, lang: str = "zh") -> int:
    """Write the problem orders (most urgent first) to ``out``; returns how many rows."""
    out = Path(out)
    if Path(report.file).resolve() == out.resolve():
        raise UserError("orders.out_is_input", {"path": str(out)}, file=str(out),
                        fix_key="orders.fix_out_is_input")
    if not out.parent.is_dir():
        raise UserError("orders.no_dir", {"path": str(out.parent)}, file=str(out),
                        fix_key="orders.fix_no_dir")
    rank = {p: i for i, p in enumerate(PROBLEMS)}
    orders = sorted(report.problem_orders, key=lambda o: (rank[o.problems[0]], o.sheet, o.row))
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([t(f"orders.csv.{c}", lang) for c in _COLUMNS])
            for order in orders:
                writer.writerow(_row(order, lang))
        os.replace(name, out)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return len(orders)
