"""The bulk job functions: the case import (its report, its chunks each in one transaction with
the job's note, a resume after a death mid-chunk that makes no case twice), the follow-ups for
many cases (the owner's rights when it runs; a rerun drafts nothing twice) and the one zip of
many cases' kits (its content, no dispute data, kept a day and then swept)."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from tests.jobs.conftest import TODAY, make_case

from xiabo.jobs import Worker, enqueue_job
from xiabo.store import cases as repo
from xiabo.store import jobs as rows
from xiabo.store.models import Case, utcnow
from xiabo.store.users import add_user

CSV = """name,platform,followers
一号,kuaishou,10
二号,douyin,abc
三号,douyin,10
四号,weibo,10
五号,taobao,5
六号,kuaishou,7
七号,douyin,8
"""
GOOD = {"一号", "三号", "五号", "六号", "七号"}  # 二号: not a number; 四号: no such platform


def _import(db, data: str = CSV, owner: int | None = None, local: bool = True) -> int:
    return enqueue_job(db, "cases-import", None, {
        "file": "upload.csv", "name": "名单.csv", "lang": "zh", "today": TODAY.isoformat(),
        "local": local, "operator_id": None, "max_rows": 5000},
        files={"upload.csv": data.encode("utf-8")}, owner_id=owner)


def _names(db) -> list[str]:
    with db.read() as s:
        return sorted(s.scalars(select(Case.name)))


def _die_and_hand_on(db, job_id: int) -> None:
    """The worker running ``job_id`` is found dead: its job is queued again."""
    with db.write() as s:
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job_id)
                  .values(heartbeat_at=utcnow() - timedelta(seconds=120)))
    assert Worker(db, stale_after=5).reap() == [job_id]


class Killed(BaseException):
    """The process is killed here (not an error a job function could catch)."""


def test_the_import_reports_every_row_and_makes_the_good_ones(db):
    job = _import(db)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done", row.error
    result = row.result
    assert (result["created"], result["failed"], result["name"]) == (5, 2, "名单.csv")
    by_row = {r["row"]: r for r in result["rows"]}
    assert [r["row"] for r in result["rows"]] == [2, 3, 4, 5, 6, 7, 8]
    assert by_row[3]["ok"] is False and by_row[3]["problems"][0]["field"] == "followers"
    assert by_row[5]["ok"] is False and by_row[5]["problems"][0]["field"] == "platform"
    assert by_row[2]["ok"] and by_row[2]["name"] == "一号" and by_row[2]["case_id"]
    assert set(_names(db)) == GOOD
    assert "rows" not in row.progress and row.progress["done"] == 7  # small once done


def test_each_chunk_is_one_transaction_with_the_jobs_note(db, monkeypatch):
    """CHUNK rows per write: when the second chunk is stored, the job's note in the store
    already counts the first chunk's rows, and no more."""
    from xiabo.jobs import imports

    monkeypatch.setattr(imports, "CHUNK", 3)
    real, seen = repo.insert_cases, []

    def spy(database, cases, **kw):
        seen.append(([c.name for c, _, _ in cases], len(rows.get(db, job).progress.get("rows")
                                                          or [])))
        return real(database, cases, **kw)

    monkeypatch.setattr(repo, "insert_cases", spy)
    job = _import(db)
    Worker(db).run_once()
    assert seen == [(["一号", "三号"], 0), (["五号", "六号"], 3), (["七号"], 6)]
    assert rows.get(db, job).result["created"] == 5


def test_a_worker_killed_mid_chunk_resumes_without_making_a_case_twice(db, monkeypatch):
    from xiabo.jobs import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    real, calls = rows.save_progress, []

    def killed_in_the_second_chunk(session, *args, **kw):
        calls.append(1)
        ok = real(session, *args, **kw)
        if len(calls) == 2:
            session.flush()  # the chunk's cases are written; the commit never comes
            raise Killed()
        return ok

    monkeypatch.setattr(rows, "save_progress", killed_in_the_second_chunk)
    job = _import(db)
    with pytest.raises(Killed):
        Worker(db).run_once()
    assert set(_names(db)) == {"一号"}  # the first chunk (rows 2-3) only
    assert len(rows.get(db, job).progress["rows"]) == 2
    monkeypatch.setattr(rows, "save_progress", real)
    _die_and_hand_on(db, job)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.attempts == 2
    assert sorted(_names(db)) == sorted(GOOD)  # each once
    assert [r["row"] for r in row.result["rows"]] == [2, 3, 4, 5, 6, 7, 8]
    assert row.result["created"] == 5


