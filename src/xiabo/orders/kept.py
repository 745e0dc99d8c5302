"""The order export the web's orders page keeps in a case folder, and what it kept beside it.

``<case folder>/orders/export.<xlsx|csv>`` with ``export.json`` beside it (its original name,
when it came, and the columns the user named, like ``xiabo orders check --map``). The plan reads
it through ``xiabo.cases`` (the shop's earliest closing day).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["KEPT_NAME", "KEPT_META", "kept_export", "kept_meta", "kept_meta_path",
           "kept_mapping"]

KEPT_NAME = "export"
KEPT_META = "export.json"


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
