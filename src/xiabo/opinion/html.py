"""The report as one self-contained HTML file: inline SVG charts, no scripts, no network.

Why self-contained: the file is mailed to a lawyer or posted in an agency chat; it must open
anywhere, offline, and show the same as the PDF. Every text is escaped; messages are masked.
"""

from __future__ import annotations

from html import escape

from ..i18n import t
from .charts import (
    COLORS,
    Chart,
    Circle,
    Line,
    Rect,
    Text,
    report_charts,
)
from .report import Report

__all__ = ["chart_svg", "render_html", "report_fragment"]

_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;
 color:#222;background:#fafbfc}
main{max-width:780px;margin:0 auto;padding:16px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.1rem;margin:1.4em 0 .4em}
.sub{color:#555}.spike{color:#d9534f;font-weight:bold}
svg{width:100%;max-width:480px;height:auto;display:block;background:#fff;
 border:1px solid #e3e6ea;border-radius:6px}
table{display:block;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem;background:#fff}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:right}
th:first-child,td:first-child{text-align:left}.text{text-align:left}
.legend span{display:inline-block;margin-right:1em}.legend i{display:inline-block;width:10px;
 height:10px;margin-right:4px;border-radius:2px}
.note{color:#666;font-size:.85rem}
pre{white-space:pre-wrap;overflow-wrap:anywhere}
"""


def _shape(s) -> str:
    if isinstance(s, Rect):
        return (f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" '
                f'fill="{s.color}"/>')
    if isinstance(s, Line):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
        dash = ' stroke-dasharray="5,4"' if s.dashed else ""
        return (f'<polyline points="{pts}" fill="none" stroke="{s.color}" '
                f'stroke-width="{s.width}"{dash}/>')
    if isinstance(s, Circle):
        return (f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r}" fill="none" '
                f'stroke="{s.color}" stroke-width="2"/>')
    if isinstance(s, Text):
        return (f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" '
                f'text-anchor="{s.anchor}" fill="{s.color}">{escape(s.text)}</text>')
    return ""


def chart_svg(chart: Chart, title: str) -> str:
    """One chart as an inline ``<svg>`` with an accessible title."""
    body = "".join(_shape(s) for s in chart.shapes)
    return (f'<svg viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>{body}</svg>")


def _legend(lang: str, keys: tuple[str, ...]) -> str:
    items = "".join(f'<span><i style="background:{COLORS[k]}"></i>'
                    f'{escape(t("opinion.labels." + k, lang))}</span>' for k in keys)
    return f'<p class="legend">{items}</p>'


_TEXT_CLASS = ' class="text"'


def _messages(title: str, messages, lang: str) -> str:
    if not messages:
        return ""
    head = "".join(f"<th{_TEXT_CLASS if k == 'text' else ''}>"
                   f"{escape(t('opinion.html.' + k, lang))}</th>"
                   for k in ("date", "source", "author", "text", "likes", "replies"))
    rows = "".join(
        f"<tr><td>{m.day.isoformat()}</td><td>{escape(t('opinion.sources.' + m.source, lang))}"
        f"</td><td>{escape(m.author or '-')}</td><td class=\"text\">{escape(m.text)}</td>"
        f"<td>{m.likes:,}</td><td>{m.replies:,}</td></tr>" for m in messages)
    return f"<h2>{escape(title)}</h2><table><tr>{head}</tr>{rows}</table>"


def report_fragment(report: Report, lang: str = "zh") -> str:
    """The report body (charts, keywords, messages): the HTML file and the web page share it."""
    parts = []
    for key, title, chart in report_charts(report, lang, size="phone"):   # legends inside
        parts.append(f"<h2>{escape(title)}</h2>")
        if key == "hours_chart":
            from .summary import hour_verdict_lines

            parts.extend(f'<p class="verdict">{escape(line.strip())}</p>'
                         for line in hour_verdict_lines(report, lang))
            parts.append(_legend(lang, ("negative", "neutral")))
        parts.append(chart_svg(chart, title))
    parts.append(_messages(t("opinion.html.most_liked", lang), report.most_liked, lang))
    parts.append(_messages(t("opinion.html.most_replied", lang), report.most_replied, lang))
    return "\n".join(p for p in parts if p)


def _table(report: Report, lang: str) -> str:
    keys = ("volume", "negative", "neutral", "positive")
    head = f"<th>{escape(t('opinion.html.date', lang))}</th>" + "".join(
        f"<th>{escape(t('opinion.labels.' + k, lang))}</th>" for k in keys) + \
        f"<th>{escape(t('opinion.html.spike', lang))}</th>"
    rows = "".join(
        f"<tr><td>{d.day.isoformat()}</td>" + "".join(f"<td>{getattr(d, k):,}</td>" for k in keys)
        + f"<td class=\"spike\">{'●' if d.spike else ''}</td></tr>" for d in report.days)
    return f"<h2>{escape(t('opinion.html.table', lang))}</h2><table><tr>{head}</tr>{rows}</table>"


def render_html(report: Report, lang: str = "zh") -> str:
    """The whole report as a standalone HTML document."""
    from .summary import render_text

    title = t("opinion.html.title", lang)
    sub = t("opinion.html.subtitle", lang, since=report.since.isoformat(),
            until=report.until.isoformat(), total=f"{report.total:,}")
    summary = escape(render_text(report, lang).split("\n\n")[0])
    method = t("opinion.html.method", lang, window=report.rules.spike.window,
               k=f"{report.rules.spike.k:g}", min=f"{report.rules.spike.min_value:g}")
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
            f'<meta charset="utf-8"><meta name="viewport" content="width=device-width,'
            f'initial-scale=1"><title>{escape(title)}</title><style>{_CSS}</style></head>'
            f"<body><main><h1>{escape(title)}</h1><p class=\"sub\">{escape(sub)}</p>"
            f"<pre>{summary}</pre>{report_fragment(report, lang)}{_table(report, lang)}"
            f'<p class="note">{escape(method)}</p><p class="note">'
            f'{escape(t("opinion.html.generated", lang))}</p></main></body></html>\n')
