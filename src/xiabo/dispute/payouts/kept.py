"""The last reconciliation of a case, kept beside it (``<case folder>/payouts/last.json``), so
the dispute exposure and the case page can read the shortfall without the statements again.

Written by the web page and the API after each reconciliation; read by :func:`kept_shortfall`.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

__all__ = ["LAST", "kept_result", "kept_shortfall", "keep_result"]

LAST = "last.json"


def keep_result(folder: Path, data: dict) -> Path:
    """Write the reconciliation's JSON (``Reconciliation.to_dict``) atomically into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LAST
    tmp = folder / f".{LAST}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)
    return path


def kept_result(folder: Path) -> dict | None:
    """The kept JSON, or None when there is none or it does not read."""
    try:
        data = json.loads((Path(folder) / LAST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("schema") == "xiabo.payouts/1" else None


def kept_shortfall(folder: Path) -> Decimal | None:
    """The kept shortfall total (what the exposure's ``payout_shortfall`` takes), or None."""
    data = kept_result(folder)
    try:
        return Decimal(str(data["shortfall_total"])) if data else None
    except (KeyError, InvalidOperation):
        return None
