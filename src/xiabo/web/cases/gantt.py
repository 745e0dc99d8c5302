"""The timeline: a server-rendered SVG Gantt chart (no JavaScript, no external library).

One row per task: the task's name sits above its bar, so no label column eats a phone's width.
The bar spans start→due; done tasks are green, overdue ones orange, critical ones red (the
classes the legend uses); a dashed outline shows the baseline when the task moved; a line marks
today. The SVG has a viewBox and a natural width of ``PX_DAY`` pixels a day: the page puts it in
a box that scrolls sideways (and says so) and scrolls that box to today. The drawing is bounded
whatever the dates: at most ``MAX_W`` pixels wide and ``MAX_TICKS`` month lines, month labels
skipped where they would overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["MAX_TICKS", "MAX_W", "gantt_svg"]

ROW = 36          # one task: a label line and a bar
HEAD = 30         # month labels and today's label
PX_DAY = 14.0     # natural scale: two weeks ≈ 200 px, about half a phone screen
MIN_W = 640       # a short plan still fills a desktop card
MAX_W = 16000     # a far-future date compresses the scale instead of growing the drawing
MAX_TICKS = 48    # month lines drawn at most (every 2nd, 3rd, 6th … month beyond that)
CHAR_W = 7.0      # rough width of a Latin character at 12 px; CJK counts double


def _text_w(text: str) -> float:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) * CHAR_W


def _months(first: date, last: date, step: int) -> Iterator[date]:
    cur = date(first.year, first.month, 1)
    if cur < first:
        cur = date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
    while cur <= last:
        yield cur
        m = cur.month - 1 + step
        cur = date(cur.year + m // 12, m % 12 + 1, 1)


def _month_step(first: date, last: date) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for step in (1, 2, 3, 6, 12, 24, 60, 120, 600, 1200):
        if months / step <= MAX_TICKS:
            return step
    return 12000


def _month_text(month: date, first_label: bool, step: int, lang: str) -> str:
    if step >= 12:
        return str(month.year)
    if month.month == 1 or first_label:
        return f"{month.year}-{month.month:02d}"
    return f"{month.month}月" if lang == "zh" else month.strftime("%b")


def gantt_svg(tasks, today: date, *, baseline: dict[str, tuple[date, date]] | None = None,
              labels: dict[str, str] | None = None, lang: str = "zh",
              until: date | None = None) -> Markup:
    """SVG markup for ``tasks`` (plan Task objects, already ordered).

    ``baseline`` maps task id → (start, due) of the baseline plan; ``until`` cuts the axis
    (tasks beyond it are drawn as arrows at the edge); by default the whole plan is drawn.
    """
    tasks = list(tasks)
    if not tasks:
        return Markup("")
    baseline = baseline or {}
    labels = labels or {}
    first = min([t.start for t in tasks] + [v[0] for v in baseline.values()] + [today])
    last = max([t.due for t in tasks] + [v[1] for v in baseline.values()] + [today])
    if until is not None and until > first:
        last = min(last, until)
    first -= timedelta(days=3)
    last += timedelta(days=6)
    span = max((last - first).days, 1)
    scale = min(max(PX_DAY, MIN_W / span), MAX_W / span)
    width = round(span * scale)

    def x(d: date) -> float:
        return min(max((d - first).days, 0), span) * scale

    height = HEAD + ROW * len(tasks) + 6
    tx = x(today) + scale / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="group" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'data-today="{tx / width:.4f}" '
           f'aria-label="{escape(labels.get("aria", "timeline"))}">']
    step = _month_step(first, last)
    label_end = -1.0
    for i, month in enumerate(_months(first, last, step)):
        mx = x(month)
        out.append(f'<line class="grid" x1="{mx:.1f}" y1="{HEAD - 16}" x2="{mx:.1f}" '
                   f'y2="{height}"/>')
        text = _month_text(month, i == 0, step, lang)
        w = _text_w(text)
        if mx + 3 >= label_end and mx + 3 + w <= width:
            out.append(f'<text class="month" x="{mx + 3:.1f}" y="{HEAD - 18}">'
                       f'{escape(text)}</text>')
            label_end = mx + 3 + w + 8
    # today's line goes under the rows: names are drawn over it (with a halo, app.css)
    out.append(f'<line class="today" x1="{tx:.1f}" y1="{HEAD - 10}" x2="{tx:.1f}" '
               f'y2="{height}"/>')
    for i, task in enumerate(tasks):
        y = HEAD + i * ROW
        overdue = task.done is None and (task.status in ("overdue", "at_risk", "behind")
                                          or task.due < today)
        cls = "done" if task.done else ("overdue" if overdue else
                                        ("critical" if task.critical else "normal"))
        tid = escape(task.id)
        out.append(f'<g class="row {cls}" data-task="{tid}">')
        out.append(f'<title>{task.start.isoformat()} → {task.due.isoformat()}</title>')
        old = baseline.get(task.id)
        if old and (old[0] != task.start or old[1] != task.due):
            bx, bw = x(old[0]), max(x(old[1] + timedelta(days=1)) - x(old[0]), 3)
            out.append(f'<rect class="baseline" x="{bx:.1f}" y="{y + 17}" width="{bw:.1f}" '
                       f'height="14"/>')
        sx, ex = x(task.start), x(task.due + timedelta(days=1))
        label = escape(task.title)
        if task.start > last:
            out.append(f'<a href="?task={tid}#task-{tid}"><text class="beyond label" x="{width - 4}" '
                       f'y="{y + 13}" text-anchor="end">{label} '
                       f'{escape(task.due.isoformat())} →</text></a>')
        else:
            out.append(f'<rect class="bar" x="{sx:.1f}" y="{y + 18}" '
                       f'width="{max(ex - sx, 3):.1f}" height="12" rx="2"/>')
            if task.milestone:
                mx = x(task.due) + scale / 2
                out.append(f'<path class="milestone" d="M{mx:.1f} {y + 16} l6 8 l-6 8 l-6 -8 z"/>')
            # the name starts where the bar starts, or ends where the chart ends
            anchor = (f'x="{sx + 1:.1f}" data-x="{sx + 1:.1f}"'
                      if sx + _text_w(task.title) < width - 4
                      else f'x="{width - 4}" text-anchor="end"')
            out.append(f'<a href="?task={tid}#task-{tid}"><text class="label" {anchor} y="{y + 13}">'
                       f'{label}</text></a>')
        out.append("</g>")
    today_text = f'{labels.get("today", "today")} {today.isoformat()}'
    anchor = "end" if tx + _text_w(today_text) > width else "start"
    out.append(f'<text class="today-label" x="{tx + (3 if anchor == "start" else -3):.1f}" '
               f'y="{HEAD - 2}" text-anchor="{anchor}">{escape(today_text)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
