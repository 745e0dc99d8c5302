"""Escalation that fits the dispute: 12315 takes consumer and e-commerce complaints only
(市场监督管理投诉举报处理暂行办法 Art. 3), so a dispute with an agency goes to labour arbitration,
the contract's arbitration clause or a court (each a rule with its source). A later draft
quotes the counterpart's own answer deadline, never an earlier escalation's clock, and no step
may predate the letter's sending. Clocks into 2027 say they are provisional."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import EXAMPLES, run_cli


@pytest.fixture
def case(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XIABO_TSA_URL", raising=False)
    monkeypatch.delenv("XIABO_RULES", raising=False)
    profile = tmp_path / "profile.yaml"
    shutil.copy(EXAMPLES / "kuaishou.yaml", profile)
    return tmp_path, profile


def _new_sent(profile, kind, on):
    r = run_cli("letters", "new", kind, profile, "--today", on)
    assert r.code == 0, r.err
    lid = r.out.strip()
    r = run_cli("letters", "sent", lid, profile, "--on", on, "--via", "post", "--today", on)
    assert r.code == 0, r.err
    return lid


def test_the_12377_draft_gives_the_platforms_deadline_not_12315s(case):
    tmp, profile = case
    lid = _new_sent(profile, "pi-copy", "2026-11-21")           # due 2026-12-21
    assert run_cli("letters", "followup", lid, profile, "--today", "2026-12-28").code == 0
    # the follow-up's 15 days: 2027-01-12 — the platform's answer deadline from now on
    r = run_cli("letters", "escalate", lid, profile, "--to", "12315", "--today", "2027-01-20")
    assert r.code == 0, r.err
    row = json.loads(run_cli("letters", "list", profile, "--today", "2027-01-20",
                             "--json").out)[0]
    assert row["due"] != "2027-01-12"  # the 12315 acceptance clock now runs …
    record = json.loads((tmp / "letters" / f"{lid}.json").read_text(encoding="utf-8"))
    assert record["answer_due"] == "2027-01-12"  # … but the answer deadline is kept
    r = run_cli("letters", "escalate", lid, profile, "--to", "12377", "--today", "2027-02-03")
    assert r.code == 0, r.err
    draft = (tmp / "letters" / lid / "escalation-12377.md").read_text(encoding="utf-8")
    assert "答复期限 2027年1月12日 已过 22 天" in draft
    assert row["due"].replace("-", "") not in draft.replace("年", "").replace("月", "")


def test_an_escalation_before_the_letter_was_sent_is_refused(case):
    tmp, profile = case
    lid = _new_sent(profile, "pi-copy", "2026-11-21")
    r = run_cli("letters", "escalate", lid, profile, "--to", "12377", "--today", "2026-11-20")
    assert r.code == 2 and "2026-11-20" in r.err and "2026-11-21" in r.err
    assert "Traceback" not in r.err
    r = run_cli("letters", "followup", lid, profile, "--today", "2026-11-01")
    assert r.code == 2
    r = run_cli("letters", "reply", lid, profile, "--on", "2026-11-01", "--today", "2026-11-25")
    assert r.code == 2
    assert not (tmp / "letters" / lid / "escalation-12377.md").exists()


def test_an_agency_dispute_is_not_sent_to_12315(case):
    tmp, profile = case
    lid = _new_sent(profile, "settlement", "2026-11-21")
    r = run_cli("letters", "escalate", lid, profile, "--to", "12315", "--today", "2026-12-20")
    assert r.code == 2 and "12315" in r.err and "第3条" in r.err
    assert "labour-arbitration" in r.err
    for to, words in (("labour-arbitration", ["劳动争议调解仲裁法", "1 年", "劳动管理"]),
                      ("arbitration", ["仲裁法", "仲裁条款"]),
                      ("court", ["民法典", "3 年", "星光文化传媒"])):
        r = run_cli("letters", "escalate", lid, profile, "--to", to, "--today", "2026-12-20")
        assert r.code == 0, r.err
        stem = "escalation-" + to
        draft = (tmp / "letters" / lid / f"{stem}.md").read_text(encoding="utf-8")
        for word in words:
            assert word in draft, (to, word)
        assert "个人信息保护法》第50条起诉" not in draft  # not the PIPL lawsuit checklist


def test_a_platform_request_is_not_sent_to_labour_arbitration(case):
    tmp, profile = case
    lid = _new_sent(profile, "pi-copy", "2026-11-21")
    r = run_cli("letters", "escalate", lid, profile, "--to", "labour-arbitration",
                "--today", "2026-12-28")
    assert r.code == 2
    r = run_cli("letters", "escalate", lid, profile, "--to", "court", "--today", "2026-12-28")
    assert r.code == 0
    draft = (tmp / "letters" / lid / "escalation-court.md").read_text(encoding="utf-8")
    assert "第50条" in draft


def test_channels_are_rule_data_with_sources():
    from xiabo.letters.directory import CHANNEL_RULES
    from xiabo.rules import load_rulebook
    from xiabo.rules.quotes import check_citation

    book = load_rulebook(use_cache=False, use_env=False)
    for rid in CHANNEL_RULES.values():
        rule = book.rule(rid)
        assert rule.citations, rid
        if rule.verified:
            assert all(check_citation(c).status in ("found", "not_bundled")
                       for c in rule.citations), rid
    # 12315's own rule says what it takes, quoting Art. 3
    (cite,) = book.rule("common.letters.escalation.complaint_12315").citations
    assert cite["article"] == 3 and "消费者权益争议" in cite["quote"]


def test_a_letter_sent_on_2026_12_31_shows_a_provisional_due_date(case):
    tmp, profile = case
    r = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-12-31")
    lid = r.out.strip()
    draft = (tmp / "letters" / lid / "letter.md").read_text(encoding="utf-8")
    assert "2027年2月1日" in draft and "暂定：2027 年还没有官方放假安排" in draft
    r = run_cli("letters", "sent", lid, profile, "--on", "2026-12-31", "--today", "2026-12-31")
    assert r.code == 0 and "暂定" in r.out
    row = json.loads(run_cli("letters", "list", profile, "--today", "2027-01-02",
                             "--json").out)[0]
    assert row["due"] == "2027-02-01" and row["due_provisional"] is True
    assert "暂定" in run_cli("letters", "list", profile, "--today", "2027-01-02").out


def test_a_2027_calendar_overlay_makes_the_letter_final(case, monkeypatch):
    from pathlib import Path

    tmp, profile = case
    overlay = Path(__file__).parents[1] / "rules" / "fixtures" / "calendar_2027"
    r = run_cli("letters", "new", "pi-copy", profile, "--today", "2026-12-31", "--rules", overlay)
    assert r.code == 0, r.err
    lid = r.out.strip()
    draft = (tmp / "letters" / lid / "letter.md").read_text(encoding="utf-8")
    assert "2027年1月30日" in draft and "暂定" not in draft
