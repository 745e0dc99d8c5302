"""Which sibling features are installed: pages link to a feature only when it is importable.

Checked at request time (cheap: ``find_spec`` plus the attribute the page calls), so a feature
that lands while the server runs shows up without a restart of the code that links to it.
"""

from __future__ import annotations

import importlib
import time
from importlib.util import find_spec

__all__ = ["EXPORT_KINDS", "features", "has"]

# export kind -> (function name in xiabo.export, file suffix, media type)
EXPORT_KINDS = {
    "ics": ("ics", "ics", "text/calendar; charset=utf-8"),
    "xlsx": ("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("pdf", "pdf", "application/pdf"),
    "docx": ("docx", "docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}

_CHECKS = {
    "export": ("xiabo.export", None),
    "evidence": ("xiabo.evidence.add", "add_evidence"),
    "evidence_keys": ("xiabo.evidence.keys", "create_log"),
    "backup": ("xiabo.backup", "status"),
    "tax": ("xiabo.money.tax", None),
    "compare": ("xiabo.rules.compare", "comparison_tables"),
}


def has(name: str) -> bool:
    module, attr = _CHECKS[name]
    try:
        if find_spec(module) is None:
            return False
    except (ModuleNotFoundError, ValueError):
        return False
    if attr is None:
        return True
    try:
        return hasattr(importlib.import_module(module), attr)
    except Exception:  # noqa: BLE001 - a boundary: report, never crash
        return False


def export_kinds() -> list[str]:
    """The export formats ``xiabo.export`` actually provides."""
    if not has("export"):
        return []
    try:
        mod = importlib.import_module("xiabo.export")
    except Exception:  # noqa: BLE001 - a boundary: report, never crash
        return []
    formats = getattr(mod, "FORMATS", tuple(EXPORT_KINDS))
    out = [kind for kind, (fn, _, _) in EXPORT_KINDS.items()
           if kind in formats and callable(getattr(mod, fn, None))]
    return out


_CACHE: tuple[float, dict] | None = None


def features() -> dict:
    """{exports: [...], evidence, backup, tax, compare}; re-checked every few seconds."""
    global _CACHE
    now = time.monotonic()
    if _CACHE is not None and now - _CACHE[0] < 5:
        return _CACHE[1]
    evidence = has("evidence") and has("evidence_keys")
    found = {"exports": export_kinds(), "evidence": evidence, "backup": has("backup"),
            "tax": has("tax"), "compare": has("compare")}
    _CACHE = (now, found)
    return found
