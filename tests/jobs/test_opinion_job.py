"""Opinion imports as jobs, on SQLite and PostgreSQL: committed in chunks, refused whole before
the first chunk when a row is bad, resumed after the worker died with nothing lost or doubled
(the same messages, keyword counts and one import row as an import in one go), and a dead
import's upload removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from tests.jobs.conftest import die_for_good, make_case
from tests.opinion.conftest import HEADER, comment_rows, write_csv

from xiabo.cases import opinion_chunks
from xiabo.cases.opinion_store import CaseStore
from xiabo.jobs import Worker, enqueue_job, retry_job
from xiabo.jobs.files import job_folder
from xiabo.store import jobs as rows
from xiabo.store.models import utcnow
from xiabo.store.opinion import OpinionImport, OpinionMessage, OpinionTerm


class Killed(BaseException):
    """The worker process dying (nothing below it catches a BaseException)."""


def _csv(tmp_path, n: int) -> bytes:
    body = comment_rows(n, days=6)
    body += body[:300]  # the same messages again, in later chunks: counted once
    return write_csv(tmp_path / "评论.csv", HEADER, body).read_bytes()


def _facts(db, case_id: int) -> tuple:
    """Everything an import leaves: messages, keyword counts, import rows (name, rows, added)."""
    with db.read() as s:
        messages = s.scalar(select(func.count()).select_from(OpinionMessage)
                            .where(OpinionMessage.case_id == case_id))
        terms = sorted((str(d), t, n, neg) for d, t, n, neg in s.execute(
            select(OpinionTerm.day, OpinionTerm.term, OpinionTerm.n, OpinionTerm.neg)
            .where(OpinionTerm.case_id == case_id)))
        imports = sorted((n, r, a) for n, r, a in s.execute(
            select(OpinionImport.name, OpinionImport.rows, OpinionImport.added)
            .where(OpinionImport.case_id == case_id)))
    return messages, terms, imports


def _reference(db, tmp_path, data: bytes) -> tuple:
    """The same file imported in one transaction (the CLI's way) into a case of its own."""
    from xiabo.opinion.ingest import ingest_file

    ref = make_case(db, "参照")
    path = tmp_path / "ref.csv"
    path.write_bytes(data)
    ingest_file(CaseStore(db.engine, ref.id), path, name="评论.csv")
    return _facts(db, ref.id)


def _enqueue(db, case, data: bytes) -> int:
    return enqueue_job(db, "opinion-import", case.id,
                       {"case_key": case.folder, "files": [["0.csv", "评论.csv"]]},
                       files={"0.csv": data})


def test_an_import_commits_in_chunks(db, case, tmp_path, monkeypatch):
    monkeypatch.setattr(opinion_chunks, "CHUNK", 1000)
    commits: list[int] = []
    flush = opinion_chunks.ChunkedStore.flush

    def counting(self):
        before = len(self._rows)
        flush(self)
        if before:
            commits.append(before)

    monkeypatch.setattr(opinion_chunks.ChunkedStore, "flush", counting)
    data = _csv(tmp_path, 4500)
    job = _enqueue(db, case, data)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.result == {"added": 4500, "files": 1}
    # a chunk is whole blocks of the file (2,000 rows) once 1,000 new messages gathered
    assert len(commits) == 3 and max(commits) <= 2000 and sum(commits) == 4500
    assert _facts(db, case.id) == _reference(db, tmp_path, data)
    assert not job_folder(job).exists()


def test_a_resumed_import_loses_and_doubles_nothing(db, case, tmp_path, monkeypatch):
    monkeypatch.setattr(opinion_chunks, "CHUNK", 1000)
    flush = opinion_chunks.ChunkedStore.flush
    done = {"n": 0}

    def dying(self):
        had = bool(self._rows)
        flush(self)
        done["n"] += had
        if done["n"] == 2:
            raise Killed()  # after the second chunk was committed

    monkeypatch.setattr(opinion_chunks.ChunkedStore, "flush", dying)
    data = _csv(tmp_path, 4500)
    job = _enqueue(db, case, data)
    first = Worker(db, name="doomed")
    with pytest.raises(Killed):
        first.run_job(rows.claim(db, first.name, ("opinion-import",)))
    saved = _facts(db, case.id)[0]
    assert 0 < saved < 4500  # some chunks are in, the rest not
    monkeypatch.setattr(opinion_chunks.ChunkedStore, "flush", flush)
    with db.write() as s:  # its heartbeat stopped a while ago
        s.execute(update(rows.JobRow).where(rows.JobRow.id == job)
                  .values(heartbeat_at=utcnow() - timedelta(seconds=120)))
    other = Worker(db, name="survivor", stale_after=30)
    assert other.run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.attempts == 2 and row.result["added"] == 4500
    assert _facts(db, case.id) == _reference(db, tmp_path, data)


def test_a_bad_row_is_refused_before_the_first_chunk(db, case, tmp_path, monkeypatch):
    monkeypatch.setattr(opinion_chunks, "CHUNK", 100)
    body = comment_rows(3000, days=3) + [["公会黑心", "0001-01-01 00:00:00", 0, 0, "x"]]
    job = _enqueue(db, case, write_csv(tmp_path / "bad.csv", HEADER, body).read_bytes())
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "failed" and "评论.csv" in row.error["zh"] and "0001-01-01" in row.error["zh"]
    assert "3002" in row.error["zh"]  # the row, counted as in the spreadsheet (header is 1)
    assert _facts(db, case.id) == (0, [], [])


def test_a_dead_imports_upload_is_removed(db, case, tmp_path):
    job = _enqueue(db, case, _csv(tmp_path, 10))
    assert job_folder(job).is_dir()
    die_for_good(db, job, "opinion-import")  # claimed and left to die, again and again
    worker = Worker(db, stale_after=5)
    row = rows.get(db, job)
    assert row.state == "interrupted" and not job_folder(job).exists()

    retry_job(db, job)  # its upload is gone: the retry says so in words
    assert worker.run_once()
    row = rows.get(db, job)
    assert row.state == "failed" and "重新上传" in row.error["zh"]
