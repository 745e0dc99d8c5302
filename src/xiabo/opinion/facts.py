"""What the opinion store tells the roadmap: which days have comments, how many in all.

Why so little: the plan's opinion-monitoring task is done only when monitoring ran through the
transition period (from the last live, ``common.fans.transition_days``), which the roadmap
decides from the days with data; the report itself stays in ``xiabo opinion report``. Cheap:
two indexed queries, no model, no rules. ``plan_facts`` reads the CLI's file beside a profile
(a web case's rows in the main database: ``xiabo.cases.opinion_store.store_facts``).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from .store import DB_NAME

__all__ = ["plan_facts"]


_CACHE: dict[tuple, dict | None] = {}


def _stamp(path: Path) -> tuple:
    """Changes whenever the store does (the WAL file takes the writes before a checkpoint)."""
    out = []
    for p in (path, path.with_name(path.name + "-wal")):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def plan_facts(directory: str | Path) -> dict | None:
    """{"dir", "messages", "first", "last", "days"} for the store in ``directory``, or None."""
    path = Path(directory) / DB_NAME
    if not path.is_file():
        return None
    key = (str(path), _stamp(path))
    if key in _CACHE:
        return _CACHE[key]
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = found = _read(path, directory)
    return found


def _read(path: Path, directory: str | Path) -> dict | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        try:
            days = frozenset(date.fromisoformat(r[0]) for r in
                             conn.execute("SELECT DISTINCT day FROM messages"))
            count = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, ValueError):
        return None
    if not days:
        return None
    return {"dir": str(Path(directory)), "messages": int(count), "first": min(days),
            "last": max(days), "days": days}
