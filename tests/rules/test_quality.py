"""Source quality on every rule, and "unknown stays unknown": a value no source gives is null
with a check text, and every front end shows that text, never a number, None or null."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import yaml

import xiabo
from tests.conftest import run_cli
from tests.helpers import base_profile
from xiabo.errors import UserError
from xiabo.rules import QUALITIES, load_rulebook
from xiabo.rules.loader import BUILTIN_PACKS, load_pack_files

BOOK = load_rulebook()
NEW = ("douyu", "huya", "bilibili", "yy", "shipinhao", "xiaohongshu", "tiktok", "youtube")
TODAY = date(2026, 12, 7)
UNKNOWN = {"zh": "未知——请在应用里查看", "en": "unknown — check in the app"}
WORDS = {"zh": ("官方原文", "官方原文（转载）", "二手资料", UNKNOWN["zh"]),
         "en": ("official text", "official text (copy)", "secondary source", UNKNOWN["en"])}
# what the planner asks every platform for (roadmap.engine.REQUIRED_KEYS) that is the
# platform's own fact, not a common rule: each new pack says it itself (value or unknown)
OWN_KEYS = ("deletion.review_days", "deletion.balance_requirement",
            "deletion.identity_verification", "deletion.path", "data.recordings.method",
            "data.fan_profile.method", "data.sales.method", "fans.customer_service_account",
            "finance.diamond_value_cny")


def _raw_rules():
    for path in sorted(BUILTIN_PACKS.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in doc.get("rules", []):
            yield path, raw


def test_every_builtin_rule_says_its_source_and_quality():
    seen = 0
    for path, raw in _raw_rules():
        seen += 1
        where = f"{path.relative_to(BUILTIN_PACKS)}: {raw['id']}"
        assert raw.get("quality") in QUALITIES, where
        assert raw["source"] in ("guide", "law", "practice") and raw["reference"].strip(), where
        nulls = [v is None for v in raw["values"].values()]
        if raw["quality"] == "unknown":
            assert raw["check"]["zh"].strip() and raw["check"]["en"].strip(), where
            assert all(nulls), where  # unknown: no guessed value
        else:
            assert not any(nulls), where
        if raw["source"] == "guide":
            assert raw["quality"] == "secondary", where  # the guide is a third party's article
        if raw["source"] == "law" and raw["id"].startswith("common."):
            assert raw["quality"] == "official", where
    assert seen > 300


def test_the_new_platforms_are_their_own_packs():
    assert BOOK.platform_ids()[:11] == ["kuaishou", "douyin", "taobao", *NEW]
    for pid in NEW:
        meta = BOOK.platforms[pid]
        assert meta.extends is None, pid  # nothing of 快手's numbers borrowed
        view = BOOK.platform(pid)
        for key in OWN_KEYS:
            assert view.rule(key).id == f"{pid}.{key}", (pid, key)
    for pid, names in (("bilibili", ("b站", "哔哩哔哩")), ("xiaohongshu", ("小红书", "xhs", "red")),
                       ("youtube", ("油管", "youtube")), ("shipinhao", ("视频号", "微信视频号"))):
        assert set(names) <= BOOK.platforms[pid].names()
    owners: dict[str, str] = {}  # a name people type means one platform only
    for meta in BOOK.platforms.values():
        for name in meta.names():
            assert owners.setdefault(name, meta.id) == meta.id, name


def test_the_overseas_facts_carry_their_sources():
    yt, tt = BOOK.platform("youtube"), BOOK.platform("tiktok")
    share = yt.rule("finance.revenue_share")
    assert share.value_at(TODAY) == "0.70" and share.quality == "official" and "7288782" in share.reference
    gifts = tt.rule("finance.revenue_share")
    assert gifts.value_at(TODAY) == "0.50" and gifts.quality == "secondary"
    assert tt.rule("deletion.reactivation_days").value_at(TODAY) == 30
    assert tt.value("finance.foreign_income", TODAY) is True and yt.value("finance.foreign_income", TODAY) is True
    filing = BOOK.rule("common.tax.foreign_income_filing")
    assert filing.quality == "official" and {c["article"] for c in filing.citations} >= {1, 7, 10, 13}


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "x" / "p.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


RULE = """rules:
  - id: douyu.deletion.extra
    title: {{zh: 测试, en: Test}}
    values: {{2026-12-07: {value}}}
    unit: natural_days
    source: practice
    reference: 测试
    last_verified: 2026-12-07
    verified: false
{more}"""


def test_unknown_needs_a_check_and_null_needs_unknown(tmp_path):
    with pytest.raises(UserError) as err:  # unknown without saying what to check
        load_pack_files([_write(tmp_path, RULE.format(value="null", more="    quality: unknown\n"))])
    assert "check" in str(err.value.params) or "check" in str(err.value)
    with pytest.raises(UserError) as err:  # a null value that does not say it is unknown
        load_pack_files([_write(tmp_path, RULE.format(value="null", more="    quality: secondary\n"))])
    assert err.value.key == "rules.null_value"
    rules, _ = load_pack_files([_write(tmp_path, RULE.format(
        value="null", more="    quality: unknown\n    check: {zh: 去设置里看, en: look in Settings}\n"))])
    rule = rules["douyu.deletion.extra"]
    assert rule.unknown and rule.value_at(TODAY)["zh"] == "去设置里看"
    r = run_cli("rules", "check", str(tmp_path / "x"))
    assert r.code == 0, r.err


@pytest.mark.parametrize("pid", NEW)
def test_every_unknown_renders_as_what_to_check(pid, tmp_path):
    from xiabo import export
    from xiabo.roadmap.render import to_text

    data = base_profile(platform=pid, start="2026-12-07")
    for lang in ("zh", "en"):
        plan = xiabo.plan(data, today=TODAY, rules=BOOK, lang=lang)
        unknown = [r for r in plan.rules_used if r.quality == "unknown"]
        text = to_text(plan, sources=True)
        doc = json.dumps(plan.to_dict(), ensure_ascii=False)
        ics = export.ics(plan).decode("utf-8")
        book = openpyxl.load_workbook(io.BytesIO(export.xlsx(plan)))
        sheets = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                          for c in row if c.value is not None)
        for out in (text, doc, ics.replace("\r\n ", ""), sheets):
            assert "None" not in out and "{'unknown'" not in out
        assert "null" not in text
        parsed = json.loads(doc)
        assert all(isinstance(v, str) and v for v in parsed["figures"].values())
        for use in parsed["rules_used"]:
            if use["quality"] == "unknown":  # words in both languages, not null
                assert use["value"]["unknown"] is True and use["value"][lang].strip()
        for rule in unknown:  # each unknown the plan rests on is shown as its check words
            check = BOOK.rules[rule.id].check[lang].rstrip("。. ")
            assert check in text, (rule.id, lang)
            assert check in doc
        if unknown:
            assert UNKNOWN[lang] in text and UNKNOWN[lang] in sheets
        review = next(t for t in plan.tasks if t.id == "deletion-review")
        if BOOK.platform(pid).rule("deletion.review_days").unknown:
            assert UNKNOWN[lang] in " ".join(review.steps) and (review.due - review.start).days == 0
            assert UNKNOWN[lang] in ics.replace("\r\n ", "")


def test_compare_has_eleven_columns_with_quality_words():
    for lang in ("zh", "en"):
        r = run_cli("rules", "compare", "--format", "json", "--lang", lang)
        assert r.code == 0, r.err
        tables = json.loads(r.out)
        assert len(tables) == 3
        for table in tables:
            assert len(table["columns"]) == 12
            for row, rules, qualities in zip(table["rows"], table["rules"], table["qualities"]):
                for cell, rid, quality in zip(row[1:], rules[1:], qualities[1:]):
                    if rid:
                        assert any(w in cell for w in WORDS[lang]), (rid, cell)
                        assert quality in QUALITIES
                    assert "None" not in cell and "{'" not in cell


def test_compare_text_fits_the_width_and_chooses_columns():
    from xiabo.export.common import display_width

    r = run_cli("rules", "compare", "--width", "80")
    assert r.code == 0, r.err
    assert max(display_width(line) for line in r.out.splitlines()) <= 80
    for name in ("斗鱼直播", "YouTube Live", "微信视频号直播", "TikTok LIVE"):
        assert name in r.out
    two = run_cli("rules", "compare", "--platforms", "斗鱼,油管", "--width", "100")
    assert two.code == 0 and "斗鱼直播" in two.out and "YouTube Live" in two.out
    assert "快手直播" not in two.out and UNKNOWN["zh"] in two.out
    bad = run_cli("rules", "compare", "--platforms", "斗鱼,不存在")
    assert bad.code == 2 and "Traceback" not in bad.err


def test_examples_plan_for_every_new_platform():
    root = Path(__file__).resolve().parents[2] / "examples"
    for pid in NEW:
        r = run_cli("plan", str(root / f"{pid}.yaml"), "--today", "2026-12-07")
        assert r.code == 0, (pid, r.err)
        assert BOOK.platforms[pid].name["zh"] in r.out
        assert "None" not in r.out and "null" not in r.out


def test_web_case_money_shows_the_check_words(tmp_path):
    """The money figures a pack cannot compute read as what to check on the case page."""
    from xiabo.money.settlement import figures

    out = figures(BOOK, "douyu", TODAY, __import__("decimal").Decimal("100"), 500, 0)
    assert out["gift_share_cny"]["unknown"] is True
    from xiabo.web.cases.view import _figure

    plan = xiabo.plan(base_profile(platform="douyu"), today=TODAY, rules=BOOK)
    shown = _figure("gift_share_cny", plan.figures["gift_share_cny"], "zh")
    assert shown.startswith(UNKNOWN["zh"]) and "元" not in shown[-2:]