def test_a_worker_killed_between_chunks_resumes_at_the_next_row(db, monkeypatch):
    from xiabo.jobs import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    from xiabo.cases import importing

    real, calls = importing.prepare_row, []

    def killed_before_row_6(database, n, *args, **kw):
        calls.append(n)
        if n == 6 and calls.count(6) == 1:
            raise Killed()
        return real(database, n, *args, **kw)

    monkeypatch.setattr(importing, "prepare_row", killed_before_row_6)
    job = _import(db)
    with pytest.raises(Killed):
        Worker(db).run_once()
    _die_and_hand_on(db, job)
    Worker(db).run_once()
    assert sorted(_names(db)) == sorted(GOOD)
    assert calls.count(2) == 1 and calls.count(6) == 2  # rows 2-5 were not read again


def test_an_import_whose_owner_was_removed_stops_in_words(db):
    from xiabo.store.users import remove_user

    op = add_user(db, "op-gone", "operator", "op-gone-tea-kettle")
    job = _import(db, owner=op.id, local=False)
    remove_user(db, "op-gone")
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "failed" and "账号已经被删除" in row.error["zh"]
    assert _names(db) == []  # never run with anyone else's rights


# -- follow-ups for many cases ----------------------------------------------------------------

LATER = date(2027, 1, 5)


def _overdue_letter(db, name: str):
    from xiabo.cases import letters

    case = make_case(db, name)
    letter = letters.draft(db, case, "pi-copy", today=TODAY, lang="zh", actor=repo.Actor())
    letters.step(db, case, letter.id, "sent", today=TODAY, actor=repo.Actor(), via="post",
                 tracking="EMS1")
    return case


def _followups(db, ids, owner=None, local=True) -> int:
    return enqueue_job(db, "letters-followup", None, {
        "case_ids": ids, "today": LATER.isoformat(), "lang": "zh", "local": local},
        owner_id=owner)


def _followup_count(db, case_id: int) -> int:
    from xiabo.store.letters import LetterRow

    with db.read() as s:
        return sum(json.loads(r).get("followups", 0) for r in
                   s.scalars(select(LetterRow.record_json).where(LetterRow.case_id == case_id)))


def test_followups_for_many_cases_count_and_never_draft_twice(db):
    a, b = _overdue_letter(db, "甲主播"), _overdue_letter(db, "乙主播")
    job = _followups(db, [a.id, b.id])
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.result == {"drafted": 2, "cases": 2, "failed": 0}
    assert row.progress["done"] == 2 and row.progress["total"] == 2
    assert _followup_count(db, a.id) == 1
    again = _followups(db, [a.id, b.id])  # a rerun the same day
    Worker(db).run_once()
    assert rows.get(db, again).result["drafted"] == 0
    assert _followup_count(db, a.id) == 1 and _followup_count(db, b.id) == 1


def test_followups_a_worker_died_on_are_counted_once_and_the_case_replanned(db, monkeypatch):
    """Killed after a case's letters were written, before the re-plan and the checkpoint: the
    job handed on counts those letters (not 0, not twice) and brings the case's stored
    columns up to date."""
    from xiabo.cases import followups, stored

    a, b = _overdue_letter(db, "甲主播"), _overdue_letter(db, "乙主播")
    real_refresh = stored.refresh

    def killed_before_the_replan(*args, **kw):
        raise Killed()

    monkeypatch.setattr(stored, "refresh", killed_before_the_replan)
    job = _followups(db, [a.id, b.id])
    with pytest.raises(Killed):
        Worker(db).run_once()
    assert _followup_count(db, a.id) == 1 and _followup_count(db, b.id) == 0
    before = repo.get_case(db, a.id).version
    monkeypatch.setattr(stored, "refresh", real_refresh)
    _die_and_hand_on(db, job)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.attempts == 2
    assert row.result == {"drafted": 2, "cases": 2, "failed": 0}
    assert _followup_count(db, a.id) == 1 and _followup_count(db, b.id) == 1
    assert repo.get_case(db, a.id).version > before  # re-planned after the hand-on
    assert followups.followed_up_since(db, a.id, LATER, "2999-01-01T00:00:00") == 0


