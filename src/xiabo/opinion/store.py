"""The case's opinion store: one SQLite file (WAL) in the directory the user names.

Why SQLite and these tables: a million comments must report in seconds, so every figure of the
report is an aggregate SQLite computes from an index (``messages(day, sentiment)``), and keyword
counts are kept per day in ``terms`` as messages arrive (tokenising a million texts at report
time would take minutes). A message's key is a hash of its source, time, author and text, so
ingesting the same export twice adds nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from ..errors import UserError

__all__ = ["DB_NAME", "SCHEMA_VERSION", "OpinionStore", "open_store"]

DB_NAME = "opinion.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    hash      BLOB PRIMARY KEY,
    ts        INTEGER NOT NULL,          -- seconds since the epoch
    day       TEXT NOT NULL,             -- YYYY-MM-DD, Asia/Shanghai
    hour      INTEGER NOT NULL,          -- 0..23, Asia/Shanghai
    source    TEXT NOT NULL,             -- comment | danmaku | weibo
    author    TEXT NOT NULL DEFAULT '',
    text      TEXT NOT NULL,
    likes     INTEGER NOT NULL DEFAULT 0,
    replies   INTEGER NOT NULL DEFAULT 0,
    sentiment INTEGER NOT NULL,          -- -1 negative, 0 neutral, 1 positive
    score     REAL NOT NULL,
    file_id   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_day ON messages(day, sentiment);
CREATE INDEX IF NOT EXISTS messages_day_hour ON messages(day, hour, sentiment);
CREATE INDEX IF NOT EXISTS messages_neg_likes ON messages(likes DESC, ts) WHERE sentiment = -1;
CREATE INDEX IF NOT EXISTS messages_neg_replies ON messages(replies DESC, ts) WHERE sentiment = -1;
CREATE TABLE IF NOT EXISTS terms (
    day  TEXT NOT NULL,
    term TEXT NOT NULL,
    n    INTEGER NOT NULL,
    neg  INTEGER NOT NULL,
    PRIMARY KEY (day, term)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    added     INTEGER NOT NULL,
    ingested  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class OpinionStore:
    """A connection to one case's opinion store; use as a context manager."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    def __enter__(self) -> OpinionStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- writing -------------------------------------------------------------------------------

    def existing(self, hashes: list[bytes]) -> set[bytes]:
        """Which of ``hashes`` are stored already (asked in chunks SQLite accepts)."""
        found: set[bytes] = set()
        for i in range(0, len(hashes), 900):
            chunk = hashes[i:i + 900]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.conn.execute(
                f"SELECT hash FROM messages WHERE hash IN ({marks})", chunk))
        return found

    def add_file(self, name: str, sha256: str, ingested: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO files(name, sha256, rows, added, ingested) VALUES (?, ?, 0, 0, ?)",
            (name, sha256, ingested))
        return int(cur.lastrowid)

    def finish_file(self, file_id: int, rows: int, added: int) -> None:
        self.conn.execute("UPDATE files SET rows = ?, added = ? WHERE id = ?", (rows, added, file_id))

    def insert(self, messages: Iterable[tuple], terms: dict[tuple[str, str], list[int]]) -> None:
        """Insert new messages (tuples in column order) and add their term counts."""
        self.conn.executemany(
            "INSERT OR IGNORE INTO messages(hash, ts, day, hour, source, author, text, likes,"
            " replies, sentiment, score, file_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", messages)
        self.conn.executemany(
            "INSERT INTO terms(day, term, n, neg) VALUES (?,?,?,?) ON CONFLICT(day, term)"
            " DO UPDATE SET n = n + excluded.n, neg = neg + excluded.neg",
            [(d, t, c[0], c[1]) for (d, t), c in terms.items()])

    # -- reading -------------------------------------------------------------------------------

    def span(self) -> tuple[date, date] | None:
        """First and last day with a message, or None for an empty store."""
        first = self.conn.execute("SELECT MIN(day) FROM messages").fetchone()[0]
        if first is None:
            return None
        last = self.conn.execute("SELECT MAX(day) FROM messages").fetchone()[0]
        return date.fromisoformat(first), date.fromisoformat(last)

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0])

    def files(self) -> list[tuple[str, int, int, str]]:
        return list(self.conn.execute("SELECT name, rows, added, ingested FROM files ORDER BY id"))


def open_store(directory: str | Path, *, create: bool = True) -> OpinionStore:
    """Open (and create) the store in ``directory``; a UserError when it cannot be used."""
    directory = Path(directory)
    path = directory / DB_NAME
    if not create and not path.is_file():
        raise UserError("opinion.err.no_store", {"dir": str(directory)}, file=str(directory),
                        fix_key="opinion.fix.no_store")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(_SCHEMA)
        conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema', ?)",
                     (str(SCHEMA_VERSION),))
    except (sqlite3.DatabaseError, OSError) as exc:
        raise UserError("opinion.err.store_broken", {"path": str(path), "error": str(exc)},
                        file=str(path), fix_key="opinion.fix.store_broken") from None
    return OpinionStore(path, conn)
