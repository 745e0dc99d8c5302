"""Web cases from before the store kept opinion data: their case-folder file, copied in once.

Why on first read and not in the migration: the migration cannot reach the case folders (they
live under the data directory of whichever machine runs the web, and a migration of a big
database should not read thousands of side files). The web calls ``adopt`` before it reads or
writes a case's opinion data. It is idempotent: it copies only into a case with no messages in
the store yet, inside the same write transaction that checks that, so two requests at once copy
once. The old file stays where it was (nothing reads or writes it afterwards; it can be deleted).
"""

from __future__ import annotations

from pathlib import Path

from ..opinion.store import DB_NAME, open_store
from ..store.opinion import OpinionImport
from .opinion_store import CaseStore

__all__ = ["adopt"]

_BATCH = 20_000
_COLUMNS = "hash, ts, day, hour, source, author, text, likes, replies, sentiment, score, file_id"


def adopt(engine, case_id: int, folder: str | Path) -> int:
    """Copy the case folder's opinion file into the store if the store has nothing for the
    case yet; returns the messages copied (0 when there was nothing to do)."""
    path = Path(folder) / DB_NAME
    if not path.is_file():
        return 0
    target = CaseStore(engine, case_id)
    if target.count():
        return 0
    from sqlalchemy import select

    copied = 0
    with open_store(folder, create=False) as old, target.transaction():
        if target.count():
            return 0                                  # another request was first
        with target._conn() as conn:
            known = {sha: i for i, sha in conn.execute(
                select(OpinionImport.id, OpinionImport.sha256)
                .where(OpinionImport.case_id == case_id).order_by(OpinionImport.id.desc()))}
        # the file's own list of imports -> the store's import rows (the web recorded both,
        # with the same content hash); messages of an unknown file keep no import
        files = {fid: known.get(sha) for fid, sha in old.conn.execute(
            "SELECT id, sha256 FROM files")}
        cursor = old.conn.execute(f"SELECT {_COLUMNS} FROM messages")
        while batch := cursor.fetchmany(_BATCH):
            target.insert([(bytes(r[0]), *r[1:11], files.get(r[11])) for r in batch], {})
            copied += len(batch)
        terms = {(d, t): [n, neg] for d, t, n, neg in old.conn.execute(
            "SELECT day, term, n, neg FROM terms")}
        target.insert([], terms)
    return copied  # the case's opinion stamp moved: its facts are read again
