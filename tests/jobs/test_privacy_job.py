"""The ``privacy-scan`` job, on SQLite and PostgreSQL: its result says what was found, the
cleaned copy and its report land where the privacy page reads them, a file it cannot read
fails in the toolkit's words (the user's file name, the row and column, the fix), the upload
goes with the job's folder, and a run handed on after its worker died leaves one copy and one
report, the same as one run."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hostile.builders import wide_row_xlsx
from tests.jobs.conftest import TODAY, die_for_good, silence
from tests.privacy.ids import ID, MOBILE

from xiabo.jobs import Worker, enqueue_job
from xiabo.jobs.files import job_folder
from xiabo.jobs.privacy import REPORT_NAME, cleaned_folder, kept_copy, kept_report
from xiabo.store import jobs as rows

FANS = ("昵称,手机,身份证,备注\r\n"
        f"小明,{MOBILE},{ID},老粉\r\n"
        "小红,13900001111,,无\r\n"
        "小刚,,,没有联系方式\r\n").encode("utf-8-sig")


class Killed(BaseException):
    """The worker process dying (nothing below it catches a BaseException)."""


def _enqueue(db, case, name: str, data: bytes, mode: str = "mask") -> int:
    return enqueue_job(db, "privacy-scan", case.id,
                       {"case_key": case.folder, "name": name, "stored": name, "mode": mode,
                        "today": TODAY.isoformat(), "lang": "zh"}, files={name: data})


def _outputs(case) -> dict[str, bytes]:
    folder = cleaned_folder(case.folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_a_scan_says_what_it_found_and_keeps_the_copy_and_report(db, case):
    job = _enqueue(db, case, "粉丝名单.csv", FANS)
    assert job_folder(job).is_dir()
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done", row.error
    assert row.result == {"name": "粉丝名单.csv", "rows": 4, "total": 3,
                          "counts": {"id_card": 1, "mobile": 2},
                          "cleaned": {"mode": "mask", "cells": 3, "rows_out": 4,
                                      "rows_dropped": 0, "left": 0,
                                      "name": "粉丝名单_已清理.csv"}}
    assert sorted(_outputs(case)) == [REPORT_NAME, "粉丝名单_已清理.csv"]
    copy = kept_copy(case.folder).read_bytes().decode("utf-8-sig")
    assert MOBILE not in copy and ID not in copy and "小明" in copy and "老粉" in copy
    kept = kept_report(case.folder)
    assert kept["job"] == job and kept["cleaned"] == row.result["cleaned"]
    assert kept["report"]["rows"] == 4 and sum(kept["report"]["counts"].values()) == 3
    where = {(c["column"], c["header"], c["kind"]) for c in kept["report"]["columns"]}
    assert where == {(2, "手机", "mobile"), (3, "身份证", "id_card")}
    assert MOBILE not in json.dumps(kept, ensure_ascii=False)  # masked samples only
    assert not job_folder(job).exists()  # the upload went with the job's folder


def test_drop_row_and_a_second_scan_replace_the_first(db, case):
    first = _enqueue(db, case, "a.csv", FANS)
    assert Worker(db).run_once() and rows.get(db, first).state == "done"
    second = _enqueue(db, case, "b.csv", FANS, mode="drop-row")
    assert Worker(db).run_once()
    row = rows.get(db, second)
    assert row.result["cleaned"]["rows_dropped"] == 2 and row.result["cleaned"]["rows_out"] == 2
    assert sorted(_outputs(case)) == [REPORT_NAME, "b_已清理.csv"]  # one copy per case
    assert kept_report(case.folder)["job"] == second


def test_a_wide_sheet_fails_in_words_and_keeps_the_last_copy(db, case, tmp_path):
    good = _enqueue(db, case, "fans.csv", FANS)
    assert Worker(db).run_once() and rows.get(db, good).state == "done"
    before = _outputs(case)
    wide = wide_row_xlsx(tmp_path / "w.xlsx", 20_000, refs=True, header=["昵称", "手机"])
    job = _enqueue(db, case, "20k-columns.xlsx", wide.read_bytes())
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "failed" and row.result is None
    zh, en = row.error["zh"], row.error["en"]
    assert "20k-columns.xlsx" in zh and "16384" in zh and "第 1 行" in zh
    assert "20k-columns.xlsx" in en and "16384" in en
    assert str(job_folder(job)) not in zh and "Invalid column" not in en
    assert _outputs(case) == before  # the last good copy and its report stay
    assert not job_folder(job).exists()


@pytest.mark.parametrize("die_in", ["scan_file", "atomic_write"])
def test_a_rerun_after_the_worker_died_doubles_nothing(db, case, monkeypatch, die_in):
    """Killed after the copy was written (before the re-check), or while the report was
    being written: the survivor's run leaves what one run leaves."""
    import xiabo.fsutil
    import xiabo.privacy.scan

    job = _enqueue(db, case, "粉丝名单.csv", FANS)
    module = xiabo.privacy.scan if die_in == "scan_file" else xiabo.fsutil
    real = getattr(module, die_in)

    def dying(*args, **kwargs):
        raise Killed()

    monkeypatch.setattr(module, die_in, dying)
    first = Worker(db, name="doomed")
    with pytest.raises(Killed):
        first.run_job(rows.claim(db, first.name, ("privacy-scan",)))
    monkeypatch.setattr(module, die_in, real)
    assert [n for n in _outputs(case) if n.startswith(".") and n != REPORT_NAME] == []
    silence(db, job)  # its heartbeat stopped a while ago
    assert Worker(db, name="survivor", stale_after=30).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.attempts == 2
    assert sorted(_outputs(case)) == [REPORT_NAME, "粉丝名单_已清理.csv"]

    once = _enqueue(db, case, "粉丝名单.csv", FANS)  # the same file, in one run
    assert Worker(db).run_once()
    assert rows.get(db, once).result == row.result
    assert sorted(_outputs(case)) == [REPORT_NAME, "粉丝名单_已清理.csv"]
    assert not job_folder(job).exists() and not job_folder(once).exists()


def test_a_dead_scans_upload_is_removed(db, case):
    job = _enqueue(db, case, "粉丝名单.csv", FANS)
    die_for_good(db, job, "privacy-scan")
    row = rows.get(db, job)
    assert row.state == "interrupted" and not job_folder(job).exists()
    assert _outputs(case) == {}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=8), st.one_of(st.none(), st.integers(1, 16384)),
                          st.one_of(st.none(), st.text(max_size=12)),
                          st.sampled_from(["mobile", "id_card", "email"]), st.integers(0, 10**6),
                          st.lists(st.text(max_size=10), max_size=2)), max_size=40),
       st.integers(0, 10**7), st.integers(0, 10**6))
def test_a_kept_report_reads_back_as_it_was(columns, rows_, more):
    """The report kept beside the copy (JSON) is the report the page showed after the scan."""
    from xiabo.privacy.columns import Column, Report

    report = Report("粉丝.csv", rows_, {"mobile": 3, "id_card": 0, "email": 1},
                    [Column(*c) for c in columns], more)
    again = Report.from_dict(json.loads(json.dumps(report.to_dict(), ensure_ascii=False)))
    assert again == report and again.total == report.total == 4