def test_a_manual_follow_up_earlier_that_day_is_not_counted_as_the_jobs(db, monkeypatch):
    from xiabo.cases import letters

    a = _overdue_letter(db, "甲主播")
    letter = letters.rows(db, a.id, LATER)[0]
    letters.step(db, repo.get_case(db, a.id), letter["id"], "followup", today=LATER,
                 actor=repo.Actor())  # by hand, before the job
    job = _followups(db, [a.id])
    Worker(db).run_once()
    assert rows.get(db, job).result == {"drafted": 0, "cases": 1, "failed": 0}
    assert _followup_count(db, a.id) == 1


def test_followups_run_with_the_owners_rights_when_they_run(db):
    a, b = _overdue_letter(db, "甲主播"), _overdue_letter(db, "乙主播")
    op = add_user(db, "op", "operator", "op-tea-kettle", case_ids=[a.id, b.id])
    job = _followups(db, [a.id, b.id], owner=op.id, local=False)
    repo.assign_operator(db, b.id, None, actor=repo.Actor())  # b taken away after queueing
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.result == {"drafted": 1, "cases": 2, "failed": 1}
    failure = row.progress["failures"][0]
    assert failure["name"] is None and "看不到" in failure["error"]["zh"]  # not named to op
    assert "乙主播" not in json.dumps(row.progress, ensure_ascii=False)
    assert _followup_count(db, b.id) == 0


# -- one zip of many cases' kits -------------------------------------------------------------

def _kits(db, ids, owner=None, local=True) -> int:
    return enqueue_job(db, "exports-kit", None, {
        "case_ids": ids, "today": TODAY.isoformat(), "lang": "zh", "local": local,
        "tone": "warm"}, owner_id=owner)


def test_one_zip_holds_each_cases_kit_and_no_dispute_data(db):
    from xiabo.jobs.files import job_folder
    from xiabo.jobs.kits import ZIP_NAME
    from xiabo.store.disputes import save_dispute_doc

    a, b = make_case(db, "甲主播"), make_case(db, "乙主播")
    save_dispute_doc(db, b.id, {"claims": [{"what": "拖欠分成 SECRET-CLAIM"}]},
                     counterparty=True)
    job = _kits(db, [a.id, b.id, 999999])
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.result["made"] == 2 and row.result["failed"] == 1
    assert row.progress["failures"][0]["name"] is None  # a case that does not exist
    data = (job_folder(job) / ZIP_NAME).read_bytes()  # kept after the job ended
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        text = "".join(zf.read(n).decode("utf-8") for n in names)
    assert {n.split("/")[0] for n in names} == {a.key, b.key}
    assert sum(1 for n in names if n.startswith(a.key + "/")) >= 3
    assert "甲主播" in text and "乙主播" in text and "SECRET-CLAIM" not in text


def test_a_case_over_the_export_budget_is_a_failure_in_words_not_in_the_zip(db, monkeypatch):
    from xiabo.export import budget
    from xiabo.jobs.files import job_folder
    from xiabo.jobs.kits import ZIP_NAME

    a = make_case(db, "甲主播")
    monkeypatch.setitem(budget.EXPORT_TASK_BUDGET, "other", 5)  # every plan is over it now
    job = _kits(db, [a.id])
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.result["made"] == 0 and row.result["failed"] == 1
    failure = row.progress["failures"][0]
    assert failure["name"] == "甲主播" and "5" in failure["error"]["zh"]
    assert "budget." not in json.dumps(failure, ensure_ascii=False)  # words, not keys
    with zipfile.ZipFile(job_folder(job) / ZIP_NAME) as zf:
        assert zf.namelist() == []


