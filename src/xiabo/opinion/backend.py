"""What the ingest and the analysis need from an opinion store, whichever holds the messages.

Why an interface: the CLI keeps a case's messages in one SQLite file beside the profile
(``xiabo.opinion.store``), the web keeps every case's messages in the main database, SQLite or
PostgreSQL (``xiabo.cases.opinion_store``). Both hold the same rows (a message per content hash,
keyword counts per day) and answer the same aggregate questions, so one ingest and one report
serve both. Days are ``date`` values; sentiments are -1, 0, 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date
from typing import Protocol

__all__ = ["MessageRow", "OpinionBackend", "TermCounts"]

# (hash, ts, day 'YYYY-MM-DD', hour, source, author, text, likes, replies, sentiment, score,
#  file id) — the order the ingest builds rows in
MessageRow = tuple
# (day 'YYYY-MM-DD', term) -> [messages containing it, negative ones]
TermCounts = dict[tuple[str, str], list[int]]


class OpinionBackend(Protocol):
    # writing (inside ``transaction()``)
    def transaction(self) -> AbstractContextManager[None]: ...
    def existing(self, hashes: list[bytes]) -> set[bytes]: ...
    def add_file(self, name: str, sha256: str, ingested: str) -> int: ...
    def finish_file(self, file_id: int, rows: int, added: int) -> None: ...
    def insert(self, messages: Iterable[MessageRow], terms: TermCounts) -> None: ...

    # reading
    def span(self) -> tuple[date, date] | None: ...
    def count(self) -> int: ...
    def day_counts(self, since: date, until: date) -> list[tuple[date, int, int]]: ...
    def hour_counts(self, since: date, until: date) -> list[tuple[date, int, int, int]]: ...
    def days(self, since: date | None = None, until: date | None = None) -> set[date]: ...
    def term_totals(self, since: date, until: date, limit: int,
                    negative: bool = False) -> list[tuple[str, int, int]]: ...
    def term_split(self, since: date, until: date, recent_start: date,
                   min_recent: int) -> list[tuple[str, int, int, int]]: ...
    def top_negative(self, since: date, until: date, by: str,
                     limit: int) -> list[tuple[date, str, str, str, int, int]]: ...
    # by: likes | replies (those with at least one, most first) | time (the first ones)
