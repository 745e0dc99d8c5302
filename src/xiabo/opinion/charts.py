"""The report's charts as simple shapes, drawn by both the HTML (SVG) and the PDF (fpdf2).

Why not matplotlib: it takes about a second to import and needs the CJK font for every label;
four bar and line charts are a few dozen rectangles, and one geometry for both outputs keeps
the HTML and the PDF showing the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import Bucket, Keyword

__all__ = ["COLORS", "Chart", "Circle", "Line", "Rect", "Text", "hourly_chart", "keyword_chart",
           "negative_chart", "report_charts", "volume_chart"]

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


def _nice_max(value: float) -> float:
    """The smallest 4 × (1..9 × 10^k) at or above ``value``: four whole-number grid steps."""
    if value <= 4:
        return 4.0
    unit = 10 ** max(len(str(int(value / 4))) - 1, 0)
    for m in range(1, 11):
        if 4 * m * unit >= value:
            return float(4 * m * unit)
    return float(40 * unit)


def _frame(chart: Chart, top: float, labels: list[str]) -> tuple[float, float, float]:
    """Axes, grid and labels; returns (plot width, plot height, slot width)."""
    pw, ph = chart.width - _LEFT - _RIGHT, chart.height - _TOP - _BOTTOM
    for i in range(5):
        y = _TOP + ph * i / 4
        chart.shapes.append(Line(((_LEFT, y), (_LEFT + pw, y)), COLORS["grid"], 0.8))
        chart.shapes.append(Text(_LEFT - 4, y + 3.5, f"{top * (4 - i) / 4:,.0f}", 9, "end"))
    slot = pw / max(len(labels), 1)
    every = max(1, int(len(labels) / max(pw / 60, 1)) + (1 if len(labels) > pw / 60 else 0))
    for i, label in enumerate(labels):
        if i % every == 0:
            chart.shapes.append(Text(_LEFT + slot * (i + 0.5), _TOP + ph + 14, label, 9, "middle"))
    chart.shapes.append(Line(((_LEFT, _TOP + ph), (_LEFT + pw, _TOP + ph)), COLORS["axis"], 1))
    return pw, ph, slot


def volume_chart(days: list[Bucket], width: float = 720, height: float = 240) -> Chart:
    """Stacked bars per day: negative at the bottom, then neutral, then positive."""
    chart = Chart(width, height)
    top = _nice_max(max((d.volume for d in days), default=0))
    pw, ph, slot = _frame(chart, top, [d.day.strftime("%m-%d") for d in days])
    bar = max(slot * 0.75, 1.0)
    for i, d in enumerate(days):
        x = _LEFT + slot * i + (slot - bar) / 2
        base = _TOP + ph
        for key in ("negative", "neutral", "positive"):
            h = ph * getattr(d, key) / top
            if h > 0:
                chart.shapes.append(Rect(x, base - h, bar, h, COLORS[key]))
                base -= h
    return chart


def negative_chart(days: list[Bucket], width: float = 720, height: float = 220) -> Chart:
    """Negative messages per day as a line, the spike threshold dashed, spikes circled."""
    chart = Chart(width, height)
    bars = [d.point.threshold for d in days if d.point and d.point.threshold is not None]
    top = _nice_max(max([d.negative for d in days] + bars + [0]))
    pw, ph, slot = _frame(chart, top, [d.day.strftime("%m-%d") for d in days])

    def xy(i: int, v: float) -> tuple[float, float]:
        return (_LEFT + slot * (i + 0.5), _TOP + ph - ph * v / top)

    pts = tuple(xy(i, d.negative) for i, d in enumerate(days))
    thr = tuple(xy(i, d.point.threshold) for i, d in enumerate(days)
                if d.point and d.point.threshold is not None)
    if len(thr) > 1:
        chart.shapes.append(Line(thr, COLORS["threshold"], 1.2, dashed=True))
    if len(pts) > 1:
        chart.shapes.append(Line(pts, COLORS["negative"], 1.8))
    for i, d in enumerate(days):
        x, y = pts[i]
        if d.spike:
            chart.shapes.append(Circle(x, y, 5.5, COLORS["negative"]))
        elif len(pts) == 1:
            chart.shapes.append(Circle(x, y, 2.5, COLORS["negative"]))
    return chart


def hourly_chart(hours: list[Bucket], width: float = 720, height: float = 200) -> Chart:
    """Messages per hour, negative share darker, spike hours marked above their bar."""
    chart = Chart(width, height)
    top = _nice_max(max((h.volume for h in hours), default=0))
    labels = [f"{h.day.strftime('%m-%d')} {h.hour:02d}" if h.hour in (0, 12) else "" for h in hours]
    pw, ph, slot = _frame(chart, top, labels)
    for i, h in enumerate(hours):
        x = _LEFT + slot * i
        total = ph * h.volume / top
        neg = ph * h.negative / top
        if total > 0:
            chart.shapes.append(Rect(x, _TOP + ph - total, max(slot * 0.9, 0.5), total - neg,
                                     COLORS["neutral"]))
        if neg > 0:
            chart.shapes.append(Rect(x, _TOP + ph - neg, max(slot * 0.9, 0.5), neg,
                                     COLORS["negative"]))
        if h.spike:
            chart.shapes.append(Circle(x + slot / 2, _TOP + ph - total - 6, 3.5, COLORS["negative"]))
    return chart


def keyword_chart(words: list[Keyword], width: float = 720, row: float = 18) -> Chart:
    """Horizontal bars, one per keyword, the negative part in red."""
    chart = Chart(width, _TOP + row * max(len(words), 1) + 8)
    top = max((k.count for k in words), default=1)
    left, pw = 110.0, width - 110.0 - 60.0
    for i, k in enumerate(words):
        y = _TOP + row * i
        w = pw * k.count / top
        neg = pw * k.negative / top
        chart.shapes.append(Text(left - 6, y + row * 0.7, k.term, 10, "end"))
        chart.shapes.append(Rect(left, y + 2, w, row - 5, COLORS["bar"]))
        if neg > 0:
            chart.shapes.append(Rect(left, y + 2, neg, row - 5, COLORS["negative"]))
        chart.shapes.append(Text(left + w + 4, y + row * 0.7, f"{k.count:,}", 9))
    return chart


def report_charts(report, lang: str, *,
                  keywords: tuple[str, ...] = ("keywords", "negative_keywords", "new_phrases")
                  ) -> list[tuple[str, str, Chart]]:
    """``(key, title, chart)`` for each chart a report has, in the order both files show them.

    Why one list: the HTML and the PDF must show the same charts under the same titles; the
    hourly chart only when the last live day is known, a keyword chart only when it has words.
    """
    from ..i18n import t

    out = [(key, t(f"opinion.html.{key}", lang), make(report.days))
           for key, make in (("volume_chart", volume_chart), ("negative_chart", negative_chart))]
    if report.hours and report.last_live:
        out.append(("hours_chart",
                    t("opinion.html.hours_chart", lang, date=report.last_live.isoformat()),
                    hourly_chart(report.hours)))
    for key in keywords:
        words = getattr(report, key)
        if words:
            out.append((key, t(f"opinion.html.{key}", lang), keyword_chart(words[:15])))
    return out
