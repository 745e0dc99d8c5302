"""A letter's whole life through the CLI: draft → sent with tracking → overdue (by today) →
follow-up → escalation → answer → closed, each step held and verified in the evidence log."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import EXAMPLES, run_cli


@pytest.fixture
def case(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XIABO_TSA_URL", raising=False)
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "kuaishou.yaml", profile)
    return tmp_path, profile


def _entries(evidence):
    from xiabo.evidence.log import EvidenceLog

    log = EvidenceLog.open(evidence)
    return [json.loads(p) for i, p in log.entries() if i]


def test_full_life_with_proof(case):
    tmp, profile = case
    evidence = tmp / "ev"
    common = ["--evidence", str(evidence)]
    r = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-11-20")
    assert r.code == 0, r.err
    lid = r.out.strip()
    assert lid == "pi-copy-1"
    assert (tmp / "letters" / lid / "letter.docx").is_file()
    assert "【待填写：平台账号 ID】" in r.err

    # a sending date after today is refused with exit 2, nothing changes
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-22", "--today", "2026-11-21",
                *common)
    assert r.code == 2 and "2026-11-22" in r.err
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-21", "--via", "post",
                "--tracking", "EMS1187654321", "--today", "2026-11-21", *common)
    assert r.code == 0, r.err
    assert "2026年12月21日" in r.out  # 30 days, counted from the next day; 12-21 is a Monday

    r = run_cli("letters", "list", profile, "--today", "2026-12-20", "--json")
    row = json.loads(r.out)[0]
    assert row == {**row, "id": lid, "kind": "pi-copy", "state": "sent", "sent_on": "2026-11-21",
                   "due": "2026-12-21", "overdue_days": 0}

    r = run_cli("letters", "list", profile, "--today", "2026-12-28", "--json")
    row = json.loads(r.out)[0]
    assert row["state"] == "overdue" and row["overdue_days"] == 7 and row["next"] == "followup"
    r = run_cli("letters", "list", profile, "--today", "2026-12-28")
    assert "已过答复期限，对方还没答复" in r.out and "xiabo letters followup pi-copy-1" in r.out

    r = run_cli("letters", "followup", lid, profile, "--today", "2026-12-28", *common)
    assert r.code == 0, r.err
    follow = (tmp / "letters" / lid / "followup-1.md").read_text(encoding="utf-8")
    assert "EMS1187654321" in follow and "期限已过 7 天" in follow

    r = run_cli("letters", "list", profile, "--today", "2027-01-20", "--json")
    row = json.loads(r.out)[0]
    assert row["state"] == "overdue" and row["next"] == "escalate"

    r = run_cli("letters", "escalate", lid, profile, "--to", "12377", "--today", "2027-01-20",
                *common)
    assert r.code == 0, r.err
    report = (tmp / "letters" / lid / "escalation-12377.md").read_text(encoding="utf-8")
    assert "EMS1187654321" in report and "2026年11月21日" in report and "followup-1.md" in report

    r = run_cli("letters", "reply", lid, profile, "--on", "2027-02-01", "--today", "2027-02-01",
                "--file", str(profile), *common)
    assert r.code == 0, r.err
    r = run_cli("letters", "close", lid, profile, "--today", "2027-02-02", *common)
    assert r.code == 0, r.err
    r = run_cli("letters", "show", lid, profile, "--today", "2027-02-02", "--json")
    record = json.loads(r.out)["record"]
    assert [e["step"] for e in record["events"]] == [
        "drafted", "sent", "followup", "escalated", "reply", "closed"]
    assert record["state"] == "closed"

    # the evidence log verifies and holds every step under the letter's task
    from xiabo.evidence.verify import verify_log

    assert verify_log(evidence, full=True).ok
    entries = [e for e in _entries(evidence) if e.get("task") == f"letter-{lid}"]
    notes = " ".join(e.get("note") or "" for e in entries)
    files = [e.get("file") for e in entries if e.get("file")]
    assert "EMS1187654321" in notes
    assert {"letter.md", "letter.docx", "followup-1.md", "escalation-12377.md",
            "history.json"} <= set(files)
    assert any(f.startswith("reply-1-") for f in files)
    for e in entries:
        assert e["time"] >= "2026-11-20"
    # every step's evidence indexes are on the record
    assert all(e.get("evidence") for e in record["events"][1:])


def test_termination_sent_sets_the_notice_date_with_a_backup(case):
    tmp, profile = case
    before = profile.read_text(encoding="utf-8")
    lid = run_cli("letters", "new", "termination", profile, "--today", "2026-12-01").out.strip()
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-12-01", "--via", "email",
                "--today", "2026-12-01", "--evidence", str(tmp / "ev"))
    assert r.code == 0, r.err
    after = profile.read_text(encoding="utf-8")
    assert "notice_sent_on: 2026-12-01" in after
    assert (tmp / "profile.yaml.bak").read_text(encoding="utf-8") == before
    assert after.splitlines()[0] == before.splitlines()[0]  # the comment line stays
    import xiabo

    assert str(xiabo.load_profile(profile).contract.notice_sent_on) == "2026-12-01"
    # the plan now takes the notice as done on that day
    plan = xiabo.plan(profile, today=__import__("datetime").date(2026, 12, 2))
    notice = next(t for t in plan.tasks if t.id == "mcn-notice")
    assert str(notice.done) == "2026-12-01"


def test_bad_input_is_exit_2_not_a_traceback(case):
    tmp, profile = case
    r = run_cli("letters", "new", "love-letter", profile)
    assert r.code == 2 and "个人信息复制申请" in r.err and "pi-copy" not in r.err
    r = run_cli("letters", "show", "../../etc/passwd", profile)
    assert r.code == 2
    r = run_cli("letters", "show", "pi-copy-9", profile)
    assert r.code == 2 and "pi-copy-9" in r.err
    lid = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-12-01").out.strip()
    r = run_cli("letters", "followup", lid, profile, "--today", "2026-12-01")
    assert r.code == 2  # a draft cannot be followed up
    r = run_cli("letters", "reply", lid, profile, "--on", "2026-12-01", "--today", "2026-12-01")
    assert r.code == 2
    douyin = tmp / "douyin.yaml"
    shutil.copy(EXAMPLES / "douyin.yaml", douyin)
    r = run_cli("letters", "new", "settlement", douyin)
    assert r.code == 2 and "公会" in r.err


def test_termination_past_its_period_reads_unanswered_and_no_early_sending(case):
    tmp, profile = case
    r = run_cli("letters", "new", "termination", profile, "--today", "2026-11-20")
    assert r.code == 0, r.err
    lid = r.out.strip()
    # a letter cannot leave before it was drafted: refused in words, exit 2
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-19", "--today", "2026-11-21")
    assert r.code == 2 and "早于这封信起草的日期 2026-11-20" in r.err
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-21", "--today", "2026-11-21")
    assert r.code == 0, r.err
    row = json.loads(run_cli("letters", "list", profile, "--today", "2026-11-22",
                             "--json").out)[0]
    assert row["state"] == "sent"  # still within its notice period: waiting
    r = run_cli("letters", "show", lid, profile, "--today", "2027-02-01")
    assert "通知期已满，对方没有答复" in r.out and "已寄出，等答复" not in r.out
    assert "未知" not in r.out
    row = json.loads(run_cli("letters", "list", profile, "--today", "2027-02-01", "--json").out)[0]
    assert row["state"] == "unanswered"


def test_fill_the_blanks_from_the_command_line(case):
    tmp, profile = case
    lid = run_cli("letters", "new", "个人信息副本", profile, "--today", "2026-11-20").out.strip()
    letter = tmp / "letters" / lid
    r = run_cli("letters", "fill", lid, profile, "--set", "1=张三", "--set", "平台账号 ID=ks_1")
    assert r.code == 0, r.err
    md = (letter / "letter.md").read_text(encoding="utf-8")
    assert "张三" in md and "ks_1" in md and "【待填写：平台账号 ID】" not in md
    assert "还有 4 处【待填写】" in r.out and "1. 注册手机号" in r.out
    from docx import Document

    words = "\n".join(p.text for p in Document(str(letter / "letter.docx")).paragraphs)
    assert "张三" in words  # the Word file was made again
    r = run_cli("letters", "fill", lid, profile, "--set", "不存在的空=1")
    assert r.code == 2 and "没有叫「不存在的空」的空" in r.err
    run_cli("letters", "sent", lid, profile, "--on", "2026-11-21", "--today", "2026-11-21")
    r = run_cli("letters", "fill", lid, profile, "--set", "1=李四")
    assert r.code == 2 and "已经寄出" in r.err
