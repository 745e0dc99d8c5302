"""The order export the web's orders page keeps in a case folder, and what it kept beside it.

``<case folder>/orders/export.<xlsx|csv>`` with ``export.json`` beside it (its original name,
when it came, and the columns the user named, like ``xiabo orders check --map``). The plan reads
it through ``xiabo.cases`` (the shop's earliest closing day).

``.export-checked.json`` beside them is the report of the check that kept the file (the orders job
writes it): on a later day the earliest closing day follows from it exactly, without reading
the whole export again (:func:`earliest_close_on`), so no page view re-reads a large export.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

__all__ = ["CHECKED_NAME", "KEPT_NAME", "KEPT_META", "earliest_close_on", "kept_export",
           "kept_meta", "kept_meta_path", "kept_mapping", "last_check"]

KEPT_NAME = "export"
KEPT_META = "export.json"
CHECKED_NAME = ".export-checked.json"  # the report of the check that kept the export


def kept_export(case: str) -> Path | None:
    """The order export kept in the case's folder, if any."""
    from ..paths import case_dir

    folder = case_dir(case) / "orders"
    for suffix in (".xlsx", ".csv"):
        path = folder / f"{KEPT_NAME}{suffix}"
        if path.is_file():
            return path
    return None


def kept_meta_path(export: Path) -> Path:
    return export.parent / KEPT_META


def kept_meta(export: Path) -> dict:
    try:
        meta = json.loads(kept_meta_path(export).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def kept_mapping(export: Path) -> dict[str, str] | None:
    """The columns the user named ({header text: field}), or None."""
    columns = kept_meta(export).get("columns")
    if not isinstance(columns, dict):
        return None
    return {str(k): str(v) for k, v in columns.items()} or None


def last_check(export: Path) -> dict | None:
    """The report (``jobs.orders.snapshot``) of the check that kept ``export``, if the file is
    unchanged since; None otherwise."""
    try:
        data = json.loads((export.parent / CHECKED_NAME).read_text("utf-8"))
        stat = export.stat()
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or \
            data.get("file") != [export.name, stat.st_size, stat.st_mtime_ns]:
        return None
    report = data.get("report")
    return report if isinstance(report, dict) and report.get("today") else None


def earliest_close_on(report: dict, today: date) -> tuple[date, date | None] | None:
    """(earliest closing day, last open return window's end) on ``today`` from the ``report``
    of a check of the same file on an earlier (or the same) day; None when it cannot follow
    exactly (an earlier ``today``, or the return or notice rule's value changed since).

    Exact because the file is the same: an order in its return window on ``today`` was in it
    on the check's day with the same end (``today <= end``), so the last end stands while it
    has not passed; the notice counts from ``today``; no date the check accepted can be
    refused later."""
    from .check import _read_rules

    try:
        day = date.fromisoformat(report["today"])
        last = date.fromisoformat(report["last_window_end"]) if report["last_window_end"] \
            else None
        kept_rules = (int(report["return_days"]), int(report["notice_days"]))
    except (KeyError, TypeError, ValueError):
        return None
    if today < day or _read_rules(today, None) != kept_rules:
        return None
    last = last if last is not None and last >= today else None
    notice_end = today + timedelta(days=kept_rules[1])
    return (max(notice_end, last) if last else notice_end), last