def test_the_zip_is_kept_a_day_then_swept(db):
    from xiabo.jobs.files import job_folder, sweep

    a = make_case(db, "甲主播")
    job = _kits(db, [a.id])
    Worker(db).run_once()
    assert job_folder(job).is_dir() and sweep(db) == []
    with db.write() as s:  # a day and a minute later
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job)
                  .values(finished_at=utcnow() - timedelta(days=1, minutes=1)))
    assert sweep(db) == []  # the folder itself was written a moment ago (a job being queued)
    old = time.time() - 86460
    os.utime(job_folder(job), (old, old))
    assert sweep(db) == [job] and not job_folder(job).exists()


def test_a_folder_without_output_is_still_removed_when_its_job_ends(db):
    """Kinds that keep no output (the follow-ups) leave no folder behind."""
    from xiabo.jobs.files import job_folder

    a = _overdue_letter(db, "甲主播")
    job = enqueue_job(db, "letters-followup", None, {
        "case_ids": [a.id], "today": LATER.isoformat(), "lang": "zh", "local": True},
        files={"note.txt": b"x"})
    Worker(db).run_once()
    assert rows.get(db, job).state == "done" and not job_folder(job).exists()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_a_running_worker_sweeps_now_and_then(db, monkeypatch):
    """Not only at its start: a day-old zip goes while the worker keeps running."""
    from xiabo.jobs import worker as worker_module
    from xiabo.jobs.files import job_folder

    a = make_case(db, "甲主播")
    job = _kits(db, [a.id])
    w = Worker(db)
    w.run_once()
    with db.write() as s:
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job)
                  .values(finished_at=utcnow() - timedelta(days=2)))
    old = time.time() - 2 * 86400
    os.utime(job_folder(job), (old, old))
    w.run_once()
    assert job_folder(job).exists()  # not time for a sweep yet
    monkeypatch.setattr(worker_module, "SWEEP_EVERY", 0)
    w.run_once()
    assert not job_folder(job).exists()


def test_a_chunk_the_store_refuses_after_writing_is_tried_row_by_row(db, monkeypatch):
    """The chunk's cases were flushed (ids given) when the store refused it: each row is then
    stored alone, once, and the report is whole."""
    import sqlalchemy.exc

    real = repo.insert_cases

    def refused_when_many(database, cases, *, actor=None, also=None):
        if len(cases) <= 1:
            return real(database, cases, actor=actor, also=also)

        def then_refuse(session):
            also(session)
            raise sqlalchemy.exc.OperationalError("COMMIT", {}, Exception("deadlock"))

        return real(database, cases, actor=actor, also=then_refuse)

    monkeypatch.setattr(repo, "insert_cases", refused_when_many)
    job = _import(db)
    Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done", row.error
    assert row.result["created"] == 5 and sorted(_names(db)) == sorted(GOOD)
    made = {r["name"]: r["case_id"] for r in row.result["rows"] if r["ok"]}
    for name, case_id in made.items():  # each report link opens the case it names
        assert repo.get_case(db, case_id).name == name


def test_a_heartbeat_waits_for_a_chunk_and_never_writes_an_older_progress(db, test_kinds):
    """The race a chunk's note must survive: a heartbeat that took its snapshot before the
    chunk committed would write the old progress after it (and a resume would redo the
    chunk). The heartbeat waits while the chunk holds ``persist``; its snapshot is the new one."""
    import threading

    from xiabo.jobs import kind

    seen = {}

    @kind("t-chunk", resumable=True)
    def chunked(ctx):
        ctx.update(rows=["old"])
        with ctx.persist:
            beat = threading.Thread(target=ctx._flush)
            beat.start()
            beat.join(0.3)
            seen["waited"] = beat.is_alive()
            with db.write() as s:
                ctx.record_in(s, {"rows": ["old", "new"]})
            seen["in_memory_before_exit"] = list(ctx.progress["rows"])
        beat.join()
        seen["stored"] = rows.get(db, ctx.job_id).progress["rows"]
        return {}

    job = enqueue_job(db, "t-chunk", None, {})
    Worker(db).run_once()
    assert rows.get(db, job).state == "done"
    assert seen == {"waited": True, "in_memory_before_exit": ["old", "new"],
                    "stored": ["old", "new"]}
