"""Every letter renders for every example profile in zh and en; blanks are marked and listed."""

from __future__ import annotations

import re
from datetime import date

import pytest

import xiabo
from tests.conftest import EXAMPLES
from xiabo.errors import UserError
from xiabo.export.letter import BLANK_RE
from xiabo.letters.model import AGENCY_KINDS, KINDS, Letter, kind_row
from xiabo.letters.render import blanks, render_escalation, render_followup, render_letter, to_docx
from xiabo.roadmap.profile import Guild
from xiabo.rules import load_rulebook

TODAY = date(2026, 12, 1)
BOOK = load_rulebook()
PROFILES = {p.stem: xiabo.load_profile(p) for p in sorted(EXAMPLES.glob("*.yaml"))}
# what must never reach a letter: Python values, template syntax, raw rule words
LEAKS = re.compile(r"None|\{\{|\}\}|\{%|True|False|RuleValue|\bnan\b")


def _check(markdown: str, lang: str) -> None:
    assert not LEAKS.search(BLANK_RE.sub("", markdown)), LEAKS.search(markdown)
    marker = "【待填写：" if lang == "zh" else "[TO FILL IN: "
    # every blank is the full marked form; none is half-open
    assert markdown.count(marker) == len(BLANK_RE.findall(markdown))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", sorted(PROFILES))
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_for_every_example(kind, example, lang):
    profile = PROFILES[example]
    if kind_row(kind).get("needs") == "guild":  # the guild exit's letters: a guild, not a contract
        if not profile.guild.bound:
            with pytest.raises(UserError) as exc:
                render_letter(kind, profile, BOOK, today=TODAY, lang=lang)
            assert exc.value.key == "letters.err.no_guild"
            profile = profile.model_copy(update={"guild": Guild(bound=True, name="星光公会")})
    elif kind in AGENCY_KINDS and not profile.contract.signed:
        with pytest.raises(UserError) as exc:
            render_letter(kind, profile, BOOK, today=TODAY, lang=lang)
        assert exc.value.key == "letters.err.no_contract"
        return
    markdown = render_letter(kind, profile, BOOK, today=TODAY, lang=lang)
    _check(markdown, lang)
    assert profile.name in markdown
    found = blanks(markdown)
    assert found and len(found) == len(set(found))
    assert all(b.startswith("【待填写：" if lang == "zh" else "[TO FILL IN: ") for b in found)
    docx = to_docx(markdown, lang, "x", TODAY)
    assert docx[:2] == b"PK"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("example", sorted(PROFILES))
def test_followups_and_escalations_render_with_history(example, lang):
    profile = PROFILES[example]
    for kind in ("pi-copy", "settlement"):
        if kind in AGENCY_KINDS and not profile.contract.signed:
            continue
        letter = Letter(f"{kind}-1", kind, lang, profile.platform, profile.name, TODAY,
                        state="sent", sent_on=TODAY, via="post", tracking="EMS1234567",
                        due=date(2026, 12, 31))
        from xiabo.letters.model import Event

        letter.events = [Event("drafted", TODAY), Event("sent", TODAY, "post", "EMS1234567",
                                                          evidence=[3, 4])]
        letter.documents = [{"name": "letter.md", "role": "letter", "sha256": "ab" * 32}]
        today = date(2027, 1, 20)
        md = render_followup(letter, profile, BOOK, today=today, lang=lang)
        _check(md, lang)
        assert "EMS1234567" in md and ("20" in md)
        for to in ("12315", "12377", "court"):
            md = render_escalation(letter, to, profile, BOOK, today=today, lang=lang)
            _check(md, lang)
            assert "EMS1234567" in md and "#3" in md and "letter.md" in md


def test_penalty_letter_reports_court_practice_as_information():
    profile = PROFILES["taobao"]
    zh = render_letter("penalty", profile, BOOK, today=TODAY, lang="zh")
    assert "9,784,573" in zh and "600,000" in zh and "30%" in zh
    assert "不代表本案结果" in zh and "并不是对任何结果的预测或承诺" in zh
    assert "500,000.00" in zh  # the contract's agreed penalty
    en = render_letter("penalty", profile, BOOK, today=TODAY, lang="en")
    assert "not a forecast" in en and "not to predict or promise" in en


def test_pi_copy_lists_every_category_from_the_rule():
    categories = BOOK.rule("common.letters.pi_copy_categories").value_at(TODAY)
    md = render_letter("pi-copy", PROFILES["douyin"], BOOK, today=TODAY, lang="zh")
    for item in categories:
        assert item["zh"] in md
    assert "第45条" in md and "GB/T 35273-2020" in md and "2026年12月31日" in md


def test_transfer_cites_the_regulation_conditions():
    md = render_letter("pi-transfer", PROFILES["kuaishou"], BOOK, today=TODAY, lang="zh")
    assert "网络数据安全管理条例" in md and "技术可行性" in md


def test_unknown_directory_values_say_what_is_unknown_and_where_to_look():
    md = render_letter("pi-deletion", PROFILES["kuaishou"], BOOK, today=TODAY, lang="zh")
    assert "地址：还不知道，请查平台《隐私政策》里的「如何联系我们」" in md
    assert "难度：还没有人记录过难度" in md and "未知" not in md
    en = render_letter("pi-deletion", PROFILES["kuaishou"], BOOK, today=TODAY, lang="en")
    assert "Address: not known yet: see the" in en and "unknown" not in en
