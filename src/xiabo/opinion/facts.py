"""What the opinion store tells the roadmap: which days have comments, how many in all.

Why so little: the plan's opinion-monitoring task is done only when monitoring ran through the
transition period (from the last live, ``common.fans.transition_days``), which the roadmap
decides from the days with data; the report itself stays in ``xiabo opinion report``. Cheap:
two indexed queries, no model, no rules. ``plan_facts`` reads the CLI's file beside a profile,
``store_facts`` a web case's rows in the main database.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from .store import DB_NAME

__all__ = ["plan_facts", "store_facts"]


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


_STORE_CACHE: dict[tuple, tuple] = {}
_STORE_TTL = 30.0   # another web process's import shows within this (this process's at once)


def store_facts(engine, case_id: int, directory: str | Path,
                stamp: tuple | None = None) -> dict | None:
    """The same facts for a web case, from the main database; None when it has no messages.

    Cached per case until one of its imports changes (an import row is written with every
    ingest) or its messages appear (an old case folder's file copied in); ``stamp`` is that
    (newest import id, messages added, any message) when the caller read it with the case
    (``store.satellites``). ``directory`` is only named in the facts (the CLI's
    ``--dir`` wording).
    """
    from time import monotonic

    from sqlalchemy import select

    from ..store.opinion import stamp_columns
    from .dbstore import CaseStore

    store = CaseStore(engine, case_id)
    key = (str(engine.url), case_id)
    hit = _STORE_CACHE.get(key)
    now = monotonic()
    with store.reading() as conn:   # one connection for the stamp and, when needed, the days
        stamp = tuple(stamp if stamp is not None
                      else conn.execute(select(*stamp_columns(case_id))).one())
        if hit is not None and hit[0] == stamp and now - hit[1] < _STORE_TTL:
            return hit[2]
        volumes = store.day_volumes()
    found = None
    if volumes:
        days = frozenset(d for d, _ in volumes)
        found = {"dir": str(Path(directory)), "messages": sum(n for _, n in volumes),
                 "first": min(days), "last": max(days), "days": days}
    if len(_STORE_CACHE) > 4096:
        _STORE_CACHE.clear()
    _STORE_CACHE[key] = (stamp, now, found)
    return found


def forget(engine, case_id: int) -> None:
    """Drop the cached facts of a case (after its old file was copied into the store)."""
    _STORE_CACHE.pop((str(engine.url), case_id), None)
