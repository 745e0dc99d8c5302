"""The announcement kit: every piece for every example profile fits its channel's limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiabo import export
from xiabo.export.announcements import PIECES, kit_pieces
from xiabo.export.common import fmt_md
from xiabo.export.textlen import count
from xiabo.rules import is_unknown, load_rulebook

from .conftest import EXAMPLES, make_plan

PROFILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def plans():
    import xiabo

    out = {}
    for path in PROFILES:
        profile = xiabo.load_profile(path)
        for lang in ("zh", "en"):
            out[(path.stem, lang)] = (profile, make_plan(profile, lang))
    return out


@pytest.mark.parametrize("tone", ["warm", "formal"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_every_piece_fits_its_limit(plans, path, lang, tone):
    profile, plan = plans[(path.stem, lang)]
    view = load_rulebook().platform(plan.platform)
    pieces = kit_pieces(plan, profile, tone)
    ids = [p.id for p in pieces]
    assert {"live_script", "pinned_caption", "auto_reply"} <= set(ids)
    assert ("weibo_long" in ids) == ("weibo" in profile.channels)
    assert ("weibo_short" in ids) == ("weibo" in profile.channels)
    assert ("wechat_article" in ids) == ("wechat_official" in profile.channels)
    assert ("xiaohongshu_note" in ids) == ("xiaohongshu" in profile.channels)
    for piece in pieces:
        assert not piece.cut, (piece.id, piece.parts)
        for part in piece.parts:
            limit = view.value(part.rule, plan.start)
            limit = None if is_unknown(limit) else limit  # no published limit: not judged
            assert part.limit == limit
            assert limit is None or part.length <= limit, (piece.id, part)
        if len(piece.parts) == 1 and piece.parts[0].limit is not None:  # independent re-count
            method = piece.parts[0].method
            assert count(piece.text.strip(), method) <= piece.parts[0].limit
        assert "{{" not in piece.text and "{%" not in piece.text


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_dates_and_customer_service_filled_in(plans, path):
    profile, plan = plans[(path.stem, "zh")]
    view = load_rulebook().platform(plan.platform)
    cs = view.value("fans.customer_service_account", plan.start)
    texts = export.kit(plan, profile)
    last = fmt_md(plan.milestones["last_live"], "zh")
    if isinstance(cs, dict) and cs.get("unknown"):  # the pack does not know the account:
        assert "平台官方客服" in texts["pinned_caption"]  # fans read words, not the check text
        assert not any("未知" in text or "应用里查看" in text for text in texts.values())
    else:
        assert cs.startswith("@") and cs in texts["pinned_caption"]
    assert last in texts["pinned_caption"] and last in texts["live_script"]
    assert last in texts["auto_reply"]
    if plan.delete_account:
        assert fmt_md(plan.milestones["deletion_apply"], "zh") in texts["live_script"]
    else:
        assert "注销" not in texts["live_script"]
    assert "【待填写：" in texts["live_script"]  # the reason is the streamer's to say
    if "weibo_short" in texts:
        assert count(texts["weibo_short"].strip(), "weibo") <= 140


def test_tones_differ(plans):
    profile, plan = plans[("kuaishou", "zh")]
    warm, formal = export.kit(plan, profile, "warm"), export.kit(plan, profile, "formal")
    assert warm["live_script"] != formal["live_script"]
    assert "家人们" in warm["live_script"] and "各位观众朋友" in formal["live_script"]


def test_long_name_still_fits(plans):
    import yaml

    from xiabo.roadmap.profile import profile_from_dict

    data = yaml.safe_load((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"))
    data["name"] = "超长的直播间名字" * 20
    profile = profile_from_dict(data)
    plan = make_plan(profile)
    for piece in kit_pieces(plan, profile):
        assert piece.fits, piece.id
    short = next(p for p in kit_pieces(plan, profile) if p.id == "weibo_short")
    assert short.short >= 1 and not short.cut


def test_bad_tone_is_user_error(plans):
    from xiabo.errors import UserError

    profile, plan = plans[("kuaishou", "zh")]
    with pytest.raises(UserError):
        export.kit(plan, profile, "angry")


def test_counting_methods():
    assert count("你好ab", "chars") == 4
    assert count("你好ab", "weibo") == 3          # two CJK + two half-width halves
    assert count("你好a", "weibo") == 3           # 2.5 rounds up
    assert count("你好ab", "wide2") == 6
    assert count("Hello, world! 你好", "words") == 4
    assert count("e\u0301", "chars") == 1           # NFC: é is one character


@given(st.text(max_size=200))
def test_counting_properties(text):
    chars, weibo, wide = count(text, "chars"), count(text, "weibo"), count(text, "wide2")
    assert (chars + 1) // 2 <= weibo <= chars
    assert chars <= wide <= 2 * chars
    assert weibo == -(-wide // 2)


def test_channel_rules_are_sourced_and_unverified():
    book = load_rulebook()
    ids = [r for r in book.rules if r.startswith("common.channels.")]
    used = {rule for _, _, parts in PIECES.values() for _, rule, _ in parts}
    assert {f"common.{r}" for r in used} <= set(ids)
    for rid in ids:
        rule = book.rule(rid)
        assert rule.source == "practice" and rule.verified is False
        assert rule.note and "计数" in rule.note["zh"] and "ount" in rule.note["en"]
        assert rule.reference


def test_wechat_article_pastes_as_text_and_xiaohongshu_is_written(plans, tmp_path):
    """The article's Markdown stays a file; what the page shows and the .txt beside it paste
    into the WeChat editor without # > ** marks. A profile with 小红书 gets its note."""
    profile, plan = plans[("kuaishou", "zh")]
    profile = profile.model_copy(update={"channels": ("wechat_official", "xiaohongshu")})
    pieces = {p.id: p for p in kit_pieces(plan, profile, "warm")}
    article = pieces["wechat_article"]
    assert article.text.startswith("# ") and "\n> " in article.text  # the Markdown file
    paste = article.paste
    assert not any(line.startswith(("#", ">")) for line in paste.splitlines())
    assert "**" not in paste and paste.startswith("标题（填在公众号编辑器的标题栏）：")
    assert "谢谢你们" in paste and "· " in paste
    note = pieces["xiaohongshu_note"]
    assert note.text.splitlines()[0] == "告别直播，谢谢你们" and "小红书" in note.text
    written = export.write_all(plan, profile, tmp_path, only=["kit"])
    names = {p.name for p in written}
    assert {"公众号文章.md", "公众号文章（直接粘贴）.txt", "小红书笔记.txt"} <= names
    assert (tmp_path / "announcements" / "公众号文章（直接粘贴）.txt").read_text(
        encoding="utf-8") == paste
