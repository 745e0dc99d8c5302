"""A stored case's letters as the letters toolkit sees them: ``DbStore`` offers the interface
:mod:`xiabo.letters.service` uses (new_id, load, save, all, write_doc, read_doc, doc_path, step)
over the store's ``letters`` and ``letter_docs`` rows. Documents are spooled to a temporary
folder only when the evidence log needs them as files.

Here, not in the store: it joins the store's tables with the toolkit's Letter (the store knows
no toolkit).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, select

from ..errors import UserError
from ..store.letters import LetterDoc, LetterRow
from ..store.models import utcnow

__all__ = ["DbStore", "bulk_follow_up"]

_ALL_RECORDS = (select(LetterRow.record_json).where(LetterRow.case_id == bindparam("case_id"))
                .order_by(LetterRow.id))


class DbStore:
    """Letters of one case in the database; use as a context manager (spool cleanup)."""

    def __init__(self, db, case_id: int):
        self.db, self.case_id = db, case_id
        self._pending: dict[tuple[str, str], tuple[str, bytes]] = {}
        self._spool: Path | None = None
        self._session = None  # the write transaction of the step under way

    def __enter__(self) -> DbStore:
        return self

    def __exit__(self, *exc) -> None:
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)
            self._spool = None

    @contextmanager
    def step(self, letter_id: str | None) -> Iterator:
        """One step in one write transaction holding the letter's row (or, for a new draft,
        the case's row, so two drafts get two ids); ``save`` writes into it."""
        from ..letters.model import Letter
        from ..store.models import Case

        with self.db.write() as s:
            if letter_id is None:
                s.execute(select(Case.id).where(Case.id == self.case_id)
                          .with_for_update(key_share=True))  # FOR NO KEY UPDATE
                held = None
            else:
                text = s.scalar(select(LetterRow.record_json).where(
                    LetterRow.case_id == self.case_id,
                    LetterRow.letter_id == str(letter_id)[:40]).with_for_update())
                if text is None:
                    raise UserError("letters.err.unknown_id", {"id": letter_id, "dir": "-"},
                                    field="ID", fix_key="letters.fix.unknown_id")
                held = Letter.from_dict(json.loads(text), f"letters/{letter_id}")
            self._session = s
            try:
                yield held
            finally:
                self._session = None
                self._pending.clear()

    def new_id(self, kind: str) -> str:
        from ..letters.store import ID_RE

        with self._session_or(self.db.read) as s:
            ids = s.scalars(select(LetterRow.letter_id).where(
                LetterRow.case_id == self.case_id, LetterRow.kind == kind)).all()
        taken = [int(m.group(2)) for i in ids if (m := ID_RE.match(i))]
        return f"{kind}-{max(taken, default=0) + 1}"

    def load(self, letter_id: str):
        from ..letters.model import Letter

        with self.db.read() as s:
            text = s.scalar(select(LetterRow.record_json).where(
                LetterRow.case_id == self.case_id, LetterRow.letter_id == str(letter_id)[:40]))
        if text is None:
            raise UserError("letters.err.unknown_id", {"id": letter_id, "dir": "-"},
                            field="ID", fix_key="letters.fix.unknown_id")
        return Letter.from_dict(json.loads(text), f"letters/{letter_id}")

    def all(self) -> list:
        from ..letters.model import Letter

        # a plain connection, not an ORM session: the case page asks this on every view
        with self.db.engine.connect() as conn:
            rows = conn.execute(_ALL_RECORDS, {"case_id": self.case_id}).scalars().all()
        return [Letter.from_dict(json.loads(r)) for r in rows]

    @contextmanager
    def _session_or(self, begin):
        """The step's transaction when one is under way, else a new one from ``begin``."""
        if self._session is not None:
            yield self._session
        else:
            with begin() as s:
                yield s

    def save(self, letter) -> None:
        record = json.dumps(letter.to_dict(), ensure_ascii=False)
        with self._session_or(self.db.write) as s:
            row = s.scalar(select(LetterRow).where(LetterRow.case_id == self.case_id,
                                                   LetterRow.letter_id == letter.id))
            if row is None:
                row = LetterRow(case_id=self.case_id, letter_id=letter.id, kind=letter.kind)
                s.add(row)
            row.state, row.sent_on, row.due = letter.state, letter.sent_on, letter.due
            row.record_json, row.updated_at = record, utcnow()
            for (lid, name), (role, data) in self._pending.items():
                doc = s.get(LetterDoc, (self.case_id, lid, name))
                if doc is None:
                    s.add(LetterDoc(case_id=self.case_id, letter_id=lid, name=name, role=role,
                                    data=data))
                else:
                    doc.role, doc.data = role, data
            s.flush()
        self._pending.clear()

    def write_doc(self, letter, name: str, data: bytes, role: str) -> dict:
        self._pending[(letter.id, name)] = (role, data)
        entry = {"name": name, "role": role, "sha256": hashlib.sha256(data).hexdigest()}
        letter.documents = [d for d in letter.documents if d["name"] != name] + [entry]
        return entry

    def read_doc(self, letter, name: str) -> bytes:
        pending = self._pending.get((letter.id, name))
        if pending is not None:
            return pending[1]
        with self._session_or(self.db.read) as s:
            doc = s.get(LetterDoc, (self.case_id, letter.id, name))
        if doc is None:
            raise UserError("letters.err.file_missing", {"file": name},
                            fix_key="letters.fix.file_missing")
        return doc.data

    def doc_path(self, letter, name: str) -> Path:
        """The document as a file (spooled): the evidence log copies files in."""
        if self._spool is None:
            self._spool = Path(tempfile.mkdtemp(prefix="xiabo-letters-"))
        path = self._spool / letter.id / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.read_doc(letter, name))
        return path


