"""The Gantt chart of a plan, drawn with fpdf2 lines, boxes and text (vector, greyscale).

Why vector: every label is text that a reader can search, copy and that ``pdftotext`` extracts,
and a page of rectangles costs milliseconds where a raster image costs seconds.

Why a broken axis: a few tasks long after the plan's end (next year's tax return, the end of a
non-compete) would stretch one axis so far that the weeks that matter shrink to a sliver. Tasks
starting after the plan's end go to a compact "later" segment to the right of a break mark, with
their dates written as text; the main segment keeps the plan itself readable.

Made for black-and-white printing: critical-path bars are near-black, other open tasks light
grey, finished tasks white with a line through; key dates are black diamonds and today is a
dashed line. Axis ticks are capped (a date in the year 9999 gives a handful of ticks, never
thousands).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .common import fmt_date, fmt_md, label

__all__ = ["ROWS_PER_PAGE", "Axis", "draw_gantt", "plan_axis", "ticks", "window_axis"]

ROWS_PER_PAGE = 42
MAX_TICKS = 14
_LATER_SHARE = 0.2       # of the bar area, for the "later" segment
_SPLIT_FACTOR = 1.6      # split when the whole span is this much longer than the main one
_CRITICAL, _NORMAL, _DONE = 26, 180, 255
_LABEL_W = 70.0          # mm for the task titles
_GAP = 5.0               # mm between the main and the later segment (the break mark)


@dataclass(frozen=True)
class Axis:
    """Where the chart's time runs: ``first``–``main_end``, then optionally a later segment."""

    first: date
    main_end: date
    later: tuple[date, date] | None = None


def _ord(d: date) -> int:
    return d.toordinal()


def window_axis(first: date, last: date) -> Axis:
    """A plain axis over a fixed window (the close-up of the first weeks)."""
    return Axis(first, max(last, first))


def plan_axis(plan, tasks: Sequence) -> Axis:
    """The axis for ``tasks``: broken after the plan's end when later tasks would squeeze it."""
    if not tasks:
        return Axis(min(plan.start, plan.today), max(plan.end, plan.start))
    first = min([plan.start, plan.today] + [t.start for t in tasks])
    last = max([plan.end] + [t.due for t in tasks])
    main_end = max(plan.end, first)
    while True:  # tasks running a little past the end, not into the later group, stay whole
        later = [t for t in tasks if t.start > main_end]
        if not later:
            return Axis(first, last)
        later_first = min(t.start for t in later)
        spill = max((t.due for t in tasks if t.start <= main_end < t.due < later_first),
                    default=main_end)
        if spill <= main_end:
            break
        main_end = spill
    main_days = max(_ord(main_end) - _ord(first), 14)
    if _ord(last) - _ord(first) <= _SPLIT_FACTOR * main_days:
        return Axis(first, last)
    return Axis(first, main_end, (later_first, last))


# ---------------------------------------------------------------- ticks
_STEPS = (("d", 1), ("d", 2), ("w", 1), ("w", 2), ("m", 1), ("m", 2), ("m", 3), ("m", 6),
          ("y", 1), ("y", 2), ("y", 5), ("y", 10), ("y", 20), ("y", 50), ("y", 100),
          ("y", 200), ("y", 500), ("y", 1000), ("y", 2000), ("y", 5000))
_DAYS = {"d": 1, "w": 7, "m": 30.44, "y": 365.25}


