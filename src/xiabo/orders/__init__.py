"""Shop orders before closing: unshipped orders, 7-day return windows, after-sales, the date.

``check(path, today)`` reads an xlsx/csv order export and returns an ``OrdersReport`` whose
``earliest_close`` the roadmap's shop-closing task uses.
"""

from .check import PROBLEMS, Order, OrdersReport, check
from .columns import FIELDS, parse_mapping

__all__ = [
    "FIELDS",
    "PROBLEMS",
    "Order",
    "OrdersReport",
    "check",
    "parse_mapping",
    "write_problems_csv",
]


def __getattr__(name: str):
    if name == "write_problems_csv":
        from .output import write_problems_csv

        return write_problems_csv
    raise AttributeError(name)
