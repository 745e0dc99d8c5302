"""A case with its letter count and opinion stamp in one statement (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, func, insert, select
from tests.helpers import base_profile

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store.letters import LetterRow
from xiabo.store.models import utcnow
from xiabo.store.opinion import OpinionMessage, record_import
from xiabo.store.satellites import load_with_satellites, satellites

LOCAL = repo.Actor()


def _statements(db):
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cur, statement, *a: seen.append(statement))
    return seen


def test_a_bare_case_has_no_letters_and_no_opinion(db, today):
    case = stored.create_case(db, base_profile(), today=today, actor=LOCAL)
    seen = _statements(db)
    loaded = load_with_satellites(db, case.id)
    assert sum(1 for s in seen if s.lstrip().upper().startswith("SELECT")) == 1
    known = satellites(loaded)
    assert known.letters == 0 and known.opinion_stamp == (None, None)
    assert known.no_opinion and not known.opinion_rows
    assert loaded.profile_json and loaded.baseline_json      # the documents came along
    assert satellites(repo.get_case(db, case.id)) is None   # any other load knows nothing
    assert load_with_satellites(db, case.id + 999) is None


def test_letters_and_imports_are_counted_per_case(db, today):
    a = stored.create_case(db, base_profile(name="甲"), today=today, actor=LOCAL)
    b = stored.create_case(db, base_profile(name="乙"), today=today, actor=LOCAL)
    with db.write() as s:
        for n in (1, 2):
            s.execute(insert(LetterRow), [{"case_id": a.id, "letter_id": f"termination-{n}",
                                           "kind": "termination", "state": "drafted",
                                           "record_json": "{}", "updated_at": utcnow()}])
    record_import(db, a.id, "评论.csv", "0" * 64, rows=10, added=7)
    record_import(db, a.id, "评论2.csv", "1" * 64, rows=5, added=3)
    known = satellites(load_with_satellites(db, a.id))
    assert known.letters == 2
    newest, added = known.opinion_stamp
    assert newest is not None and int(added) == 10 and not known.no_opinion
    other = satellites(load_with_satellites(db, b.id))
    assert other.letters == 0 and other.no_opinion


def test_messages_without_an_import_still_count_as_opinion_data(db, today):
    """An old case-folder file copied in may bring messages with no import row."""
    case = stored.create_case(db, base_profile(), today=today, actor=LOCAL)
    with db.write() as s:
        s.execute(insert(OpinionMessage), [{
            "hash": b"\x01" * 16, "case_id": case.id, "ts": 0, "day": date(2026, 11, 1),
            "hour": 12, "source": "comment", "author": "", "text": "好", "likes": 0,
            "replies": 0, "sentiment": 1, "score": 0.9, "import_id": None}])
    known = satellites(load_with_satellites(db, case.id))
    assert known.opinion_stamp == (None, None) and known.opinion_rows and not known.no_opinion


def test_the_plan_sees_the_same_opinion_days_either_way(db, today):
    from xiabo.cases import CaseRef, gather

    def opinion_facts(case):
        return gather(CaseRef.for_stored(case, db), None, today)["opinion"]

    case = stored.create_case(db, base_profile(), today=today, actor=LOCAL)
    with db.write() as s:
        s.execute(insert(OpinionMessage), [{
            "hash": bytes([i]) * 16, "case_id": case.id, "ts": 0, "day": date(2026, 11, i),
            "hour": 12, "source": "comment", "author": "", "text": "好", "likes": 0,
            "replies": 0, "sentiment": 1, "score": 0.9, "import_id": None}
            for i in (1, 2, 3)])
    with_sat = opinion_facts(load_with_satellites(db, case.id))
    plain = opinion_facts(repo.get_case(db, case.id))
    assert with_sat["messages"] == plain["messages"] == 3
    assert with_sat["days"] == plain["days"] == {date(2026, 11, i) for i in (1, 2, 3)}


def test_the_case_is_the_stored_row_detached_with_nothing_pending(db, today):
    """Built from one plain read, the case reads as a session's load would and is detached:
    kept in a later session it changes nothing, and it never becomes a new row."""
    from sqlalchemy import inspect

    from xiabo.store.models import Case
    from xiabo.store.opinion import case_engine

    case = stored.create_case(db, base_profile(), today=today, actor=LOCAL)
    loaded = load_with_satellites(db, case.id)
    orm = repo.get_case(db, case.id)
    for column in Case.__table__.columns:
        assert getattr(loaded, column.key) == getattr(orm, column.key), column.key
    assert (loaded.profile_json, loaded.baseline_json) == (orm.profile_json, orm.baseline_json)
    state = inspect(loaded)
    assert state.detached and not state.modified and inspect(loaded.doc).detached
    assert case_engine(loaded) is db.engine
    seen = _statements(db)
    with db.write() as s:
        s.add(loaded)  # a detached, unchanged case: nothing to write
    assert not [x for x in seen if x.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_the_load_is_one_statement_outside_a_transaction_and_reads_after_it_are_not(db, today):
    """No BEGIN and ROLLBACK around the case page's one statement; the pooled connection goes
    back to transactions for the next reader."""
    case = stored.create_case(db, base_profile(), today=today, actor=LOCAL)
    in_transaction: list[bool] = []

    def record(conn, cursor, statement, *_a):
        raw = conn.connection.dbapi_connection
        in_transaction.append(raw.in_transaction if db.is_sqlite else not raw.autocommit)

    event.listen(db.engine, "before_cursor_execute", record)
    assert load_with_satellites(db, case.id) is not None
    loaded = list(in_transaction)
    in_transaction.clear()
    with db.read() as s:
        s.execute(select(func.count()).select_from(LetterRow)).scalar()
    assert loaded == [False]                       # the load: one statement, no transaction
    assert in_transaction and in_transaction[-1]   # a session read afterwards: in one
    if db.is_sqlite:  # the driver's own transactions stay off (xiabo emits BEGIN itself)
        with db.engine.connect() as conn:
            assert conn.connection.dbapi_connection.isolation_level is None
