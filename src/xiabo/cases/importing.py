"""Batch import of streamers from .xlsx/.csv: one row → one profile → one case.

Headers are question ids (``name``, ``platform``, ``contract.agency`` …) or the question texts
in Chinese or English. Bad rows are reported by row number with the field and the fix; good
rows are created. The file is checked before it is parsed (size, zip expansion, row count).

Outside the web so that the ``cases-import`` job (``xiabo.jobs.imports``) runs the same code:
``check_header`` is what a request does before it queues the file, ``prepare_row`` turns one
row into a profile or its problems, ``create_chunk`` stores a chunk of profiles in one
transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import UserError
from ..i18n import t

__all__ = ["ImportReport", "RowResult", "check_header", "create_chunk", "prepare_row",
           "read_table", "row_dict"]

MAX_UNZIPPED = 50 * 1024 * 1024
LOG = logging.getLogger("xiabo.web")


@dataclass
class RowResult:
    row: int
    ok: bool
    case_id: int | None = None
    name: str | None = None
    problems: list[tuple[str, str, str | None]] = field(default_factory=list)  # field, msg, fix


@dataclass
class ImportReport:
    rows: list[RowResult]

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if not r.ok)

    def to_dict(self) -> dict:
        return {"created": self.created, "failed": self.failed,
                "rows": [row_dict(r) for r in self.rows]}

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        """The report a ``cases-import`` job left as its result."""
        return cls([RowResult(row=r["row"], ok=r["ok"], case_id=r.get("case_id"),
                              name=r.get("name"),
                              problems=[(p["field"], p["message"], p.get("fix"))
                                        for p in r.get("problems") or []])
                    for r in data.get("rows") or []])


def row_dict(r: RowResult) -> dict:
    return {"row": r.row, "ok": r.ok, "case_id": r.case_id, "name": r.name,
            "problems": [{"field": f, "message": m, "fix": x} for f, m, x in r.problems]}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 2000 or sum(i.file_size for i in infos) > MAX_UNZIPPED:
                raise UserError("web.import.too_big_unzipped", fix_key="web.import.fix_smaller")
    except zipfile.BadZipFile:
        raise UserError("web.import.bad_xlsx", fix_key="web.import.fix_format") from None
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a boundary: report, never crash
        raise UserError("web.import.bad_xlsx", fix_key="web.import.fix_format") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # cells actually present, never the declared A1:XFD1048576
        for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield n, [_cell(v) for v in row]
    finally:
        wb.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UserError("web.import.bad_encoding", fix_key="web.import.fix_format")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        for n, row in enumerate(reader, start=1):
            yield n, [_cell(v) for v in row]
    except csv.Error as exc:  # a cell over 128 KB, a stray quote: the user's file, not a 500
        from ..tabular import csv_failure

        raise csv_failure(exc, "CSV", reader.line_num) from None


def read_table(filename: str, data: bytes,
               max_rows: int) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(row number, cells)]) from an uploaded .xlsx or .csv."""
    lower = (filename or "").lower()
    if lower.endswith(".xlsx") or data[:2] == b"PK":
        from ..sheet_shape import scan_workbook

        scan_workbook(filename or "-", data=data)  # a 3 M-cell row is refused before openpyxl
        rows = _xlsx_rows(data)
    elif lower.endswith((".csv", ".txt", ".tsv")) or not lower:
        rows = _csv_rows(data)
    else:
        raise UserError("web.import.bad_type", {"name": filename}, fix_key="web.import.fix_format")
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for n, cells in rows:
        if header is None:
            if any(cells):
                header = cells
            continue
        if not any(cells):
            continue
        body.append((n, cells))
        if len(body) > max_rows:
            raise UserError("web.import.too_many_rows", {"n": max_rows},
                            fix_key="web.import.fix_split")
    if header is None:
        raise UserError("web.import.empty", fix_key="web.import.fix_format")
    return header, body


def _header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    from ..interview.questions import load_questions

    lookup: dict[str, str] = {}
    for q in load_questions():
        lookup[q.id.lower()] = q.id
        for text in (q.prompt or {}).values():
            lookup[str(text).strip().lower()] = q.id
    mapping, unknown = {}, []
    for i, name in enumerate(header):
        key = (name or "").strip().lower()
        if not key:
            continue
        if key in lookup:
            mapping[i] = lookup[key]
        else:
            unknown.append(name)
    return mapping, unknown


class _RowForm(dict):
    def getlist(self, key):
        value = self.get(key)
        return [] if value in (None, "") else [value]


