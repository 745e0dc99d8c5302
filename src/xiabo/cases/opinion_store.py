"""A web case's opinion store: its rows in the main database (SQLite or PostgreSQL).

Why a second implementation of ``OpinionBackend`` rather than the CLI's file: the web's data
must live in the database an agency runs and backs up. The SQL is SQLAlchemy Core over the
tables of ``xiabo.store.opinion`` and answers exactly what the CLI's SQLite file answers (the
same rows in, the same aggregates out; a test compares them). Writers on one case queue: a
file's ingest is one transaction that holds an advisory lock on the case (PostgreSQL) or the
write lock (SQLite's ``BEGIN IMMEDIATE``), because "which messages are new" and the keyword counts added
for them must not race another import of the same case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import case as when
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from ..opinion.backend import MessageRow, TermCounts
from ..store.models import utcnow
from ..store.opinion import OpinionImport, OpinionMessage, OpinionTerm

__all__ = ["CaseStore", "store_facts"]

M, T = OpinionMessage, OpinionTerm
_CHUNK = 900          # hashes per IN (...) question
_BATCH = 5000         # rows per INSERT round
_LOCK_SPACE = 0x0914  # PostgreSQL advisory locks of opinion imports: (this, case id)


def add_term_counts(pending: dict, terms: TermCounts) -> None:
    """Sum a batch's keyword counts (messages, negative ones) into ``pending``."""
    for key, (n, neg) in terms.items():
        counts = pending.get(key)
        if counts is None:
            pending[key] = [n, neg]
        else:
            counts[0] += n
            counts[1] += neg


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