def ticks(first: date, last: date, max_ticks: int = MAX_TICKS) -> list[tuple[date, str]]:
    """At most ``max_ticks`` round dates between ``first`` and ``last`` with short labels.

    The step grows (days, weeks, months, years, decades … millennia) until the count fits, and
    the loop runs at most ``max_ticks`` times whatever the span.
    """
    max_ticks = max(max_ticks, 1)
    span = max(_ord(last) - _ord(first), 1)
    unit, n = next(((u, k) for u, k in _STEPS if span / (k * _DAYS[u]) <= max_ticks),
                   _STEPS[-1])
    out: list[tuple[date, str]] = []
    if unit in ("d", "w"):
        start = _ord(first)
        if unit == "w":
            start += (7 - first.weekday()) % 7  # Mondays
        step = n * _DAYS[unit]
        long = last.year != first.year
        for k in range(max_ticks + 1):
            o = int(start + k * step)
            if o > _ord(last):
                break
            d = date.fromordinal(o)
            out.append((d, f"{d.year}-{d.month:02d}-{d.day:02d}" if long and (k == 0 or (
                d.month == 1 and d.day <= step)) else f"{d.month:02d}-{d.day:02d}"))
        return out
    if unit == "m":
        index = first.year * 12 + first.month - 1 + (first.day > 1)
        index = -(-index // n) * n
        for _ in range(max_ticks + 1):
            year, month = divmod(index, 12)
            if year > last.year or (year == last.year and month + 1 > last.month):
                break
            out.append((date(year, month + 1, 1), f"{year}-{month + 1:02d}"))
            index += n
        return out
    year = first.year + (first.month > 1 or first.day > 1)
    year = -(-year // n) * n
    for _ in range(max_ticks + 1):
        if year > last.year:
            break
        out.append((date(year, 1, 1), str(year)))
        year += n
    return out


# ---------------------------------------------------------------- drawing
class _Scale:
    """Dates to millimetres on one segment [lo, hi] drawn between x0 and x1."""

    def __init__(self, lo: date, hi: date, x0: float, x1: float):
        self.lo, self.hi, self.x0, self.x1 = _ord(lo), _ord(hi) + 1, x0, x1
        self.k = (x1 - x0) / max(self.hi - self.lo, 1)

    def x(self, d: date | int) -> float:
        o = d if isinstance(d, int) else _ord(d)
        return self.x0 + (min(max(o, self.lo), self.hi) - self.lo) * self.k

    def bar(self, start: date, due: date) -> tuple[float, float] | None:
        """(x, width) of the part of a task inside this segment, at least 0.8 mm wide."""
        a, b = max(_ord(start), self.lo), min(_ord(due) + 1, self.hi)
        if b <= a and not (self.lo <= _ord(start) < self.hi):
            return None
        x0 = self.x(a)
        return x0, max(self.x(max(b, a)) - x0, 0.8)


def _fit(doc, text: str, width: float) -> str:
    if doc.get_string_width(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if doc.get_string_width(text[:mid] + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


def _style(doc, done: bool, critical: bool) -> None:
    if done:
        doc.set_fill_color(_DONE)
        doc.set_draw_color(80)
    elif critical:
        doc.set_fill_color(_CRITICAL)
        doc.set_draw_color(_CRITICAL)
    else:
        doc.set_fill_color(_NORMAL)
        doc.set_draw_color(120)


def _box(doc, done: bool, critical: bool, x: float, y: float, w: float, h: float) -> None:
    _style(doc, done, critical)
    doc.set_line_width(0.2)
    doc.rect(x, y, w, h, style="DF")
    if done:
        doc.line(x, y + h / 2, x + w, y + h / 2)


def _diamond(doc, cx: float, cy: float, r: float) -> None:
    doc.set_fill_color(0)
    doc.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], style="F")


def _legend(doc, lang: str, x: float, y: float) -> None:
    doc.font(7)
    doc.set_text_color(0)
    for kind in ("critical", "normal", "done", "milestone", "today"):
        if kind == "milestone":
            _diamond(doc, x + 1.5, y + 1.5, 1.3)
        elif kind == "today":
            doc.set_draw_color(0)
            doc.set_line_width(0.3)
            with doc.local_context():
                doc.set_dash_pattern(dash=1, gap=0.6)
                doc.line(x, y + 1.5, x + 5, y + 1.5)
        else:
            _box(doc, kind == "done", kind == "critical", x, y, 6, 3)
        text = doc.txt(label(f"pdf.legend.{kind}", lang))
        doc.text(x + 7.5, y + 2.6, text)
        x += 7.5 + doc.get_string_width(text) + 6


def _axis_labels(doc, scale: _Scale, marks, top: float, bottom: float,
                 right: float = -1e9) -> float:
    """Grid lines and tick labels; returns where the last label ends (the next segment's
    labels start after it, so none print on top of another)."""
    doc.set_draw_color(215)
    doc.set_line_width(0.15)
    doc.font(6)
    doc.set_text_color(60)
    for when, text in marks:
        x = scale.x(when)
        doc.line(x, top, x, bottom)
        w = doc.get_string_width(text)
        if x - w / 2 > right + 1:  # never print two labels on top of each other
            doc.text(max(x - w / 2, scale.x0 - w / 2), bottom + 3.2, text)
            right = x + w / 2
    doc.set_text_color(0)
    return right


def draw_gantt(doc, plan, tasks: Sequence, axis: Axis, x: float, y: float, w: float,
               h: float) -> None:
    """Draw ``tasks`` on ``axis`` into the box (x, y, w, h) of ``doc`` (mm, fpdf2 document)."""
    lang = plan.lang
    _legend(doc, lang, x, y)
    top = y + 10.0
    bottom = y + h - 6.0
    n = max(len(tasks), 1)
    row = min((bottom - top) / n, 5.0)
    bottom = top + row * n
    bars_x0 = x + _LABEL_W + 2
    bars_x1 = x + w
    later = axis.later
    main_x1 = bars_x1 - (_LATER_SHARE * (bars_x1 - bars_x0) + _GAP if later else 0)
    main = _Scale(axis.first, axis.main_end, bars_x0, main_x1)
    rest = _Scale(later[0], later[1], main_x1 + _GAP, bars_x1) if later else None
    per_mm = 1 / 15  # one tick label per 15 mm
    right = _axis_labels(doc, main, ticks(axis.first, axis.main_end,
                                          min(MAX_TICKS, int((main_x1 - bars_x0) * per_mm))),
                         top, bottom)
    if rest:
        _axis_labels(doc, rest, ticks(later[0], later[1],
                                      max(int((bars_x1 - rest.x0) / 12), 2)), top, bottom,
                     right + 1.5)
        _break_mark(doc, main_x1, top, bottom)
        doc.font(6.5)
        doc.set_text_color(60)
        doc.text(rest.x0, top - 1.2, doc.txt(label("pdf.later_band", lang)))
        doc.set_text_color(0)
    doc.set_draw_color(0)
    doc.set_line_width(0.3)
    doc.line(bars_x0, bottom, main_x1, bottom)
    if rest:
        doc.line(rest.x0, bottom, bars_x1, bottom)
    size = 6.5 if row >= 3.2 else 5.5
    for i, task in enumerate(tasks):
        y0 = top + i * row
        bar_y, bar_h = y0 + row * 0.18, row * 0.64
        text_y = y0 + row / 2 + size * 0.125
        if i % 2:
            doc.set_fill_color(244)
            doc.rect(x, y0, w, row, style="F")
        _title(doc, task, size, x, text_y)
        for span in (main.bar(task.start, task.due), rest.bar(task.start, task.due) if rest
                     else None):
            if span:
                _box(doc, bool(task.done), task.critical, span[0], bar_y, span[1], bar_h)
        if task.milestone:
            for scale in (main, rest):
                if scale and scale.lo <= _ord(task.due) < scale.hi:
                    _diamond(doc, scale.x(_ord(task.due) + 1), y0 + row / 2, min(row * 0.38, 1.6))
        if rest and task.start > axis.main_end:
            _later_dates(doc, task, lang, main_x1 - 1, text_y, size)
        elif task.due > (later[1] if later else axis.main_end):
            _overflow(doc, task, lang, main if not rest else rest, text_y, size)
    _today(doc, plan, [s for s in (main, rest) if s], top, bottom)


def _title(doc, task, size: float, x: float, baseline: float) -> None:
    doc.font(size)
    text = _fit(doc, doc.txt(task.title), _LABEL_W - 1)
    if task.critical and not task.done:
        with doc.local_context(text_mode=doc._modes[1], line_width=size * 0.012, draw_color=0):
            doc.text(x, baseline, text)
    else:
        doc.set_text_color(50)
        doc.text(x, baseline, text)
        doc.set_text_color(0)


def _later_dates(doc, task, lang: str, right: float, baseline: float, size: float) -> None:
    """A later task's dates as text, right-aligned against the break."""
    if task.start == task.due:
        text = fmt_date(task.start, lang)
    else:
        text = label("pdf.date_range", lang, start=fmt_date(task.start, lang),
                     end=fmt_date(task.due, lang))
    doc.font(size)
    doc.set_text_color(40)
    text = doc.txt(text)
    doc.text(right - doc.get_string_width(text), baseline, text)
    doc.set_text_color(0)


def _overflow(doc, task, lang: str, scale: _Scale, baseline: float, size: float) -> None:
    """A bar cut at the right edge: its end date written just left of where it starts."""
    text = doc.txt(label("pdf.until", lang, date=fmt_date(task.due, lang)))
    doc.font(size)
    width = doc.get_string_width(text)
    left = scale.x(task.start) - 1 - width
    doc.set_text_color(40)
    if left >= scale.x0:
        doc.text(left, baseline, text)
    else:  # no room on the left: inside the bar, in its contrasting colour
        doc.set_text_color(255 if task.critical and not task.done else 0)
        doc.text(scale.x1 - width - 1, baseline, text)
    doc.set_text_color(0)


def _break_mark(doc, x: float, top: float, bottom: float) -> None:
    doc.set_draw_color(0)
    doc.set_line_width(0.3)
    for dx in (0.8, 2.6):
        doc.line(x + dx, bottom + 1.6, x + dx + 1.4, bottom - 1.6)
    doc.set_draw_color(170)
    doc.set_line_width(0.15)
    with doc.local_context():
        doc.set_dash_pattern(dash=0.6, gap=0.8)
        doc.line(x + _GAP / 2, top, x + _GAP / 2, bottom)


def _today(doc, plan, scales, top: float, bottom: float) -> None:
    for scale in scales:
        if scale.lo <= _ord(plan.today) < scale.hi:
            x = scale.x(plan.today)
            doc.set_draw_color(0)
            doc.set_line_width(0.35)
            with doc.local_context():
                doc.set_dash_pattern(dash=1.2, gap=0.7)
                doc.line(x, top - 1, x, bottom)
            doc.font(6.5)
            doc.text(x + 0.6, top - 1.2,
                     doc.txt(label("pdf.today_mark", plan.lang, date=fmt_md(plan.today, plan.lang))))
            return
