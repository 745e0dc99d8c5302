"""``xiabo done``: a task marked done in the profile file, its fact recorded, the file kept safe."""

from __future__ import annotations

import json

import yaml

from ..conftest import EXAMPLES


def _copy(tmp_path, name="kuaishou.yaml"):
    target = tmp_path / name
    target.write_text((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_done_records_progress_and_the_fact_keeping_comments(cli, tmp_path):
    prof = _copy(tmp_path)
    before = prof.read_text(encoding="utf-8")
    r = cli("done", "mcn-notice", str(prof), "--on", "2026-12-03", "--today", "2026-12-05")
    assert r.code == 0, r.err
    assert "2026-12-03" in r.out and "解约通知在 2026-12-03 寄出" in r.out and "contract." not in r.out and ".bak" in r.out
    after = prof.read_text(encoding="utf-8")
    assert "# 示例：快手百万粉丝主播" in after and "# none | same_platform" in after  # comments kept
    data = yaml.safe_load(after)
    assert str(data["progress"]["mcn-notice"]["done"]) == "2026-12-03"
    assert str(data["contract"]["notice_sent_on"]) == "2026-12-03"
    assert data["contract"]["penalty_cny"] == 200000  # the rest untouched
    assert (tmp_path / "kuaishou.yaml.bak").read_text(encoding="utf-8") == before
    # the plan now dates the termination from the notice (30 days, 民法典 201/203)
    plan = json.loads(cli("plan", str(prof), "--today", "2026-12-05", "--format", "json").out)
    assert plan["milestones"]["mcn_termination"] == "2027-01-04"
    # undo takes both back
    r = cli("done", "mcn-notice", str(prof), "--undo", "--today", "2026-12-05")
    assert r.code == 0, r.err
    data = yaml.safe_load(prof.read_text(encoding="utf-8"))
    assert "progress" not in data and "notice_sent_on" not in data["contract"]


def test_last_live_and_deletion_record_their_facts(cli, tmp_path):
    prof = _copy(tmp_path)
    assert cli("done", "last-live", str(prof), "--today", "2026-12-20").code == 0
    assert cli("done", "apply-deletion", str(prof), "--on", "2026-12-21",
               "--today", "2026-12-21").code == 0
    data = yaml.safe_load(prof.read_text(encoding="utf-8"))
    assert str(data["last_live_on"]) == "2026-12-20"
    assert str(data["account"]["deletion_applied_on"]) == "2026-12-21"
    plan = json.loads(cli("plan", str(prof), "--today", "2026-12-22", "--format", "json").out)
    assert plan["milestones"]["transition_end"] == "2027-01-04"
    assert plan["milestones"]["deletion_complete"] == "2026-12-28"


def test_a_future_date_or_unknown_task_is_refused_and_nothing_changes(cli, tmp_path):
    prof = _copy(tmp_path)
    before = prof.read_bytes()
    r = cli("done", "mcn-notice", str(prof), "--on", "2026-12-09", "--today", "2026-12-05")
    assert r.code == 2 and "2026-12-09" in r.err and "今天" in r.err and "--on" in r.err
    r = cli("done", "no-such-task", str(prof), "--today", "2026-12-05", "--lang", "en")
    assert r.code == 2 and "no-such-task" in r.err and "Traceback" not in r.err
    assert prof.read_bytes() == before and not (tmp_path / "kuaishou.yaml.bak").exists()


def test_json_profile(cli, tmp_path):
    prof = tmp_path / "p.json"
    data = yaml.safe_load((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"))
    prof.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    r = cli("done", "evidence-setup", str(prof), "--on", "2026-12-01", "--today", "2026-12-02")
    assert r.code == 0, r.err
    saved = json.loads(prof.read_text(encoding="utf-8"))
    assert saved["progress"] == {"evidence-setup": {"done": "2026-12-01"}}


def test_plan_against_a_saved_baseline(cli, tmp_path):
    base = tmp_path / "base.json"
    example = str(EXAMPLES / "kuaishou.yaml")
    assert cli("plan", example, "--today", "2026-12-01", "--save-json", str(base)).code == 0
    r = cli("plan", example, "--today", "2027-01-10", "--baseline", str(base))
    assert r.code == 0, r.err
    head = r.out.splitlines()[:4]
    assert any(line.startswith("比原计划晚 ") and "项还没办完、已晚于原计划" in line for line in head), head
    assert "〔比原计划晚 " in r.out and "〔逾期 " not in r.out  # no real deadline has passed
    r = cli("plan", example, "--baseline", str(tmp_path / "none.json"))
    assert r.code == 2 and "--baseline" in r.err
