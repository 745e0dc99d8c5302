"""The written termination notice to the agency (解约通知函), as Markdown and as Word.

The facts come from the profile's contract and the dates from the plan; a fact the profile does
not have becomes a marked blank (【待填写：合同签订日期】), never a guess. The wording lives in
``templates/<lang>/letter.md.j2``; the .docx is built from the same Markdown.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time
from decimal import Decimal

from ..errors import UserError
from .common import clean_text, label, normalise_zip, rule_value

__all__ = ["BLANK_RE", "letter_context", "letter_docx", "letter_md", "markdown_docx"]

# Matches a blank in either language: 【待填写：…】 or [TO FILL IN: …]
BLANK_RE = re.compile(r"【待填写：[^】]*】|\[TO FILL IN: [^\]]*\]")


def _task_due(plan, kind: str):
    for task in plan.tasks:
        if task.kind == kind:
            return task.due
    return None


def letter_context(plan, profile) -> dict:
    """Everything the letter template may use (no rule is recomputed here)."""
    contract = profile.contract
    if not contract.signed:
        raise UserError("export.err.no_contract", fix_key="export.fix.no_contract",
                        field="contract.signed")
    lang = plan.lang
    items = rule_value(plan, "common.contract.settle_items")
    if isinstance(items, dict) and (lang in items or "zh" in items):
        settle_items = str(items.get(lang) or items["zh"])
    else:
        settle_items = label("letter.settle_items", lang)
    penalty = None
    if contract.penalty_cny:
        penalty = f"{Decimal(contract.penalty_cny):,.2f}"
    return {
        "name": clean_text(plan.name),
        "platform_name": plan.platform_name,
        "agency": clean_text(contract.agency) if contract.agency else None,
        "kind": contract.kind,
        "kind_name": label(f"letter.kinds.{contract.kind}", lang),
        "signed_on": contract.signed_on,
        "contract_no": clean_text(contract.contract_no) if contract.contract_no else None,
        "notice_days": contract.notice_days,
        "non_compete_months": contract.non_compete_months,
        "penalty": penalty,
        "notice_date": plan.milestones.get("mcn_notice"),
        "termination_date": plan.milestones.get("mcn_termination"),
        # the reason, in one line, when the end of the notice period is a provisional date
        "termination_provisional": next(
            (plan.provisional["reason"] for t in plan.tasks
             if t.milestone == "mcn_termination" and t.provisional and plan.provisional), ""),
        "non_compete_end": plan.milestones.get("non_compete_end"),
        "settle_due": _task_due(plan, "settle_agency"),
        "settle_items": settle_items,
        "delete_account": plan.delete_account,
    }


def letter_md(plan, profile) -> str:
    """The letter as Markdown (UTF-8 text), followed by a page of sending advice."""
    from .templating import render

    text = render(plan.lang, "letter.md", **letter_context(plan, profile))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# ---------------------------------------------------------------- Markdown -> Word
def _set_east_asia(target, font_name: str) -> None:
    from docx.oxml.ns import qn

    rpr = target.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


def _set_lang(rpr, lang: str) -> None:
    """Tag text with its language, so Word and LibreOffice check spelling and pick glyph shapes
    for Chinese, not Japanese. ``w:eastAsia`` is the language of Chinese characters: zh-CN.
    ``w:val`` is the language of Latin letters and digits: en-US, as Word itself writes for a
    Chinese document; ``w:val="zh-CN"`` makes LibreOffice break "2026" as "2|026" at a line end."""
    from docx.oxml.ns import qn

    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = rpr.makeelement(qn("w:lang"), {})
        rpr.insert_element_before(tag, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    tag.set(qn("w:val"), "en-US")
    tag.set(qn("w:eastAsia"), "zh-CN")
    tag.set(qn("w:bidi"), "ar-SA")


def _runs(paragraph, text: str, lang: str, *, bold: bool = False, size=None,
          font: str | None = None) -> None:
    """Add ``text`` as runs; blanks get a yellow highlight so none is missed when printing."""
    from docx.enum.text import WD_COLOR_INDEX

    font = font or label("docx.body_font", lang)
    pos = 0
    text = text.replace("**", "")
    pieces = []
    for match in BLANK_RE.finditer(text):
        pieces.append((text[pos:match.start()], False))
        pieces.append((match.group(0), True))
        pos = match.end()
    pieces.append((text[pos:], False))
    for piece, is_blank in pieces:
        if not piece:
            continue
        run = paragraph.add_run(piece)
        run.bold = bold or None
        if size is not None:
            run.font.size = size
        run.font.name = label("docx.latin_font", lang)
        _set_east_asia(run._element, font)
        _set_lang(run._element.get_or_add_rPr(), lang)
        if is_blank:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _blocks(markdown: str):
    """(kind, text) blocks of the small Markdown subset the template uses."""
    para: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped:
            if para:
                yield "p", "".join(para)
                para = []
            continue
        kind = None
        if stripped == "---":
            kind, stripped = "break", ""
        elif stripped.startswith("# "):
            kind, stripped = "title", stripped[2:]
        elif stripped.startswith("## "):
            kind, stripped = "heading", stripped[3:]
        elif re.match(r"^\d+\. ", stripped):
            kind = "item"
        elif stripped.startswith("**") and stripped.endswith("**"):
            kind, stripped = "strong", stripped[2:-2]
        if kind:
            if para:
                yield "p", "".join(para)
                para = []
            yield kind, stripped
        else:
            para.append(stripped if not para or _ends_cjk(para[-1]) else " " + stripped)
    if para:
        yield "p", "".join(para)


def _ends_cjk(text: str) -> bool:
    """True when ``text`` ends in a CJK character (lines join without a space)."""
    return bool(text) and ord(text[-1]) > 0x2E80


def letter_docx(plan, profile) -> bytes:
    """The letter as a .docx with Chinese fonts set on the style and on every run."""
    title = clean_text(label("docx.title", plan.lang, agency=profile.contract.agency or ""))
    return markdown_docx(letter_md(plan, profile), plan.lang, title, plan.today)


def markdown_docx(markdown: str, lang: str, title: str, today) -> bytes:
    """Any letter's Markdown (the template subset) as a reproducible .docx (xiabo letters too)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.0)
    normal = doc.styles["Normal"]
    normal.font.name = label("docx.latin_font", lang)
    normal.font.size = Pt(12)
    _set_east_asia(normal.element, label("docx.body_font", lang))
    _set_lang(normal.element.get_or_add_rPr(), lang)
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    default_rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None \
        else None
    if default_rpr is not None:
        _set_lang(default_rpr, lang)
    theme = doc.settings.element.find(qn("w:themeFontLang"))
    if theme is not None:  # the stock template says Japanese for East Asian theme fonts
        theme.set(qn("w:val"), "en-US")
        theme.set(qn("w:eastAsia"), "zh-CN")
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(0)
    heading_font = label("docx.heading_font", lang)
    indent = Pt(24) if lang == "zh" else None
    for kind, text in _blocks(markdown):
        if kind == "break":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            continue
        p = doc.add_paragraph()
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(12)
            _runs(p, text, lang, bold=True, size=Pt(18), font=heading_font)
        elif kind == "heading":
            p.paragraph_format.space_before = Pt(6)
            p.paragraph_format.keep_with_next = True
            _runs(p, text, lang, bold=True, font=heading_font)
        elif kind == "strong":
            p.paragraph_format.space_after = Pt(6)
            _runs(p, text, lang, bold=True)
        elif kind == "item":
            p.paragraph_format.left_indent = Pt(24)
            p.paragraph_format.first_line_indent = Pt(-18)
            _runs(p, text, lang)
        else:
            if indent is not None:
                p.paragraph_format.first_line_indent = indent
            _runs(p, text, lang)
    props = doc.core_properties
    stamp = datetime.combine(today, time(0, 0))
    props.title = title
    props.author = props.last_modified_by = "xiabo"
    props.created = props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return normalise_zip(buf.getvalue(), today)
