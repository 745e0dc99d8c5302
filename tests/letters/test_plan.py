"""Open letters in the plan: a task per letter, and deletion waits for a requested copy."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

import xiabo
from tests.conftest import EXAMPLES, run_cli


@pytest.fixture
def case(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "kuaishou.yaml", profile)
    return tmp_path, profile


def _plan(profile, today, lang="zh"):
    from xiabo.cases import CaseRef, plan_case

    prof = xiabo.load_profile(profile)
    return plan_case(prof, CaseRef.for_file(profile), today=today, lang=lang)


def test_sent_copy_request_blocks_deletion_until_answered(case):
    tmp, profile = case
    lid = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-12-01").out.strip()
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-12-01", "--via", "app",
                "--today", "2026-12-01", "--evidence", str(tmp / "ev"))
    assert r.code == 0, r.err
    plan = _plan(profile, date(2026, 12, 2))
    task = next(t for t in plan.tasks if t.id == f"letter-{lid}")
    assert task.due == date(2026, 12, 31) and "个人信息复制申请" in task.title
    assert any(b.id == f"letter:{lid}" and "副本" in b.message for b in plan.blockers)
    apply = next(t for t in plan.tasks if t.id == "apply-deletion")
    assert apply.start > task.due and f"letter-{lid}" in apply.depends_on
    en = _plan(profile, date(2026, 12, 2), "en")
    assert any("copy of your personal information" in b.message for b in en.blockers)

    # overdue: the task says how late and what to do next
    plan = _plan(profile, date(2027, 1, 8))
    task = next(t for t in plan.tasks if t.id == f"letter-{lid}")
    assert any("已逾期 8 天" in s and "催告" in s for s in task.steps)

    # the copy arrives: the blocker goes and the task is done on that day
    run_cli("letters", "reply", lid, profile, "--on", "2026-12-20", "--today", "2026-12-20",
            "--evidence", str(tmp / "ev"))
    plan = _plan(profile, date(2026, 12, 21))
    assert not any(b.id.startswith("letter:") for b in plan.blockers)
    task = next(t for t in plan.tasks if t.id == f"letter-{lid}")
    assert task.done == date(2026, 12, 20)


def test_no_letters_folder_changes_nothing(case):
    _, profile = case
    plan = _plan(profile, date(2026, 12, 2))
    assert not [t for t in plan.tasks if t.id.startswith("letter-")]


def test_calendar_export_carries_the_deadline(case):
    tmp, profile = case
    lid = run_cli("letters", "new", "pi-deletion", profile, "--today", "2026-12-01").out.strip()
    run_cli("letters", "sent", lid, profile, "--on", "2026-12-01", "--via", "email",
            "--today", "2026-12-01", "--evidence", str(tmp / "ev"))
    from xiabo.export.ical import ics, task_uid

    plan = _plan(profile, date(2026, 12, 2))
    task = next(t for t in plan.tasks if t.id == f"letter-{lid}")
    assert (task.start, task.due) == (date(2026, 12, 1), date(2026, 12, 31))
    text = ics(plan).decode("utf-8")
    uid = task_uid("小美的直播间", f"letter-{lid}")
    block = next(b for b in text.split("BEGIN:VEVENT") if uid in b.replace("\r\n ", ""))
    assert "DTEND;VALUE=DATE:20270101" in block and "VALARM" in block
