"""Read comment, 弹幕 and Weibo exports into the opinion store, once each.

Why this shape: files come through the project's one safe reader (``xiabo.tabular``: encodings,
zip bombs, row caps), in blocks, so a 100k-row export never becomes 100k row objects. Each
message gets a content hash (source, second, author, normalised text): the same export twice, or
two overlapping exports, add each message once. A file is one transaction: if it fails half-way,
nothing of it is kept. A time outside the input window (``common.input.message_years_back`` and
``message_years_ahead``, around the day of the import) refuses the whole file, naming the row and
the column: a year-1 date once went in and broke every report after it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from ..errors import UserError
from ..tabular import open_table, read_blocks
from .backend import OpinionBackend
from .columns import ROLES, column_index, map_columns, parse_count, parse_time, source_of
from .sentiment import Scorer
from .text import content_terms, normalise

__all__ = ["IngestResult", "check_file", "file_sha256", "ingest_file", "parse_map"]

_REQUIRED = ("text", "time")
_TERM_MAX = 64
_FIELD_NAMES = {"text": "评论内容 / content", "time": "评论时间 / time"}  # column names to use


@dataclass
class IngestResult:
    """What one file gave: rows read, messages added, and rows left out (with why)."""

    file: str
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    empty: int = 0
    bad_time: int = 0
    bad_time_example: tuple[int, str] | None = None   # (row number, cell) of the first bad time
    by_label: dict[int, int] = field(default_factory=lambda: {-1: 0, 0: 0, 1: 0})

    def to_dict(self) -> dict:
        return {"file": self.file, "rows": self.rows, "added": self.added,
                "duplicates": self.duplicates, "empty": self.empty, "bad_time": self.bad_time,
                "negative": self.by_label[-1], "neutral": self.by_label[0],
                "positive": self.by_label[1]}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=65536)
def _terms(tokens: tuple[str, ...]) -> frozenset[str]:
    # a keyword is at most _TERM_MAX characters (a run of letters can be one long "word")
    return frozenset(t[:_TERM_MAX] for t in content_terms(list(tokens)))


def _out_of_window(sheet: _Sheet, row: int, value: str) -> UserError:
    earliest, end = sheet.window
    return UserError("opinion.err.time_out_of_window",
                     {"path": str(sheet.path), "row": row, "column": sheet.time_name or "-",
                      "value": value, "earliest": earliest.date().isoformat(),
                      "latest": (end.date() - timedelta(days=1)).isoformat()},
                     file=str(sheet.path), field=sheet.time_name or None,
                     fix_key="opinion.fix.time_out_of_window")


def _shown(header: list[str]) -> str:
    return "、".join(f"「{h.strip()}」" for h in header if h.strip())[:300] or "-"


def _missing(path: Path, role: str, header: list[str]) -> UserError:
    """An unknown layout: the columns found and how to name the one that is missing."""
    return UserError(f"opinion.err.missing_{role}", {"path": str(path), "columns": _shown(header)},
                     file=str(path), field=_FIELD_NAMES[role],
                     fix_key="opinion.fix.missing_column")


# ``--map`` accepts the role in English or Chinese: text=弹幕 or 内容=弹幕
_ROLE_WORDS = {"text": "text", "内容": "text", "time": "time", "时间": "time", "likes": "likes",
               "点赞": "likes", "replies": "replies", "回复": "replies", "author": "author",
               "作者": "author", "source": "source", "来源": "source"}


def parse_map(values: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["text=弹幕内容", "time=发送时间,author=用户"]`` -> role -> column name; UserError if bad."""
    out: dict[str, str] = {}
    for value in values:
        for part in value.replace("，", ",").split(","):
            if not part.strip():
                continue
            role, sep, column = part.partition("=")
            role = _ROLE_WORDS.get(role.strip().lower())
            if not sep or role is None or not column.strip():
                raise UserError("opinion.err.bad_map", {"value": part.strip(),
                                "roles": ", ".join(ROLES)}, field="--map",
                                fix_key="opinion.fix.bad_map")
            out[role] = column.strip()
    return out


