"""An opinion import that commits in chunks: every few thousand new messages, with their
keyword counts, in one short write transaction.

Why: a 150k-row file imported in one transaction held the database's write lock for most of a
minute, and every other case's writes waited or failed. In chunks, other writers get a turn
between chunks. Each chunk is whole (messages and their counts together), and a message already
stored is never added or counted again, so an import run again after its worker died continues
where the last commit left it: nothing lost, nothing doubled. The import row is created once
(``on_file`` lets the caller remember its id for a resumed run) and its ``added`` is counted
from the rows that carry its id. A file is checked whole first (``opinion.ingest.check_file``)
so a bad row is refused before the first chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, update

from ..opinion.backend import MessageRow, TermCounts
from ..store.opinion import OpinionImport, OpinionMessage
from .opinion_store import _LOCK_SPACE, CaseStore, add_term_counts

__all__ = ["ChunkedStore"]

CHUNK = 5000  # new messages per transaction


class ChunkedStore(CaseStore):
    """``CaseStore`` whose ``transaction()`` commits every ``chunk`` new messages."""

    def __init__(self, engine, case_id: int, *, file_id: int | None = None,
                 chunk: int | None = None, on_file: Callable[[int], None] | None = None,
                 on_commit: Callable[[int], None] | None = None):
        super().__init__(engine, case_id)
        self.file_id, self.chunk = file_id, chunk or CHUNK
        self.on_file, self.on_commit = on_file, on_commit
        self._rows: list[MessageRow] = []
        self._hashes: set[bytes] = set()
        self._pending: TermCounts = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield
        self.flush()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._write.begin() as conn:
            if self.dialect == "postgresql":  # imports into this case queue (see CaseStore)
                conn.execute(select(func.pg_advisory_xact_lock(_LOCK_SPACE, self.case_id)))
            self._tx = conn
            try:
                yield
            finally:
                self._tx = None

    def existing(self, hashes: list[bytes]) -> set[bytes]:
        return super().existing(hashes) | self._hashes.intersection(hashes)

    def add_file(self, name: str, sha256: str, ingested: str) -> int:
        if self.file_id is None:
            with self._writing():
                self.file_id = super().add_file(name, sha256, ingested)
            if self.on_file is not None:
                self.on_file(self.file_id)
        return self.file_id

    def finish_file(self, file_id: int, rows: int, added: int) -> None:
        """``added`` counted from the stored rows: a resumed run saw its earlier chunks as
        already stored."""
        self.flush()
        with self._writing():
            stored = self._tx.execute(select(func.count()).select_from(OpinionMessage)
                                      .where(OpinionMessage.import_id == file_id)).scalar_one()
            self._tx.execute(update(OpinionImport).where(OpinionImport.id == file_id)
                             .values(rows=rows, added=int(stored)))

    def insert(self, messages: Iterable[MessageRow], terms: TermCounts) -> None:
        batch = list(messages)
        self._rows.extend(batch)
        self._hashes.update(row[0] for row in batch)
        add_term_counts(self._pending, terms)
        if len(self._rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        """Commit the messages and counts gathered so far, together."""
        if not self._rows and not self._pending:
            return
        rows, terms = self._rows, self._pending
        with self._writing():
            CaseStore.insert(self, rows, {})
            self._write_terms(terms)
        self._rows, self._hashes, self._pending = [], set(), {}
        if self.on_commit is not None:
            self.on_commit(len(rows))