def check_header(filename: str, data: bytes,
                 max_rows: int) -> tuple[dict[int, str], list[tuple[int, list[str]]]]:
    """(column → question id, rows) of an uploaded table, or UserError (a bad file, encoding,
    too many rows, no ``name``/``platform`` column): what a request checks before it queues
    the import. Reading only, no row parsed or planned."""
    header, body = read_table(filename, data, max_rows)
    mapping, unknown = _header_map(header)
    if "name" not in mapping.values() or "platform" not in mapping.values():
        raise UserError("web.import.missing_columns", {"unknown": ", ".join(unknown) or "-"},
                        fix_key="web.import.fix_columns")
    return mapping, body


def prepare_row(db, n: int, cells: list[str], mapping: dict[int, str], *, book, lang: str,
                today: date, operator_id: int | None, source: str):
    """One row: (its result, the filled case ready to store) or (the result with its
    problems, None). Parsing and planning only; nothing is written."""
    from ..interview.form import error_in_place, parse_form
    from . import stored

    form = _RowForm()
    for i, qid in mapping.items():
        if i < len(cells) and cells[i] != "":
            form[qid] = cells[i]
    if form.get("shop.open_orders") and "_has_shop" not in form:
        form["_has_shop"] = "true"
    if "equipment" in form:
        names = [p.strip() for p in form.pop("equipment").replace("；", ";").split(";")]
        for j, name in enumerate(p for p in names if p):
            form[f"equipment.{j}.name"] = name
    result = RowResult(row=n, ok=False, name=_printable(form.get("name")))
    dirty = [qid for qid, value in form.items() if _CONTROL.search(str(value))]
    if dirty:  # a NUL or another control character: refused, never stored or echoed
        result.problems = [(qid, t("security.import.control_chars", lang, field=qid),
                            t("security.import.control_chars_fix", lang)) for qid in dirty]
        return result, None
    _, profile, errors = parse_form(form, book, lang, today)
    if errors:
        result.problems = [(qid, msg, fix) for qid, (msg, fix) in errors.items()]
        return result, None
    try:
        ready = stored.prepare_case(db, profile, today=today, operator_id=operator_id,
                                    source=source)
    except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
        err = _row_error(exc)
        qid, (msg, fix) = error_in_place(err, lang)
        result.problems = [(err.field or qid or "-", msg, fix)]
        return result, None
    return result, ready


def create_chunk(db, chunk: list[tuple[RowResult, Any]], *, actor, lang: str,
                 record: Callable[[Any, int], None]) -> None:
    """Store the ready rows of ``chunk`` in one transaction and mark their results made;
    ``record(session, n)`` runs last in that transaction (the job's note that ``n`` more rows
    are done), so the rows and the note commit or fail together. If the store refuses the
    transaction, each row is tried alone: a row it refuses is that row's problem (a read-only
    store or a full disk stops the import: ``_row_error``). Any other exception propagates."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..interview.form import error_in_place
    from ..store.cases import insert_cases

    ready = [(result, case) for result, case in chunk if case is not None]

    def also(session) -> None:
        for result, (case, _, _) in ready:
            result.ok, result.case_id, result.name = True, case.id, case.name
        record(session, len(chunk))

    try:
        insert_cases(db, [case for _, case in ready], actor=actor, also=also)
        return
    except SQLAlchemyError as exc:
        for result, _ in ready:
            result.ok, result.case_id = False, None
        if len(chunk) > 1:
            for one in chunk:
                create_chunk(db, [one], actor=actor, lang=lang, record=record)
            return
        if not ready:
            raise  # only the job's note failed: nothing of this row to blame
        err = _row_error(exc)  # raises for a store that cannot take writes at all
    qid, (msg, fix) = error_in_place(err, lang)
    chunk[0][0].problems = [(err.field or qid or "-", msg, fix)]
    insert_cases(db, [], actor=actor, also=lambda session: record(session, 1))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _printable(value: Any) -> str | None:
    """A cell as it may be shown back (control characters and lone surrogates removed)."""
    return None if value is None else _CONTROL.sub("", str(value))[:200]


def _row_error(exc: Exception) -> UserError:
    """The per-row message for a failure while creating one row's case.

    A read-only store or a full disk stops the whole import (the 503 page says what to do);
    a duplicate (IntegrityError) or a bad value is that row's problem and the import goes on.
    """
    from ..store.failures import ServiceUnavailable, classify

    found = classify(exc)
    if isinstance(found, ServiceUnavailable):
        raise found from None
    if found is not None:
        return found
    if isinstance(exc, (ValueError, ArithmeticError, RecursionError)):
        return UserError("security.invalid.value", {"field": "-"},
                         fix_key="security.invalid.fix")
    LOG.exception("import row failed")
    return UserError("security.ops.internal", fix_key="security.ops.internal_fix")