class _Sheet:
    """Column positions of the sheet being read."""

    def __init__(self, path: Path, header: list[str], default_source: str,
                 given: dict[str, str] | None = None):
        for name in (given or {}).values():
            if column_index(header, name) is None:
                raise UserError("opinion.err.map_unknown", {"path": str(path), "column": name,
                                "columns": _shown(header)}, file=str(path), field="--map",
                                fix_key="opinion.fix.map_unknown")
        cols = map_columns(header, given)
        for role in _REQUIRED:
            if role not in cols:
                raise _missing(path, role, header)
        self.text, self.time = cols["text"], cols["time"]
        self.likes, self.replies = cols.get("likes"), cols.get("replies")
        self.author, self.source = cols.get("author"), cols.get("source")
        self.default_source = default_source
        self.width = max(cols.values()) + 1
        self.path, self.time_name = path, header[self.time].strip()
        self.window: tuple[datetime, datetime] | None = None


def ingest_file(store: OpinionBackend, path: str | Path, scorer: Scorer | None = None,
                *, ingested_at: datetime | None = None, name: str | None = None,
                columns: dict[str, str] | None = None) -> IngestResult:
    """Add the messages of one export to ``store``; UserError if it cannot be read.

    ``name``: the name to record for the file (the web's upload name; default the file's).
    ``columns``: role -> column name for a layout the synonyms do not know (``--map``).
    """
    path = Path(path)
    info = open_table(path)
    if info.kind == "txt":
        raise UserError("opinion.err.not_a_table", {"path": str(path)}, file=str(path),
                        fix_key="opinion.fix.not_a_table")
    scorer = scorer or Scorer()
    result = IngestResult(str(path))
    default_source = source_of(path.name)
    ingested_at = ingested_at or datetime.now()
    window = time_window(ingested_at.date())
    with store.transaction():
        file_id = store.add_file(name or path.name, file_sha256(path),
                                 ingested_at.isoformat(timespec="seconds"))
        _read(store, info, path, scorer, result, file_id, default_source, window, columns)
        store.finish_file(file_id, result.rows, result.added)
        if result.rows and result.bad_time == result.rows - result.empty and not result.added:
            row, cell = result.bad_time_example or (0, "")
            raise UserError("opinion.err.no_times", {"path": str(path), "row": row, "value": cell},
                            file=str(path), field="time", fix_key="opinion.fix.no_times")
    return result


def time_window(on: date) -> tuple[datetime, datetime]:
    """The earliest and latest message time accepted on an import made ``on`` (rule data)."""
    from ..rules import load_rulebook
    from .columns import TZ

    book = load_rulebook()
    back = int(book.value("common.input.message_years_back", on))
    ahead = int(book.value("common.input.message_years_ahead", on))
    day = min(on.day, 28)  # the same day of the month in any year
    earliest = date(max(on.year - back, 1), on.month, day)
    latest = date(min(on.year + ahead, 9998), on.month, day)
    return (datetime.combine(earliest, datetime.min.time(), TZ),
            datetime.combine(latest + timedelta(days=1), datetime.min.time(), TZ))


def _read(store: OpinionBackend, info, path: Path, scorer: Scorer, result: IngestResult,
          file_id: int, default_source: str, window: tuple[datetime, datetime],
          columns: dict[str, str] | None = None) -> None:
    for sheet, rows, first in _sheets(info, path, default_source, window, columns):
        _add_rows(store, sheet, rows, first, scorer, result, file_id)


def _sheets(info, path: Path, default_source: str, window: tuple[datetime, datetime],
            columns: dict[str, str] | None = None):
    """(sheet, rows, first row number) per block of data rows; a sheet's first row is its
    header. UserError when no sheet has a usable header."""
    seen: set[str] = set()
    sheet: _Sheet | None = None
    first_error: UserError | None = None
    usable = False
    for block in read_blocks(info):
        rows, first = block.rows, block.first
        if block.sheet not in seen and rows:   # a sheet's first row is its header
            seen.add(block.sheet)
            sheet = None
            try:
                sheet = _Sheet(path, rows[0], default_source, columns)
                sheet.window = window
                usable = True
            except UserError as err:
                first_error = first_error or err
            rows, first = rows[1:], first + 1
        if sheet is not None and rows:
            yield sheet, rows, first
    if not usable:
        if first_error is not None:
            raise first_error
        raise UserError("opinion.err.empty_file", {"path": str(path)}, file=str(path),
                        fix_key="opinion.fix.not_a_table")