class CaseStore:
    """The opinion rows of one case in the database behind ``engine``."""

    def __init__(self, engine, case_id: int):
        self.case_id = case_id
        self.dialect = engine.dialect.name
        self._read = engine.execution_options(xiabo_write=False)
        self._write = engine.execution_options(xiabo_write=True)
        self._tx = None
        self._terms: TermCounts = {}
        # PostgreSQL sorts text by its locale; "C" sorts by code point like SQLite does
        self._term_order = T.term.collate("C") if self.dialect == "postgresql" else T.term

    def __enter__(self) -> CaseStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to close: connections come from the engine's pool per question."""

    @contextmanager
    def _conn(self) -> Iterator:
        if self._tx is not None:
            yield self._tx
        else:
            with self._read.connect() as conn:
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """One read connection for several questions (the case page asks two in a row)."""
        if self._tx is not None:
            yield self._tx
            return
        with self._read.connect() as conn:
            self._tx = conn
            try:
                yield conn
            finally:
                self._tx = None

    def _all(self, stmt) -> list:
        with self._conn() as conn:
            return list(conn.execute(stmt))

    def _one(self, stmt):
        with self._conn() as conn:
            return conn.execute(stmt).one()

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (a file's ingest): all of it is kept, or none."""
        with self._write.begin() as conn:
            if self.dialect == "postgresql":
                # imports into this case queue; the case row stays free for other edits
                conn.execute(select(func.pg_advisory_xact_lock(_LOCK_SPACE, self.case_id)))
            self._tx, self._terms = conn, {}
            try:
                yield
                self._write_terms(self._terms)
            finally:
                self._tx, self._terms = None, {}

    def existing(self, hashes: list[bytes]) -> set[bytes]:
        found: set[bytes] = set()
        for i in range(0, len(hashes), _CHUNK):
            chunk = hashes[i:i + _CHUNK]
            # by hash alone, so only the primary key (hash, case_id) serves it: with the case in
            # the condition, PostgreSQL (whose statistics miss the rows this transaction added)
            # scanned the case's rows once per block and ingest turned quadratic
            found.update(bytes(h) for h, c in self._all(
                select(M.hash, M.case_id).where(M.hash.in_(chunk))) if c == self.case_id)
        return found

    def add_file(self, name: str, sha256: str, ingested: str) -> int:
        """An import row (the case page lists it); ``ingested`` is the CLI's local stamp, the
        store keeps UTC like every other table."""
        with self._conn() as conn:
            result = conn.execute(OpinionImport.__table__.insert().values(
                case_id=self.case_id, name=name[:200], sha256=sha256, rows=0, added=0,
                imported_at=utcnow()))
            return int(result.inserted_primary_key[0])

    def finish_file(self, file_id: int, rows: int, added: int) -> None:
        with self._conn() as conn:
            conn.execute(update(OpinionImport).where(OpinionImport.id == file_id)
                         .values(rows=rows, added=added))

    def insert(self, messages: Iterable[MessageRow], terms: TermCounts) -> None:
        """Insert new messages (tuples in the ingest's column order), add their term counts."""
        insert = _insert(self.dialect)
        days: dict[str, date] = {}
        cid = self.case_id

        def day(text: str) -> date:
            found = days.get(text)
            if found is None:
                found = days[text] = date.fromisoformat(text)
            return found

        rows = [{"case_id": cid, "hash": h, "ts": ts, "day": day(d), "hour": hr, "source": src,
                 "author": au, "text": tx, "likes": lk, "replies": rp, "sentiment": se,
                 "score": sc, "import_id": fid}
                for h, ts, d, hr, src, au, tx, lk, rp, se, sc, fid in messages]
        add_messages = insert(M.__table__).on_conflict_do_nothing(index_elements=["case_id",
                                                                                  "hash"])
        with self._conn() as conn:
            for i in range(0, len(rows), _BATCH):
                conn.execute(add_messages, rows[i:i + _BATCH])
        if self._tx is None:
            self._write_terms(terms)
            return
        # inside a transaction the counts are summed here and written once at its end: on
        # PostgreSQL, updating the same row block after block in one transaction leaves a
        # chain of row versions every later update walks (100,000 messages took minutes)
        add_term_counts(self._terms, terms)

    def _write_terms(self, terms: TermCounts) -> None:
        if not terms:
            return
        insert = _insert(self.dialect)
        days: dict[str, date] = {}
        counts = [{"case_id": self.case_id, "day": days.get(d) or days.setdefault(
                   d, date.fromisoformat(d)), "term": term, "n": c[0], "neg": c[1]}
                  for (d, term), c in terms.items()]
        stmt = insert(T.__table__)
        add_terms = stmt.on_conflict_do_update(
            index_elements=["case_id", "day", "term"],
            set_={"n": T.__table__.c.n + stmt.excluded.n,
                  "neg": T.__table__.c.neg + stmt.excluded.neg})
        with self._conn() as conn:
            for i in range(0, len(counts), _BATCH):
                conn.execute(add_terms, counts[i:i + _BATCH])

    # -- reading -------------------------------------------------------------------------------

    def _mine(self, model=M):
        return model.case_id == self.case_id

    def span(self) -> tuple[date, date] | None:
        first, last = self._one(select(func.min(M.day), func.max(M.day)).where(self._mine()))
        return None if first is None else (first, last)

    def count(self) -> int:
        return int(self._one(select(func.count()).select_from(M).where(self._mine()))[0])

    def day_counts(self, since: date, until: date) -> list[tuple[date, int, int]]:
        return [(d, int(s), int(n)) for d, s, n in self._all(
            select(M.day, M.sentiment, func.count())
            .where(self._mine(), M.day.between(since, until)).group_by(M.day, M.sentiment))]

    def hour_counts(self, since: date, until: date) -> list[tuple[date, int, int, int]]:
        return [(d, int(h), int(s), int(n)) for d, h, s, n in self._all(
            select(M.day, M.hour, M.sentiment, func.count())
            .where(self._mine(), M.day.between(since, until))
            .group_by(M.day, M.hour, M.sentiment))]

    def days(self, since: date | None = None, until: date | None = None) -> set[date]:
        stmt = select(M.day).where(self._mine()).distinct()
        if since is not None:
            stmt = stmt.where(M.day >= since)
        if until is not None:
            stmt = stmt.where(M.day <= until)
        return {r[0] for r in self._all(stmt)}

    def day_volumes(self) -> list[tuple[date, int]]:
        """(day, messages) for every day with data: what the plan needs, one indexed pass."""
        return [(d, int(n)) for d, n in self._all(
            select(M.day, func.count()).where(self._mine()).group_by(M.day))]

    def term_totals(self, since: date, until: date, limit: int,
                    negative: bool = False) -> list[tuple[str, int, int]]:
        n, neg = func.sum(T.n), func.sum(T.neg)
        order = neg if negative else n
        return [(t, int(a), int(b)) for t, a, b in self._all(
            select(T.term, n, neg).where(self._mine(T), T.day.between(since, until))
            .group_by(T.term).having(order > 0).order_by(order.desc(), self._term_order)
            .limit(limit))]

    def term_split(self, since: date, until: date, recent_start: date,
                   min_recent: int) -> list[tuple[str, int, int, int]]:
        recent = func.sum(when((T.day >= recent_start, T.n), else_=0))
        before = func.sum(when((T.day < recent_start, T.n), else_=0))
        neg = func.sum(when((T.day >= recent_start, T.neg), else_=0))
        return [(t, int(a), int(b), int(c)) for t, a, b, c in self._all(
            select(T.term, recent, before, neg).where(self._mine(T), T.day.between(since, until))
            .group_by(T.term).having(recent >= min_recent)
            .order_by(recent.desc(), self._term_order))]

    def top_negative(self, since: date, until: date, by: str,
                     limit: int) -> list[tuple[date, str, str, str, int, int]]:
        query = select(M.day, M.source, M.author, M.text, M.likes, M.replies).where(
            self._mine(), M.sentiment == -1, M.day.between(since, until))
        if by == "time":
            query = query.order_by(M.ts, M.hash)
        else:
            column = {"likes": M.likes, "replies": M.replies}[by]
            query = query.where(column > 0).order_by(column.desc(), M.ts, M.hash)
        return [(d, s, a, t, int(lk), int(rp)) for d, s, a, t, lk, rp in self._all(
            query.limit(limit))]


def store_facts(engine, case_id: int, directory: str | Path) -> dict | None:
    """What ``opinion.facts.plan_facts`` says of a CLI file, for a web case's rows in the main
    database: {"dir", "messages", "first", "last", "days"}, or None when it has no messages.
    (Cached by the caller, ``xiabo.cases``' opinion source, on the case's opinion stamp.)
    ``directory`` is only named in the facts (the CLI's ``--dir`` wording)."""
    volumes = CaseStore(engine, case_id).day_volumes()
    if not volumes:
        return None
    days = frozenset(d for d, _ in volumes)
    return {"dir": str(Path(directory)), "messages": sum(n for _, n in volumes),
            "first": min(days), "last": max(days), "days": days}
