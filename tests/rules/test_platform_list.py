"""Platforms are one list, in the rule packs: a platform that exists only as files under tests/
is planned, named, listed and parsed everywhere, with no code naming it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.helpers import base_profile
from xiabo.money.amounts import parse_platform
from xiabo.rules import load_rulebook

PACK = Path(__file__).resolve().parents[1] / "fixtures" / "rules" / "ceshi"
SRC = Path(__file__).resolve().parents[2] / "src" / "xiabo"


@pytest.fixture
def book():
    return load_rulebook([PACK])


def test_the_pack_adds_the_platform_with_its_names(book):
    assert "ceshi" in book.platform_ids()
    assert parse_platform("测试台", book) == parse_platform("测试直播", book) == "ceshi"
    assert parse_platform("快手", book) == "kuaishou" and parse_platform("KS", book) == "kuaishou"
    assert parse_platform("某个没有的平台", book) == "某个没有的平台"  # the caller refuses it


def test_the_cli_plans_it_in_its_own_words(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    profile = tmp_path / "profile.yaml"
    profile.write_text(json.dumps(base_profile(platform="ceshi"), ensure_ascii=False), "utf-8")
    r = run_cli("plan", profile, "--rules", PACK, "--today", "2026-12-01", "--format", "json")
    assert r.code == 0, r.err
    plan = json.loads(r.out)
    assert plan["platform"] == "ceshi"
    review = next(t for t in plan["tasks"] if t["id"] == "deletion-review")
    assert (date.fromisoformat(review["due"]) - date.fromisoformat(review["start"])).days + 1 \
        in (11, 12)  # the pack's 11 natural days, counted as the planner counts them
    text = run_cli("plan", profile, "--rules", PACK, "--today", "2026-12-01")
    assert text.code == 0 and "测试直播" in text.out
    en = run_cli("plan", profile, "--rules", PACK, "--today", "2026-12-01", "--lang", "en")
    assert "Test Live" in en.out


def test_the_comparison_and_the_refusals_list_it(tmp_path):
    r = run_cli("rules", "compare", "--rules", PACK)
    assert r.code == 0 and "测试直播" in r.out
    profile = tmp_path / "p.yaml"
    profile.write_text(json.dumps(base_profile(platform="nowhere")), "utf-8")
    bad = run_cli("plan", profile, "--rules", PACK)
    assert bad.code == 2 and "ceshi" in bad.err and "kuaishou" in bad.err


def test_no_code_names_the_platforms():
    """The platform ids are written in the rule packs (and their words in the catalogues) only:
    no module of the code lists them."""
    from xiabo.export.announcements import _CHANNEL_NAMES

    # 抖音, B站 and 小红书 are also announcement channels: the channel list names them as channels
    ids = [p for p in load_rulebook().platform_ids() if p not in _CHANNEL_NAMES]
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named = [p for p in ids if f'"{p}"' in text or f"'{p}'" in text]
        if len(named) >= 2:  # a list of them (one id as an example value is fine)
            offenders.append(f"{path.relative_to(SRC)}: {named}")
    assert offenders == []
