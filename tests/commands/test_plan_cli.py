import json
import subprocess
import sys

import jsonschema
import pytest

from ..conftest import EXAMPLES, ROOT
from ..helpers import base_profile

SCHEMA = json.loads((ROOT / "docs" / "plan-schema.json").read_text(encoding="utf-8"))
EXAMPLE = str(EXAMPLES / "kuaishou.yaml")


def test_text_roadmap_reads_by_urgency(cli):
    r = cli("plan", EXAMPLE, "--today", "2026-11-25")
    assert r.code == 0, r.err
    out = r.out
    assert out.index("现在挡住注销的事") < out.index("关键日期") < out.index("钱和风险") < out.index("第 1 周")
    # the largest stake first: the ¥200,000 penalty before the 20 % vs statutory tax difference
    assert out.index("违约金 200,000.00 元") < out.index("攻略说提现要缴 20%") < out.index("第 1 周")
    assert "2027-02-08  注销完成" in out
    assert "提现个税（攻略按20%）：2,400 元" in out
    assert "税法计算方式：累计预扣法" in out
    # sources are one line at the end; ids only when asked for
    assert out.rstrip().splitlines()[-1].endswith("加 --sources 逐条查看出处。")
    assert "common.finance.withholding_rate" not in out and "#mcn-notice" not in out


def test_sources_are_sentences(cli):
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--sources")
    assert r.code == 0, r.err
    tail = r.out[r.out.index("■ 规则来源"):]
    assert "书面通知解约的提前天数：30 个自然日。出处：攻略 §三「需提前30天书面通知解除协议」（未核实）。" in tail
    assert "解决账号状态问题　预计用时：7 个工作日" in tail
    assert "不超过 36,000 元　税率：3%　速算扣除数：0 元" in tail
    assert "{'" not in tail and "True" not in tail and "None" not in tail and "common." not in tail
    v = cli("plan", EXAMPLE, "--today", "2026-11-25", "--sources", "--verbose")
    assert "[common.contract.notice_days]" in v.out and "#mcn-notice" in v.out


def test_json_matches_schema_and_is_deterministic(cli):
    a = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "json")
    b = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "json")
    assert a.code == 0 and a.out == b.out
    data = json.loads(a.out)
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "xiabo.plan/1" and data["today"] == "2026-11-25"
    assert data["milestones"]["deletion_complete"] == "2027-02-08"
    assert data["figures"]["withdrawal_tax_cny"] == "2400.00"


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_plans_in_both_languages(cli, path):
    for lang in ("zh", "en"):
        r = cli("plan", str(path), "--today", "2026-11-25", "--format", "json", "--lang", lang)
        assert r.code == 0, r.err
        jsonschema.validate(json.loads(r.out), SCHEMA)


def test_markdown_and_english(cli):
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--format", "md", "--lang", "en")
    assert r.code == 0 and r.out.startswith("# Exit roadmap for 小美的直播间 (Kuaishou Live)")
    assert "| Tax on withdrawal (guide, 20%) | 2,400 yuan |" in r.out
    assert r.out.index("## Money and risks") < r.out.index("## Week 1")


def test_save_json(cli, tmp_path):
    target = tmp_path / "plan.json"
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--save-json", str(target))
    assert r.code == 0 and json.loads(target.read_text(encoding="utf-8"))["name"] == "小美的直播间"


@pytest.mark.parametrize("args,needle", [
    (["plan", "missing.yaml"], "missing.yaml"),
    (["plan", EXAMPLE, "--today", "2026-02-30"], "--today"),
    (["plan", EXAMPLE, "--rules", "/nonexistent/rules"], "/nonexistent/rules"),
])
def test_bad_input_exits_2_without_traceback(cli, args, needle):
    r = cli(*args)
    assert r.code == 2 and needle in r.err and "Traceback" not in r.err


def test_unknown_platform(cli, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nplatform: weishi\n", encoding="utf-8")
    before = path.read_bytes()
    r = cli("plan", str(path))
    assert r.code == 2 and "weishi" in r.err and "kuaishou" in r.err and "platform" in r.err
    assert path.read_bytes() == before
    r = cli("plan", str(path), "--lang", "en")
    assert "Unknown platform" in r.err


def test_negative_number_message_in_english(cli, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nplatform: kuaishou\nmoney: {balance_cny: -5}\n", encoding="utf-8")
    r = cli("plan", str(path), "--lang", "en")
    assert r.code == 2 and "money.balance_cny" in r.err and "positive" in r.err


def test_broken_overlay_is_refused(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: x\n    oops: 1\n", encoding="utf-8")
    r = cli("plan", EXAMPLE, "--rules", str(tmp_path))
    assert r.code == 2 and "bad.yaml" in r.err


def test_batch_reports_bad_lines_and_continues(cli, tmp_path):
    src = tmp_path / "in.jsonl"
    good = json.dumps(base_profile(), ensure_ascii=False)
    bad = json.dumps(base_profile(followers=-3), ensure_ascii=False)
    src.write_text("\n".join([good, "{not json", bad, good]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = cli("plan", "--batch", str(src), "--out", str(out), "--today", "2026-11-25")
    assert r.code == 2
    assert "第 2 行" in r.err and "第 3 行" in r.err and "followers" in r.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["line"] for row in rows] == [1, 4]
    jsonschema.validate(rows[0]["plan"], SCHEMA)


def test_python_m_and_help_subprocess():
    r = subprocess.run([sys.executable, "-m", "xiabo", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "plan" in r.stdout and "rules" in r.stdout


def test_broken_overlay_fallback_only_when_asked(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  - id: x\n    oops: 1\n", encoding="utf-8")
    r = cli("plan", EXAMPLE, "--today", "2026-11-25", "--rules", str(tmp_path),
            "--builtin-rules-on-error", "--format", "json")
    assert r.code == 0 and "bad.yaml" in r.err and "内置规则" in r.err
    assert json.loads(r.out)["overlays"] == []
