"""解约通知函: Word and Markdown; contract facts in, missing facts as marked blanks, never invented."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from xiabo import export
from xiabo.errors import UserError
from xiabo.export.letter import BLANK_RE

from .conftest import EXAMPLES, HOSTILE, make_plan


def _docx_text(data: bytes) -> tuple[str, Document]:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs), doc


def test_docx_has_agency_dates_and_blanks(ks_plan, ks_profile):
    text, _ = _docx_text(export.docx(ks_plan, ks_profile))
    assert "解除合同通知函" in text
    assert "致：星光文化传媒" in text
    assert "2026年12月1日" in text        # notice date (plan milestone mcn_notice)
    assert "2026年12月31日" in text       # termination date computed by the plan
    assert "2026年12月8日" in text        # settlement reply deadline (task settle-agency)
    assert "提前 30 日" in text and "12 个月的竞业限制" in text and "200,000.00 元" in text
    assert "未结算的薪资、流量扶持资源" in text   # the guide's settle items, read from the plan
    # facts the profile does not have are blanks, not guesses
    assert "【待填写：合同签订日期】" in text
    assert "【待填写：合同编号】" in text
    assert "【待填写：本人身份证上的姓名】" in text
    assert "EMS" in text and "回执" in text and "xiabo evidence add" in text


def test_docx_fonts_and_highlighted_blanks(ks_plan, ks_profile):
    _, doc = _docx_text(export.docx(ks_plan, ks_profile))
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体"
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs and all(r._element.rPr.rFonts.get(qn("w:eastAsia")) in ("宋体", "黑体") for r in runs)
    blanks = [r for r in runs if BLANK_RE.fullmatch(r.text)]
    assert blanks and all(r.font.highlight_color is not None for r in blanks)


def test_known_facts_fill_the_blanks():
    import xiabo

    profile = xiabo.load_profile(EXAMPLES / "taobao.yaml")
    plan = make_plan(profile)
    md = export.letter_md(plan, profile)
    assert "2024年3月1日" in md and "【待填写：合同签订日期】" not in md
    assert "《经纪合同》" in md and "提前 60 日" in md and "24 个月" in md
    assert "杭州某某网络科技有限公司" in md
    assert plan.milestones["mcn_termination"] and \
        f"{plan.milestones['mcn_termination'].month}月" in md


def test_labour_contract_cites_labour_law():
    import xiabo

    profile = xiabo.load_profile(EXAMPLES / "dormant.yaml")
    md = export.letter_md(make_plan(profile), profile)
    assert "劳动合同法》第三十七条" in md and "按月支付经济补偿" in md
    assert "违约金" not in md.split("---")[0]  # no penalty in the profile: no penalty section


def test_markdown_matches_and_english_blanks(ks_plan, ks_plan_en, ks_profile):
    md = export.letter_md(ks_plan, ks_profile)
    assert md.startswith("# 解除合同通知函")
    assert md.count("【待填写：") >= 8
    en = export.letter_md(ks_plan_en, ks_profile)
    assert "[TO FILL IN: date the contract was signed]" in en
    assert "31 December 2026" in en and "1 December 2026" in en
    text, _ = _docx_text(export.docx(ks_plan_en, ks_profile))
    assert "Notice of Termination of Contract" in text


def test_no_contract_no_letter():
    import xiabo

    profile = xiabo.load_profile(EXAMPLES / "douyin.yaml")
    with pytest.raises(UserError) as err:
        export.docx(make_plan(profile), profile)
    assert err.value.key == "export.err.no_contract"


def test_hostile_agency_stays_literal(hostile_plan, hostile_profile):
    text, _ = _docx_text(export.docx(hostile_plan, hostile_profile))
    assert f"致：{HOSTILE}" in text


def test_same_plan_same_bytes(ks_plan, ks_profile):
    assert export.docx(ks_plan, ks_profile) == export.docx(ks_plan, ks_profile)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_carries_the_language_tag(ks_profile, lang):
    """styles.xml (defaults and Normal), every run in document.xml and the theme tag Chinese text
    zh-CN and Latin text en-US (as Word does for a Chinese document: w:val="zh-CN" makes
    LibreOffice split "2026" across lines); nothing is left tagged Japanese (the stock template's
    East Asian default)."""
    val = "en-US"
    import re
    import zipfile

    data = export.docx(make_plan(ks_profile, lang), ks_profile)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles, document, settings = (z.read(f"word/{n}.xml").decode()
                                      for n in ("styles", "document", "settings"))
    tag = f'<w:lang w:val="{val}" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    defaults = styles[styles.index("<w:docDefaults>"):styles.index("</w:docDefaults>")]
    assert tag in defaults
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert tag in normal
    runs = re.findall(r"<w:r>.*?</w:r>", document, re.S)
    texts = [r for r in runs if "<w:t" in r]
    assert texts and all(tag in r for r in texts)
    assert f'<w:themeFontLang w:val="{val}" w:eastAsia="zh-CN"/>' in settings
    for xml in (styles, document, settings):
        assert "ja-JP" not in xml
    # the language tag sits where the schema wants it: after w:highlight / w:sz in a run
    for run in texts:
        rpr = re.search(r"<w:rPr>(.*?)</w:rPr>", run, re.S).group(1)
        order = re.findall(r"<w:(\w+)", rpr)
        assert order[-1] == "lang" or order.index("lang") > max(
            order.index(k) for k in ("rFonts", "sz", "highlight") if k in order)
