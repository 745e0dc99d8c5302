"""The report as a PDF (fpdf2, Noto Sans CJK): the same charts as the HTML, drawn as vectors.

Why vectors: the chart shapes (``charts``) map one-to-one onto fpdf2's rect, polyline, circle
and text calls, so the PDF needs no image library and its labels use the embedded CJK font.
"""

from __future__ import annotations

from ..i18n import t
from .charts import (
    Chart,
    Circle,
    Line,
    Rect,
    Text,
    report_charts,
)
from .report import Report
from .summary import render_text

__all__ = ["render_pdf"]

_MARGIN = 15.0
_PT = 0.3528  # mm per point


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


class _Writer:
    def __init__(self, font):
        from fpdf import FPDF

        from ..export.fonts import add_cjk_font

        pdf = FPDF(format="A4")
        add_cjk_font(pdf, font)
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(True, margin=15)
        pdf.add_page()
        self.pdf = pdf
        self.cmap = pdf.fonts["cjk"].cmap

    def clean(self, text: str) -> str:
        """Only characters the font can draw (emoji in comments would print as boxes)."""
        return "".join(ch for ch in text if ch == "\n" or ord(ch) in self.cmap)

    def para(self, text: str, size: float = 10, h: float = 5.2) -> None:
        from fpdf.enums import WrapMode

        pdf = self.pdf
        pdf.set_font("cjk", "", size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(pdf.w - 2 * _MARGIN, h, self.clean(text), wrapmode=WrapMode.CHAR,
                       new_x="LMARGIN", new_y="NEXT")

    def chart(self, chart: Chart, title: str) -> None:
        pdf = self.pdf
        scale = (pdf.w - 2 * _MARGIN) / chart.width
        need = chart.height * scale + 9
        if pdf.get_y() + need > pdf.h - 15:
            pdf.add_page()
        self.para(title, 11, 7)
        x0, y0 = _MARGIN, pdf.get_y()
        for s in chart.shapes:
            if isinstance(s, Rect):
                pdf.set_fill_color(*_rgb(s.color))
                pdf.rect(x0 + s.x * scale, y0 + s.y * scale, s.w * scale, s.h * scale, style="F")
            elif isinstance(s, Line):
                pdf.set_draw_color(*_rgb(s.color))
                pdf.set_line_width(s.width * scale)
                if s.dashed:
                    pdf.set_dash_pattern(dash=1.2, gap=1.0)
                pdf.polyline([(x0 + x * scale, y0 + y * scale) for x, y in s.points])
                pdf.set_dash_pattern()
            elif isinstance(s, Circle):
                pdf.set_draw_color(*_rgb(s.color))
                pdf.set_line_width(0.5)
                pdf.circle(x0 + s.x * scale, y0 + s.y * scale, s.r * scale, style="D")
            elif isinstance(s, Text):
                size = s.size * scale / _PT
                pdf.set_font("cjk", "", size)
                pdf.set_text_color(*_rgb(s.color))
                text = self.clean(s.text)
                width = pdf.get_string_width(text)
                x = x0 + s.x * scale - {"start": 0, "middle": width / 2, "end": width}[s.anchor]
                pdf.text(x, y0 + s.y * scale, text)
        pdf.set_text_color(0)
        pdf.set_y(y0 + chart.height * scale + 3)


def render_pdf(report: Report, lang: str = "zh", font=None) -> bytes:
    """The PDF as bytes; a UserError (with the fix) when no Chinese font is installed."""
    from ..export.fonts import find_cjk_font

    w = _Writer(font or find_cjk_font())
    w.para(t("opinion.html.title", lang), 16, 9)
    w.para(t("opinion.html.subtitle", lang, since=report.since.isoformat(),
             until=report.until.isoformat(), total=f"{report.total:,}"), 10)
    w.pdf.ln(2)
    for _key, title, chart in report_charts(report, lang,
                                            keywords=("keywords", "negative_keywords")):
        w.chart(chart, title)
    w.pdf.add_page()
    w.para(render_text(report, lang), 9, 4.6)
    w.pdf.ln(3)
    w.para(t("opinion.html.method", lang, window=report.rules.spike.window,
             k=f"{report.rules.spike.k:g}", min=f"{report.rules.spike.min_value:g}"), 8, 4)
    return bytes(w.pdf.output())
