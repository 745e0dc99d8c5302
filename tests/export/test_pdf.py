"""roadmap.pdf: text extracted with pdftotext, pages rendered with pdftoppm and checked non-blank."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from xiabo.errors import UserError

from .conftest import needs_font, needs_poppler


def _text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run(cmd + [str(pdf), "-"], check=True, capture_output=True).stdout.decode()


def _pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True).stdout.decode()
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def _ink(png: Path) -> float:
    """Share of pixels that are not white (a blank page is ~0)."""
    from PIL import Image

    with Image.open(png) as img:
        grey = img.convert("L")
        hist = grey.histogram()
    dark = sum(hist[:200])
    return dark / (grey.width * grey.height)


pytestmark = [needs_font, needs_poppler]


def test_cover_has_title_key_dates_and_blockers(ks_pdf):
    cover = _text(ks_pdf, 1, 1)
    assert "小美的直播间的退出路线图" in cover
    assert "快手直播" in cover
    for words in ("关键日期", "现在挡住注销的事", "最后一场直播", "2027年1月15日", "2026年12月31日",
                  "2027年2月1日", "与星光文化传媒的合约还没到期解除"):
        assert words in cover, words
    assert "第 1 页，共" in cover


def test_sections_and_dates_throughout(ks_pdf, ks_plan):
    text = _text(ks_pdf)
    for title in ("甘特图：整个计划", "逐周任务清单", "第 1 周", "钱", "注意",
                  "附录：规则与出处"):
        assert title in text, title
    for task in ks_plan.tasks:
        assert task.title[:8] in text.replace("\n", ""), task.title
    assert "书面通知解约的提前天数" in text and "common.contract.notice_days" not in text
    assert "不超过 36,000 元" in text  # tax tables as rows of words
    assert "12,000.00 元" in text
    pages = _pages(ks_pdf)
    assert f"第 {pages} 页，共 {pages} 页" in text


def test_the_rules_appendix_never_splits_a_number(ks_pdf, ks_plan):
    """Each number of a rule's value (16,920 · 181,920 …) stays on one line of its cell."""
    import re

    from xiabo.export.common import rule_value_text

    text = _text(ks_pdf)
    numbers = {n for r in ks_plan.rules_used
               for n in re.findall(r"\d[\d,]*\d", rule_value_text(r.value, r.unit, "zh"))}
    assert "16,920" in numbers and [n for n in sorted(numbers) if n not in text] == []


def test_a4_and_font_embedded(ks_pdf):
    info = subprocess.run(["pdfinfo", str(ks_pdf)], capture_output=True, check=True).stdout.decode()
    assert "595.28 x 841.89" in info  # A4 portrait (the Gantt pages are A4 landscape)
    fonts = subprocess.run(["pdffonts", str(ks_pdf)], capture_output=True, check=True).stdout.decode()
    assert "NotoSansCJK" in fonts or "CID" in fonts
    assert " yes yes " in fonts  # embedded, subset


def test_no_page_is_blank(ks_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-gray", str(ks_pdf), str(tmp_path / "p")],
                   check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == _pages(ks_pdf)
    for png in pngs:
        assert _ink(png) > 0.003, png.name


def test_gantt_page_has_ink_where_the_chart_is(ks_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-f", "2", "-l", "2", "-png", str(ks_pdf),
                    str(tmp_path / "g")], check=True)
    png = next(tmp_path.glob("g-*.png"))
    from PIL import Image

    with Image.open(png) as img:
        assert img.width > img.height  # landscape
        lower = img.convert("L").crop((0, img.height // 3, img.width, img.height - 40))
        dark = sum(lower.histogram()[:128])
    assert dark > 500  # bars and labels, not an empty frame


def test_same_plan_same_bytes(ks_plan, ks_pdf):
    from xiabo import export

    assert export.pdf(ks_plan) == ks_pdf.read_bytes()


def test_missing_font_is_a_clear_user_error(ks_plan, monkeypatch, tmp_path):
    from xiabo import export
    from xiabo.export import fonts

    monkeypatch.setenv("XIABO_CJK_FONT", str(tmp_path / "nope.ttc"))
    with pytest.raises(UserError) as err:
        export.pdf(ks_plan)
    assert err.value.key == "export.err.font_env_missing"
    monkeypatch.delenv("XIABO_CJK_FONT")
    monkeypatch.setattr(fonts, "CANDIDATES", ())
    with pytest.raises(UserError) as err:
        export.pdf(ks_plan)
    assert err.value.key == "export.err.no_font"
    assert "fonts-noto-cjk" in err.value.render("zh")


def _many_devices_plan():
    import yaml

    from xiabo.roadmap.profile import profile_from_dict

    from .conftest import EXAMPLES, make_plan

    data = yaml.safe_load((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"))
    data["name"] = "小美😀直播间"
    data["equipment"] = [{"name": f"手机{i}", "type": "phone", "os": "android", "disposal": "sell"}
                         for i in range(30)]
    return make_plan(profile_from_dict(data))


def test_long_plans_split_the_chart_on_one_axis():
    from xiabo.export.gantt import ROWS_PER_PAGE
    from xiabo.export.printable import chart_specs

    plan = _many_devices_plan()
    specs = chart_specs(plan)
    whole = [s for s in specs if "整个计划" in s[0]]
    assert len(whole) >= 2 and all("部分" in s[0] for s in whole)
    sizes = [len(s[1]) for s in whole]
    assert max(sizes) <= ROWS_PER_PAGE and max(sizes) - min(sizes) <= 1
    assert len({s[2] for s in whole}) == 1 and whole[0][2] is not None
    assert sum(sizes) == len(plan.tasks)


def test_emoji_is_left_out_not_boxed(recwarn, caplog):
    from xiabo import export

    plan = _many_devices_plan()
    data = export.pdf(plan)
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    assert "missing the following glyphs" not in caplog.text
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        assert "小美直播间的退出路线图" in _text(Path(fh.name), 1, 1)
