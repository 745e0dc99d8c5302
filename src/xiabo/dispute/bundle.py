"""The dispute bundle for a lawyer: one PDF (checklist present/missing, timeline, letters and
their clocks, exposure, the closest cases, the relationship test) and, when the case has an
evidence log, the verifiable evidence bundle (BagIt-style zip + its verifier, unchanged).

The PDF is drawn with fpdf2 and the CJK font the other PDFs use (``export.fonts``); the
timeline and letter lines come from the caller (the front ends plan the case), so this
toolkit needs neither the store nor ``cases/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import t
from .report import DisputeReport, sections

__all__ = ["BundleFiles", "render_pdf", "write_bundle"]

_MARGIN = 15.0


@dataclass(frozen=True)
class BundleFiles:
    pdf: Path
    evidence: Path | None   # None: the case has no evidence log yet


class _Pdf:
    def __init__(self, font, lang: str):
        from fpdf import FPDF

        from ..export.fonts import add_cjk_font

        self.lang = lang

        pdf = FPDF(format="A4")
        add_cjk_font(pdf, font)
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        self.pdf = pdf
        self.cmap = pdf.fonts["cjk"].cmap

    def para(self, text: str, size: float = 10, h: float = 5.4) -> None:
        from fpdf.enums import WrapMode

        pdf = self.pdf
        pdf.set_font("cjk", "", size)
        pdf.set_x(pdf.l_margin)
        clean = "".join(ch for ch in text if ch == "\n" or ord(ch) in self.cmap)
        pdf.multi_cell(pdf.w - 2 * _MARGIN, h, clean, wrapmode=WrapMode.CHAR,
                       new_x="LMARGIN", new_y="NEXT")

    def section(self, heading: str, lines: Sequence[str]) -> None:
        self.pdf.ln(2)
        self.para(heading, 13, 7)
        for line in lines or [t("dispute.pdf.none", self.lang)]:
            self.para(line)


def render_pdf(report: DisputeReport, lang: str, *, title: str, timeline: Sequence[str] = (),
               letters: Sequence[str] = ()) -> bytes:
    """The lawyer's PDF. Checklist first: it is what the lawyer asks for."""
    from ..export.fonts import find_cjk_font

    doc = _Pdf(find_cjk_font(), lang)
    doc.para(t("dispute.pdf.title", lang, name=title), 16, 9)
    doc.para(t("dispute.pdf.made_on", lang, day=report.today.isoformat()), 9)
    doc.para(t("dispute.not_advice", lang), 9)
    parts = dict(enumerate(sections(report, lang)))
    exposure, cases, rel, check, lawyer = (parts[i] for i in range(5))
    doc.section(*check)
    doc.para(t("dispute.check.hint", lang), 9)
    doc.section(t("dispute.h.timeline", lang), list(timeline) or [t("dispute.pdf.no_timeline", lang)])
    doc.section(t("dispute.h.letters", lang), list(letters) or [t("dispute.pdf.no_letters", lang)])
    doc.section(*exposure)
    doc.section(*cases)
    doc.section(*rel)
    doc.section(*lawyer)
    return bytes(doc.pdf.output())


def write_bundle(report: DisputeReport, out_dir: Path, lang: str, *, title: str,
                 timeline: Sequence[str] = (), letters: Sequence[str] = (),
                 evidence_dir: Path | None = None) -> BundleFiles:
    """Write ``dispute.pdf`` and (with a log) ``evidence-bundle.zip`` into ``out_dir``."""
    from ..fsutil import atomic_write

    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / "dispute.pdf"
    atomic_write(pdf, render_pdf(report, lang, title=title, timeline=timeline,
                                       letters=letters))
    evidence = None
    if evidence_dir is not None:
        from ..evidence.bundle import make_bundle
        from ..evidence.log import EvidenceLog

        if EvidenceLog.exists(evidence_dir) and EvidenceLog.open(evidence_dir).head().size > 1:
            def readme(params: dict) -> str:
                return (t("evidence.bundle.readme", "zh", **params) + "\n\n"
                        + t("evidence.bundle.readme", "en", **params))

            evidence = make_bundle(EvidenceLog.open(evidence_dir),
                                   out_dir / "evidence-bundle.zip", readme).path
    return BundleFiles(pdf, evidence)