def check_file(path: str | Path, *, ingested_at: datetime | None = None,
               columns: dict[str, str] | None = None) -> int:
    """Read an export once without saving anything; raise the UserError ``ingest_file`` would
    raise part-way (a bad header, a time outside the window, no readable time at all). Why: an
    import that commits in chunks must refuse such a file before its first chunk. Its rows."""
    path = Path(path)
    info = open_table(path)
    if info.kind == "txt":
        raise UserError("opinion.err.not_a_table", {"path": str(path)}, file=str(path),
                        fix_key="opinion.fix.not_a_table")
    window = time_window((ingested_at or datetime.now()).date())
    total = empty = bad = 0
    example: tuple[int, str] | None = None
    for sheet, rows, first in _sheets(info, path, source_of(path.name), window, columns):
        ti, mi, width = sheet.text, sheet.time, sheet.width
        for offset, cells in enumerate(rows):
            total += 1
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if not cells[ti].strip():
                empty += 1
                continue
            moment = parse_time(cells[mi])
            if moment is None:
                bad += 1
                example = example or (first + offset, cells[mi][:40])
            elif not window[0] <= moment < window[1]:
                raise _out_of_window(sheet, first + offset, cells[mi][:40])
    if total and bad == total - empty:
        row, cell = example or (0, "")
        raise UserError("opinion.err.no_times", {"path": str(path), "row": row, "value": cell},
                        file=str(path), field="time", fix_key="opinion.fix.no_times")
    return total


def _add_rows(store: OpinionBackend, sheet: _Sheet, rows: list[list[str]], first: int,
              scorer: Scorer, result: IngestResult, file_id: int) -> None:
    batch: dict[bytes, tuple] = {}
    terms_of: dict[bytes, tuple[str, ...]] = {}
    score = scorer.score_normalised
    sha = hashlib.blake2b
    ti, mi, li, ri, ai, si = (sheet.text, sheet.time, sheet.likes, sheet.replies, sheet.author,
                              sheet.source)
    timed = []
    window = sheet.window
    for offset, cells in enumerate(rows):  # every time of the block is checked before scoring
        result.rows += 1
        if len(cells) < sheet.width:
            cells = cells + [""] * (sheet.width - len(cells))
        text = cells[ti].strip()
        if not text:
            result.empty += 1
            continue
        moment = parse_time(cells[mi])
        if moment is None:
            result.bad_time += 1
            if result.bad_time_example is None:
                result.bad_time_example = (first + offset, cells[mi][:40])
            continue
        if window and not window[0] <= moment < window[1]:
            raise _out_of_window(sheet, first + offset, cells[mi][:40])
        timed.append((cells, text, moment))
    for cells, text, moment in timed:
        norm = normalise(text)
        scored = score(norm)
        author = cells[ai].strip() if ai is not None else ""
        source = source_of(cells[si], sheet.default_source) if si is not None else \
            sheet.default_source
        ts = int(moment.timestamp())
        key = sha(f"{source}\x1f{ts}\x1f{author}\x1f{norm}".encode(), digest_size=16).digest()
        if key in batch:
            result.duplicates += 1
            continue
        batch[key] = (key, ts, moment.strftime("%Y-%m-%d"), moment.hour, source, author, text,
                      parse_count(cells[li]) if li is not None else 0,
                      parse_count(cells[ri]) if ri is not None else 0,
                      scored.label, round(scored.score, 3), file_id)
        terms_of[key] = scored.tokens
    if not batch:
        return
    old = store.existing(list(batch))
    result.duplicates += len(old)
    fresh = [row for key, row in batch.items() if key not in old]
    terms: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in fresh:
        day, neg = row[2], row[9] == -1
        result.by_label[row[9]] += 1
        for term in _terms(terms_of[row[0]]):
            counts = terms[(day, term)]
            counts[0] += 1
            counts[1] += neg
    store.insert(fresh, terms)
    result.added += len(fresh)
