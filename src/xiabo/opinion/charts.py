"""The report's charts as simple shapes, drawn by both the HTML (SVG) and the PDF (fpdf2).

Why not matplotlib: it takes about a second to import and needs the CJK font for every label;
four bar and line charts are a few dozen rectangles, and one geometry for both outputs keeps
the HTML and the PDF showing the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import Bucket, Keyword

__all__ = ["COLORS", "SIZES", "Chart", "Circle", "LegendItem", "Line", "Rect", "Text", "hourly_chart",
           "keyword_chart", "legend", "negative_chart", "report_charts", "volume_chart"]

COLORS = {"negative": "#d9534f", "neutral": "#9aa5b1", "positive": "#3c9d5d",
          "threshold": "#f0ad4e", "axis": "#444444", "grid": "#e3e6ea", "bar": "#4a78b5"}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float = 1.5
    dashed: bool = False


@dataclass(frozen=True)
class Circle:
    x: float
    y: float
    r: float
    color: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float = 10
    anchor: str = "start"      # start | middle | end
    color: str = "#333333"


@dataclass
class Chart:
    width: float
    height: float
    shapes: list = field(default_factory=list)


_LEFT, _RIGHT, _TOP, _BOTTOM = 48.0, 12.0, 16.0, 34.0

# A legend entry: (mark, colour key, label); mark is box | line | dashed | ring.
LegendItem = tuple[str, str, str]


def _legend(chart: Chart, items: list[LegendItem], font: float) -> float:
    """Swatches and labels across the top of the chart, wrapping; returns the height used."""
    x, y = _LEFT, font + 2
    for mark, key, label in items:
        width = font * 1.6 + font * 0.6 + sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in label) * font
        if x + width > chart.width - _RIGHT and x > _LEFT:
            x, y = _LEFT, y + font * 1.5
        color = COLORS[key]
        if mark == "box":
            chart.shapes.append(Rect(x, y - font * 0.75, font * 1.2, font * 0.75, color))
        elif mark == "ring":
            chart.shapes.append(Circle(x + font * 0.6, y - font * 0.38, font * 0.4, color))
        else:
            chart.shapes.append(Line(((x, y - font * 0.38), (x + font * 1.2, y - font * 0.38)),
                                     color, 2.0, dashed=mark == "dashed"))
        chart.shapes.append(Text(x + font * 1.6, y, label, font))
        x += width + font
    return y + font * 0.8


def _nice_max(value: float) -> float:
    """The smallest 4 × (1..9 × 10^k) at or above ``value``: four whole-number grid steps."""
    if value <= 4:
        return 4.0
    unit = 10 ** max(len(str(int(value / 4))) - 1, 0)
    for m in range(1, 11):
        if 4 * m * unit >= value:
            return float(4 * m * unit)
    return float(40 * unit)


def _frame(chart: Chart, top: float, labels: list[str], font: float = 9,
           legend: list[LegendItem] | None = None) -> tuple[float, float, float, float]:
    """Legend, axes, grid and labels; returns (plot top, plot width, plot height, slot width).

    ``font``: label size in chart units; the web draws its phone chart 360 wide with 13, so the
    labels stay at least 11 px on a 390 px screen.
    """
    y0 = max(_TOP, _legend(chart, legend, font) + font * 0.6) if legend else _TOP
    bottom = max(_BOTTOM, font * 2.6)
    pw, ph = chart.width - _LEFT - _RIGHT, chart.height - y0 - bottom
    for i in range(5):
        y = y0 + ph * i / 4
        chart.shapes.append(Line(((_LEFT, y), (_LEFT + pw, y)), COLORS["grid"], 0.8))
        chart.shapes.append(Text(_LEFT - 4, y + font * 0.38, f"{top * (4 - i) / 4:,.0f}", font,
                                 "end"))
    slot = pw / max(len(labels), 1)
    gap = font * 6.5                        # room for one "12-04" label and some air
    every = max(1, -(-len(labels) // max(int(pw / gap), 1)))
    for i, label in enumerate(labels):
        if i % every == 0:
            chart.shapes.append(Text(_LEFT + slot * (i + 0.5), y0 + ph + font * 1.5, label, font,
                                     "middle"))
    chart.shapes.append(Line(((_LEFT, y0 + ph), (_LEFT + pw, y0 + ph)), COLORS["axis"], 1))
    return y0, pw, ph, slot


def volume_chart(days: list[Bucket], width: float = 720, height: float = 240, *,
                 font: float = 9, legend: list[LegendItem] | None = None) -> Chart:
    """Stacked bars per day: negative at the bottom, then neutral, then positive."""
    chart = Chart(width, height)
    top = _nice_max(max((d.volume for d in days), default=0))
    y0, pw, ph, slot = _frame(chart, top, [d.day.strftime("%m-%d") for d in days], font, legend)
    bar = max(slot * 0.75, 1.0)
    for i, d in enumerate(days):
        x = _LEFT + slot * i + (slot - bar) / 2
        base = y0 + ph
        for key in ("negative", "neutral", "positive"):
            h = ph * getattr(d, key) / top
            if h > 0:
                chart.shapes.append(Rect(x, base - h, bar, h, COLORS[key]))
                base -= h
    return chart


def negative_chart(days: list[Bucket], width: float = 720, height: float = 220, *,
                   font: float = 9, legend: list[LegendItem] | None = None) -> Chart:
    """Negative messages per day as a line, the spike threshold dashed, spikes circled."""
    chart = Chart(width, height)
    bars = [d.point.threshold for d in days if d.point and d.point.threshold is not None]
    top = _nice_max(max([d.negative for d in days] + bars + [0]))
    y0, pw, ph, slot = _frame(chart, top, [d.day.strftime("%m-%d") for d in days], font, legend)

    def xy(i: int, v: float) -> tuple[float, float]:
        return (_LEFT + slot * (i + 0.5), y0 + ph - ph * v / top)

    pts = tuple(xy(i, d.negative) for i, d in enumerate(days))
    thr = tuple(xy(i, d.point.threshold) for i, d in enumerate(days)
                if d.point and d.point.threshold is not None)
    if len(thr) > 1:
        chart.shapes.append(Line(thr, COLORS["threshold"], 1.2, dashed=True))
    if len(pts) > 1:
        chart.shapes.append(Line(pts, COLORS["negative"], 1.8))
    for i, d in enumerate(days):
        x, y = pts[i]
        if d.spike or d.stands_out:
            chart.shapes.append(Circle(x, y, 5.5, COLORS["negative" if d.spike else "threshold"]))
        elif len(pts) == 1:
            chart.shapes.append(Circle(x, y, 2.5, COLORS["negative"]))
    return chart


def hourly_chart(hours: list[Bucket], width: float = 720, height: float = 200, *,
                 font: float = 9) -> Chart:
    """Messages per hour, negative share darker, spike hours marked above their bar."""
    chart = Chart(width, height)
    top = _nice_max(max((h.volume for h in hours), default=0))
    marks = (0, 12) if width >= 600 else (0,)
    labels = [f"{h.day.strftime('%m-%d')} {h.hour:02d}" if h.hour in marks else "" for h in hours]
    y0, pw, ph, slot = _frame(chart, top, labels, font)
    for i, h in enumerate(hours):
        x = _LEFT + slot * i
        total = ph * h.volume / top
        neg = ph * h.negative / top
        if total > 0:
            chart.shapes.append(Rect(x, y0 + ph - total, max(slot * 0.9, 0.5), total - neg,
                                     COLORS["neutral"]))
        if neg > 0:
            chart.shapes.append(Rect(x, y0 + ph - neg, max(slot * 0.9, 0.5), neg,
                                     COLORS["negative"]))
        if h.spike:
            chart.shapes.append(Circle(x + slot / 2, y0 + ph - total - 6, 3.5, COLORS["negative"]))
    return chart


def keyword_chart(words: list[Keyword], width: float = 720, row: float = 18, *,
                  font: float = 9) -> Chart:
    """Horizontal bars, one per keyword, the negative part in red."""
    row = max(row, font * 1.8)
    chart = Chart(width, _TOP + row * max(len(words), 1) + 8)
    top = max((k.count for k in words), default=1)
    left = min(110.0, width * 0.3)
    pw = width - left - font * 5.5
    for i, k in enumerate(words):
        y = _TOP + row * i
        w = pw * k.count / top
        neg = pw * k.negative / top
        chart.shapes.append(Text(left - 6, y + row * 0.7, k.term, font + 1, "end"))
        chart.shapes.append(Rect(left, y + 2, w, row - 5, COLORS["bar"]))
        if neg > 0:
            chart.shapes.append(Rect(left, y + 2, neg, row - 5, COLORS["negative"]))
        chart.shapes.append(Text(left + w + 4, y + row * 0.7, f"{k.count:,}", font))
    return chart


def legend(lang: str, which: str) -> list[LegendItem]:
    """The legend of the volume chart (``volume``) or of the negative chart (``negative``)."""
    from ..i18n import t

    if which == "volume":
        return [("box", k, t(f"opinion.labels.{k}", lang))
                for k in ("negative", "neutral", "positive")]
    return [("line", "negative", t("opinion.labels.negative", lang)),
            ("dashed", "threshold", t("opinion.html.threshold_legend", lang)),
            ("ring", "negative", t("opinion.html.spike_legend", lang)),
            ("ring", "threshold", t("opinion.html.stands_out_legend", lang))]


# Chart geometry per medium: the PDF's page width, or a phone (360 units wide, 13-unit labels,
# which stay ≥ 11 px on a 390 px screen and readable when a desktop shows them 480 px wide).
SIZES = {"page": {"width": 720, "font": 9}, "phone": {"width": 360, "font": 13}}


def report_charts(report, lang: str, *,
                  keywords: tuple[str, ...] = ("keywords", "negative_keywords", "new_phrases"),
                  size: str = "page") -> list[tuple[str, str, Chart]]:
    """``(key, title, chart)`` for each chart a report has, in the order both files show them.

    Why one list: the HTML and the PDF must show the same charts under the same titles; the
    hourly chart only when the last live day is known, a keyword chart only when it has words.
    ``size``: "page" (the PDF) or "phone" (the HTML file, read on phones as often as not).
    """
    from ..i18n import t

    geo = SIZES[size]
    tall = {"height": 250} if size == "phone" else {}
    out = [("volume_chart", t("opinion.html.volume_chart", lang),
            volume_chart(report.days, **geo, **tall, legend=legend(lang, "volume"))),
           ("negative_chart", t("opinion.html.negative_chart", lang),
            negative_chart(report.days, **geo, **tall, legend=legend(lang, "negative")))]
    if report.hours and report.last_live:
        out.append(("hours_chart",
                    t("opinion.html.hours_chart", lang, date=report.last_live.isoformat()),
                    hourly_chart(report.hours, **geo, **tall)))
    for key in keywords:
        words = getattr(report, key)
        if words:
            out.append((key, t(f"opinion.html.{key}", lang), keyword_chart(words[:15], **geo)))
    return out
