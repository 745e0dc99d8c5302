"""Proof details: the lawyer's bundle carries the letter history, a TSA timestamps each step,
the reminder is logged when it is sent, and an overlay fills the directory's unknowns."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_cli


@pytest.fixture
def case(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XIABO_TSA_URL", raising=False)
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "douyin.yaml", profile)
    return tmp_path, profile


@pytest.fixture
def tsa():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evidence"))
    from evidence_tsa import running_tsa

    with running_tsa() as state:
        yield state


def test_bundle_carries_the_history_and_the_reminder_is_logged_when_sent(case):
    tmp, profile = case
    ev = ["--evidence", str(tmp / "ev")]
    lid = run_cli("letters", "new", "pi-deletion", profile, "--today", "2026-10-01").out.strip()
    assert run_cli("letters", "sent", lid, profile, "--on", "2026-10-01", "--via", "email",
                   "--today", "2026-10-01", *ev).code == 0
    assert run_cli("letters", "followup", lid, profile, "--today", "2026-11-10", *ev).code == 0
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-11", "--via", "post",
                "--tracking", "SF1234", "--today", "2026-11-11", *ev)
    assert r.code == 0, r.err
    rows = json.loads(run_cli("letters", "list", profile, "--today", "2026-11-12",
                              "--json").out)
    # the reminder's own clock: 15 days from 11-11 is 11-26 (a Thursday)
    assert rows[0]["state"] == "followed_up" and rows[0]["due"] == "2026-11-26"

    from xiabo.evidence import entries_for_task
    from xiabo.evidence.bundle import make_bundle
    from xiabo.evidence.log import EvidenceLog

    entries = entries_for_task(tmp / "ev", f"letter-{lid}")
    sent_files = [e["file"] for e in entries if e.get("file")]
    assert sent_files.count("followup-1.md") == 2  # drafted, then as sent
    out = tmp / "bundle.zip"
    make_bundle(EvidenceLog.open(tmp / "ev"), out, lambda params: "README")
    names = zipfile.ZipFile(out).namelist()
    histories = [n for n in names if n.endswith("history.json")]
    assert histories
    last = json.loads(zipfile.ZipFile(out).read(sorted(histories)[-1]))
    assert [e["step"] for e in last["events"]][-1] == "sent"
    assert last["tracking"] in (None, "SF1234") and "SF1234" in json.dumps(last)


def test_tsa_timestamps_each_step(case, tsa):
    tmp, profile = case
    lid = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-11-01").out.strip()
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-01", "--via", "app",
                "--today", "2026-11-01", "--evidence", str(tmp / "ev"), "--tsa", tsa.url)
    assert r.code == 0, r.err
    assert "可信时间戳" in r.out
    assert list((tmp / "ev" / "timestamps").glob("*.tsr"))
    from xiabo.evidence.verify import verify_log

    assert verify_log(tmp / "ev", full=True).ok


def test_an_unreachable_tsa_does_not_lose_the_step(case):
    tmp, profile = case
    lid = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-11-01").out.strip()
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-11-01", "--today", "2026-11-01",
                "--evidence", str(tmp / "ev"), "--tsa", "http://127.0.0.1:9/tsr")
    assert r.code == 0, r.err
    assert "时间戳没有成功" in r.out
    assert json.loads(run_cli("letters", "list", profile, "--today", "2026-11-02",
                              "--json").out)[0]["state"] == "sent"


def test_an_overlay_fills_an_unknown_address(tmp_path):
    from xiabo.letters.directory import addressee
    from xiabo.rules import load_rulebook

    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "letters.yaml").write_text("""\
rules:
  - id: douyin.letters.directory.pi_deletion
    title: {zh: 抖音删除确认, en: Douyin deletion confirmation}
    values:
      2026-11-01: {channel: email, route: {zh: 发邮件, en: by email}, address: privacy@example.com, difficulty: 2}
    unit: text
    source: practice
    reference: 机构自己核对过的地址
    last_verified: 2026-11-29
    verified: true
""", encoding="utf-8")
    on = date(2026, 12, 1)
    before = addressee(load_rulebook(use_cache=False), "douyin", "pi-deletion", on, "zh")
    assert before.address.startswith("还不知道") and before.channel.startswith("还不知道")
    assert "还不知道收件地址" in before.line or "收件地址" in before.line
    after = addressee(load_rulebook([overlay], use_cache=False), "douyin", "pi-deletion", on,
                      "zh")
    assert after.address == "privacy@example.com" and after.channel == "电子邮件"
    assert after.verified and after.checked == date(2026, 11, 29)
