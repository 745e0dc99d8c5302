"""抖音 / B站 / 视频号 announcements: every channel the plan tells the streamer to announce on
has its text in the export folder, in that platform's form and within its published limit."""

from __future__ import annotations

import pytest

from xiabo import export
from xiabo.export.announcements import PIECES, kit_pieces
from xiabo.export.common import file_name
from xiabo.export.textlen import count
from xiabo.rules import is_unknown, load_rulebook

from .conftest import make_plan

ALL = ("weibo", "wechat_official", "xiaohongshu", "douyin", "bilibili", "wechat_channels")


def _pieces_for(channel: str) -> set[str]:
    return {pid for pid, (_, needed, _) in PIECES.items() if needed == channel}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("channels", [ALL, ("douyin",), ("bilibili", "wechat_channels"),
                                      ("douyin", "other")])
def test_every_announcement_task_has_its_export(ks_profile, tmp_path, lang, channels):
    profile = ks_profile.model_copy(update={"channels": channels})
    plan = make_plan(profile, lang)
    announced = {t.id.removeprefix("announce-") for t in plan.tasks
                 if t.id.startswith("announce-")}
    assert announced == set(channels)
    export.write_all(plan, profile, tmp_path, only=["kit"])
    folder = tmp_path / file_name("kit_dir", lang)
    written = {p.name for p in folder.iterdir()}
    for channel in announced - {"other"}:  # "other": no platform form to write for
        ids = _pieces_for(channel)
        assert ids, channel
        for pid in ids:
            assert file_name(f"kit.{pid}", lang) in written, (channel, pid)
    # and nothing for a channel the plan does not mention
    for channel in set(ALL) - announced:
        for pid in _pieces_for(channel):
            assert file_name(f"kit.{pid}", lang) not in written


@pytest.mark.parametrize("tone", ["warm", "formal"])
def test_platform_forms_and_limits(ks_profile, tone):
    profile = ks_profile.model_copy(update={"channels": ("douyin", "bilibili",
                                                         "wechat_channels")})
    plan = make_plan(profile, "zh")
    view = load_rulebook().platform(plan.platform)
    pieces = {p.id: p for p in kit_pieces(plan, profile, tone)}
    douyin = pieces["douyin_post"]
    caption_max = view.value("channels.video_caption_max_chars", plan.start)
    assert isinstance(caption_max, int)
    assert count(douyin.text.strip()) <= caption_max and not douyin.cut
    assert "#" in douyin.text and douyin.text.count("\n") == 1  # one caption line + 话题
    assert plan.platform_name in douyin.text or douyin.short > 0
    # B站 and 视频号 publish no limit: the rule says so (unknown, with what to check), the
    # length is reported only
    for pid, rule in (("bilibili_dynamic", "channels.bilibili_dynamic_max_chars"),
                      ("wechat_channels_post", "channels.wechat_channels_post_max_chars")):
        assert is_unknown(view.value(rule, plan.start))
        part = pieces[pid].parts[0]
        assert part.limit is None and part.fits and part.length == count(pieces[pid].text.strip())
        assert not pieces[pid].cut
    assert "B站" in pieces["bilibili_dynamic"].text
    assert "视频号" in pieces["wechat_channels_post"].text
    assert "#" in pieces["wechat_channels_post"].text


def test_unknown_limit_rules_say_so():
    book = load_rulebook()
    for rid in ("common.channels.bilibili_dynamic_max_chars",
                "common.channels.wechat_channels_post_max_chars"):
        rule = book.rule(rid)
        assert is_unknown(rule.value_at(rule.last_verified)) and rule.quality == "unknown"
        assert "上限不详" in rule.reference and "unknown" in rule.note["en"]
        assert "粘贴" in rule.check["zh"]  # what to look at instead of a number


def test_cli_reports_an_unknown_limit_in_words(ks_profile, tmp_path):
    from click.testing import CliRunner

    from xiabo.cli import main

    profile = ks_profile.model_copy(update={"channels": ("bilibili",)})
    path = tmp_path / "p.yaml"
    import yaml

    path.write_text(yaml.safe_dump(profile.model_dump(mode="json"), allow_unicode=True),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", str(path), "--out", str(out), "--only", "kit",
                                       "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "B站动态.txt" in x)
    assert "平台未公开字数上限" in line and "None" not in line
