"""``xiabo export``: writes what it says, refuses bad input with exit 2, never touches the profile."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .conftest import EXAMPLES, font_available


def _copy_profile(tmp_path, name="kuaishou.yaml"):
    dst = tmp_path / name
    shutil.copy(EXAMPLES / name, dst)
    return dst


def test_only_ics_xlsx_kit(cli, tmp_path):
    profile = _copy_profile(tmp_path)
    before = profile.read_bytes()
    out = tmp_path / "导出"
    r = cli("export", profile, "--out", out, "--today", "2026-11-25", "--only", "ics,xlsx,kit")
    assert r.code == 0, r.err
    assert "已写入" in r.out and "roadmap.ics" in r.out and "置顶短视频文案.txt" in r.out
    assert "47/55" in r.out or "/55" in r.out
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "roadmap.ics" in names and "roadmap.xlsx" in names
    assert "announcements/私信自动回复.txt" in names
    assert "roadmap.pdf" not in names and "解约通知函.docx" not in names
    assert not [n for n in names if n.endswith(".tmp") or "/." in n or n.startswith(".")]
    assert profile.read_bytes() == before


def test_letter_and_json_report(cli, tmp_path):
    out = tmp_path / "out"
    r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", out, "--today", "2026-11-25",
            "--only", "docx,kit", "--tone", "formal", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert "解约通知函.docx" in data["written"] and "解约通知函.md" in data["written"]
    caption = data["kit"]["announcements/置顶短视频文案.txt"]
    assert caption["parts"][0]["length"] <= caption["parts"][0]["limit"] == 55
    assert caption["parts"][0]["rule"] == "channels.video_caption_max_chars"


def test_no_contract_skips_letter_and_says_so(cli, tmp_path):
    r = cli("export", EXAMPLES / "douyin.yaml", "--out", tmp_path / "o", "--today", "2026-11-25",
            "--only", "docx")
    assert r.code == 0, r.err
    assert "没有生成解约通知函" in r.out
    assert not list((tmp_path / "o").glob("*.docx"))


def test_english_file_names(cli, tmp_path):
    out = tmp_path / "en"
    r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", out, "--today", "2026-11-25",
            "--lang", "en", "--only", "docx,kit")
    assert r.code == 0, r.err
    assert (out / "termination-notice.docx").exists()
    assert (out / "announcements" / "pinned-video-caption.txt").exists()
    assert "Wrote" in r.out


@pytest.mark.parametrize("args, key", [
    (["--only", "ics,zip"], "zip"),
    (["--tone", "angry"], "angry"),
    (["--today", "2026-13-01"], "2026-13-01"),
])
def test_bad_options_exit_2(cli, tmp_path, args, key):
    r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", tmp_path / "o", *args)
    assert r.code == 2
    assert key in r.err and "怎么改" in r.err
    assert not (tmp_path / "o").exists()


def test_missing_profile_and_missing_out(cli, tmp_path):
    r = cli("export", tmp_path / "nope.yaml", "--out", tmp_path / "o")
    assert r.code == 2 and "nope.yaml" in r.err
    r = cli("export", EXAMPLES / "kuaishou.yaml")
    assert r.code == 2 and "--out" in r.err
    r = cli("export")
    assert r.code == 2


def test_unwritable_out(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", blocker, "--only", "ics")
    assert r.code == 2 and "不是文件夹" in r.err
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", locked, "--only", "ics")
        assert r.code == 2


def test_never_overwrites_the_profile(tmp_path):
    import xiabo
    from xiabo import export
    from xiabo.errors import UserError

    profile_path = tmp_path / "roadmap.ics"
    shutil.copy(EXAMPLES / "kuaishou.yaml", profile_path)
    before = profile_path.read_bytes()
    profile = xiabo.load_profile(EXAMPLES / "kuaishou.yaml")
    plan = xiabo.plan(profile, today=__import__("datetime").date(2026, 11, 25))
    with pytest.raises(UserError) as err:
        export.write_all(plan, profile, tmp_path, only=["ics"], protect=[profile_path])
    assert err.value.key == "export.err.would_overwrite"
    assert profile_path.read_bytes() == before


@pytest.mark.skipif(not font_available(), reason="no CJK font (install fonts-noto-cjk)")
def test_missing_font_exit_2_before_writing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_CJK_FONT", str(tmp_path / "missing.ttc"))
    r = cli("export", EXAMPLES / "kuaishou.yaml", "--out", tmp_path / "o", "--only", "ics,pdf")
    assert r.code == 2 and "XIABO_CJK_FONT" in r.err
    assert not (tmp_path / "o" / "roadmap.ics").exists()


def test_help_is_localised(cli):
    r = cli("export", "--help")
    assert r.code == 0 and "日历" in r.out and "--tone" in r.out