class _Spool:
    """A write-only store for the bulk action: documents collected, written in one go."""

    def __init__(self, case_id: int):
        self.case_id = case_id
        self.docs: list[tuple[str, str, str, bytes]] = []

    def write_doc(self, letter, name: str, data: bytes, role: str) -> dict:
        self.docs.append((letter.id, name, role, data))
        entry = {"name": name, "role": role, "sha256": hashlib.sha256(data).hexdigest()}
        letter.documents = [d for d in letter.documents if d["name"] != name] + [entry]
        return entry

    def save(self, letter) -> None:  # written by bulk_follow_up's one transaction
        pass


def bulk_follow_up(db, actor, case_ids: list[int], today: date, draft) -> list[int]:
    """Run ``draft(store, letter, profile_json)`` on every letter of the visible ``case_ids``
    that waits for a follow-up on ``today``, reading and writing in one transaction each.
    Returns the case id of every letter drafted (a case once per letter)."""
    from sqlalchemy import update

    from ..letters.model import Letter
    from ..store.actors import visible_condition
    from ..store.models import Case, CaseDoc

    if not case_ids:
        return []
    with db.read() as s:
        rows = s.execute(
            select(LetterRow.id, LetterRow.case_id, LetterRow.record_json, CaseDoc.profile_json)
            .join(Case, Case.id == LetterRow.case_id).join(CaseDoc, CaseDoc.case_id == Case.id)
            .where(LetterRow.case_id.in_(case_ids), LetterRow.state.in_(("sent",)),
                   LetterRow.due < today, visible_condition(actor))).all()
    done = []
    for row_id, case_id, record, profile_json in rows:
        letter = Letter.from_dict(json.loads(record))
        if letter.next_step(today) != "followup":
            continue
        spool = _Spool(case_id)
        draft(spool, letter, profile_json)
        done.append((row_id, case_id, record, letter, spool.docs))
    if not done:
        return []
    now = utcnow()
    with db.write() as s:
        # compare and set: a letter a single step changed since it was read is left alone
        current = dict(s.execute(select(LetterRow.id, LetterRow.record_json)
                                 .where(LetterRow.id.in_([d[0] for d in done]))
                                 .with_for_update()).all())
        done = [d for d in done if current.get(d[0]) == d[2]]
        if not done:
            return []
        s.execute(update(LetterRow), [
            {"id": row_id, "state": letter.state, "due": letter.due, "updated_at": now,
             "record_json": json.dumps(letter.to_dict(), ensure_ascii=False)}
            for row_id, _, _, letter, _ in done])
        s.add_all([LetterDoc(case_id=case_id, letter_id=lid, name=name, role=role, data=data)
                   for _, case_id, _, _, docs in done for lid, name, role, data in docs])
    return [case_id for _, case_id, _, _, _ in done]
