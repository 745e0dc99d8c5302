"""The CLI's opinion store: one SQLite file (WAL) in the directory the user names.

Why SQLite and these tables: a million comments must report in seconds, so every figure of the
report is an aggregate SQLite computes from an index (``messages(day, sentiment)``), and keyword
counts are kept per day in ``terms`` as messages arrive (tokenising a million texts at report
time would take minutes). A message's key is a hash of its source, time, author and text, so
ingesting the same export twice adds nothing.

The web keeps the same data in the main database (``xiabo.cases.opinion_store``); both classes offer
the methods of ``xiabo.opinion.backend.OpinionBackend`` and the analysis only calls those.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (a file's ingest): all of it is kept, or none."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

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

    def day_counts(self, since: date, until: date) -> list[tuple[date, int, int]]:
        """(day, sentiment, messages) for the days from ``since`` to ``until``."""
        return [(date.fromisoformat(d), s, n) for d, s, n in self.conn.execute(
            "SELECT day, sentiment, COUNT(*) FROM messages WHERE day BETWEEN ? AND ?"
            " GROUP BY day, sentiment", (since.isoformat(), until.isoformat()))]

    def hour_counts(self, since: date, until: date) -> list[tuple[date, int, int, int]]:
        """(day, hour, sentiment, messages) for the days from ``since`` to ``until``."""
        return [(date.fromisoformat(d), h, s, n) for d, h, s, n in self.conn.execute(
            "SELECT day, hour, sentiment, COUNT(*) FROM messages WHERE day BETWEEN ? AND ?"
            " GROUP BY day, hour, sentiment", (since.isoformat(), until.isoformat()))]

    def days(self, since: date | None = None, until: date | None = None) -> set[date]:
        """The days with at least one message (within ``since``..``until`` when given)."""
        lo, hi = (since or date.min).isoformat(), (until or date.max).isoformat()
        return {date.fromisoformat(r[0]) for r in self.conn.execute(
            "SELECT DISTINCT day FROM messages WHERE day BETWEEN ? AND ?", (lo, hi))}

    def term_totals(self, since: date, until: date, limit: int,
                    negative: bool = False) -> list[tuple[str, int, int]]:
        """(term, messages, negative messages), most frequent first (ties by term)."""
        order = "SUM(neg)" if negative else "SUM(n)"
        return [(t, int(n), int(neg)) for t, n, neg in self.conn.execute(
            f"SELECT term, SUM(n), SUM(neg) FROM terms WHERE day BETWEEN ? AND ? GROUP BY term"
            f" HAVING {order} > 0 ORDER BY {order} DESC, term LIMIT ?",
            (since.isoformat(), until.isoformat(), limit))]

    def term_split(self, since: date, until: date, recent_start: date,
                   min_recent: int) -> list[tuple[str, int, int, int]]:
        """(term, count from ``recent_start``, count before it, negative from it) for terms
        counted at least ``min_recent`` times recently, most frequent first (ties by term)."""
        r = recent_start.isoformat()
        return [(t, int(a), int(b), int(neg)) for t, a, b, neg in self.conn.execute(
            "SELECT term, SUM(CASE WHEN day >= ? THEN n ELSE 0 END) AS r,"
            " SUM(CASE WHEN day < ? THEN n ELSE 0 END) AS b,"
            " SUM(CASE WHEN day >= ? THEN neg ELSE 0 END)"
            " FROM terms WHERE day BETWEEN ? AND ? GROUP BY term HAVING r >= ?"
            " ORDER BY r DESC, term", (r, r, r, since.isoformat(), until.isoformat(), min_recent))]

    def top_negative(self, since: date, until: date, by: str,
                     limit: int) -> list[tuple[date, str, str, str, int, int]]:
        """(day, source, author, text, likes, replies) of the negative messages with the most
        ``by`` (likes or replies), ties by time then key."""
        if by == "time":   # the first ones (exports without likes: 弹幕)
            return [(date.fromisoformat(d), *rest) for d, *rest in self.conn.execute(
                "SELECT day, source, author, text, likes, replies FROM messages"
                " WHERE day BETWEEN ? AND ? AND sentiment = -1 ORDER BY ts, hash LIMIT ?",
                (since.isoformat(), until.isoformat(), limit))]
        column = {"likes": "likes", "replies": "replies"}[by]
        # over a long range, walking the (likes DESC) index of negatives and stopping after
        # ``limit`` rows beats sorting every negative message of the range ('+day': no day index)
        day = "+day" if (until - since).days >= 7 else "day"
        return [(date.fromisoformat(d), *rest) for d, *rest in self.conn.execute(
            f"SELECT day, source, author, text, likes, replies FROM messages"
            f" WHERE {day} BETWEEN ? AND ? AND sentiment = -1 AND {column} > 0"
            f" ORDER BY {column} DESC, ts, hash LIMIT ?",
            (since.isoformat(), until.isoformat(), limit))]


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
