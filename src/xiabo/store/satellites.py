"""A case with what hangs off it, in one statement: how many letters it has and where its
opinion data stands.

Why: the case page shows the letters and plans with the opinion data's days, and most cases
have neither; asking each separately cost two or three more round trips on every view (issue
12: case page p95 ≤ 100 ms at 10,000 cases). The counts ride on the loaded case (like the
engine it came from, see ``store.opinion``) and are read back with ``satellites(case)``; a case
loaded any other way has none, and its readers ask the database as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class

from .db import Database
from .disputes import DisputeDoc
from .letters import LetterRow
from .models import Case, CaseDoc
from .opinion import ENGINE_KEY as _ENGINE_KEY
from .opinion import stamp_columns

__all__ = ["CaseSatellites", "load_with_satellites", "satellites"]

_KEY = "_xiabo_satellites"


@dataclass(frozen=True)
class CaseSatellites:
    letters: int
    letters_changed: object  # the newest change to any of them (a letter's step moves it)
    # (newest import id, messages added) and any message: ``store.opinion.stamp_columns``
    opinion_stamp: tuple[int | None, int | None]
    opinion_rows: bool
    # the dispute's row, if any: (the agency is the counter-party, a profile was filled in)
    dispute: tuple[bool, bool] | None = None

    @property
    def opinion_key(self) -> tuple:
        """What ``xiabo.cases`` (the opinion source) compares to decide its cached days are current."""
        return (*self.opinion_stamp, self.opinion_rows)

    @property
    def no_opinion(self) -> bool:
        return self.opinion_stamp == (None, None) and not self.opinion_rows


def _statement():
    """Built once (with the case id as a parameter): building and keying it was a visible part
    of every case page. Table columns, not entities: the case is built from the row below."""
    cases, docs = Case.__table__, CaseDoc.__table__
    letters = (select(func.count()).select_from(LetterRow)
               .where(LetterRow.case_id == cases.c.id).scalar_subquery())
    changed = (select(func.max(LetterRow.updated_at))
               .where(LetterRow.case_id == cases.c.id).scalar_subquery())
    marked = (select(DisputeDoc.counterparty)
              .where(DisputeDoc.case_id == cases.c.id).scalar_subquery())
    # two comparisons, not NOT IN (...): an IN list is re-expanded into the SQL on every run
    filled = (select(and_(DisputeDoc.profile_json != "{}", DisputeDoc.profile_json != ""))
              .where(DisputeDoc.case_id == cases.c.id).scalar_subquery())
    # the stored plan is not read: pages re-plan from the profile (as ``CaseDoc.plan_json``)
    return (select(cases, docs.c.profile_json, docs.c.baseline_json, letters, changed,
                   *stamp_columns(cases.c.id), marked, filled)
            .join(docs, docs.c.case_id == cases.c.id)
            .where(cases.c.id == bindparam("case_id")))


_STATEMENT = _statement()
_CASE_COLUMNS = tuple(column.key for column in Case.__table__.columns)
_CASES, _DOCS = manager_of_class(Case), manager_of_class(CaseDoc)


def load_with_satellites(db: Database, case_id: int) -> Case | None:
    """The case (its documents joined) with its satellites attached, or None.

    One statement on a plain connection outside a transaction (``Database.single_read``), the
    case built from its row as if a session had loaded it and closed (detached, nothing
    pending): the ORM's session and row machinery were half of this read's time on every case
    page, and PostgreSQL's BEGIN and ROLLBACK two of its three round trips (bench/web.py)."""
    with db.single_read() as conn:
        row = conn.execute(_STATEMENT, {"case_id": case_id}).first()
    if row is None:
        return None
    n = len(_CASE_COLUMNS)
    profile_json, baseline_json, letters, changed, newest, added, rows, marked, filled = row[n:]
    # the values go in as loaded values, as a query's loading puts them (the constructors'
    # attribute events cost four times as much), then both are detached with nothing pending
    doc = _DOCS.new_instance()
    doc.__dict__.update(case_id=case_id, profile_json=profile_json, baseline_json=baseline_json)
    make_transient_to_detached(doc)
    case = _CASES.new_instance()
    case.__dict__.update(zip(_CASE_COLUMNS, row[:n]), doc=doc)
    make_transient_to_detached(case)
    case.__dict__[_ENGINE_KEY] = db.engine  # as a session's load would (``case_engine``)
    dispute = None if marked is None else (bool(marked), bool(filled))
    case.__dict__[_KEY] = CaseSatellites(int(letters or 0), changed, (newest, added), bool(rows),
                                         dispute)
    return case


def satellites(case: Case) -> CaseSatellites | None:
    """What was loaded with ``case`` by ``load_with_satellites`` (None for any other load)."""
    return case.__dict__.get(_KEY)
