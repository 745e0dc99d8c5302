"""The timeline: a server-rendered SVG Gantt chart (no JavaScript, no external library).

One row per task: the bar spans start→due; critical tasks are red, done ones green, overdue
ones orange; a grey outline shows the baseline when the task moved; a line marks today.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["gantt_svg"]

ROW = 20
LABEL_W = 260
CHART_W = 720
HEAD = 34


def _months(first: date, last: date) -> Iterable[date]:
    cur = date(first.year, first.month, 1)
    while cur <= last:
        yield cur
        cur = date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)


def _short(text: str, limit: int) -> str:
    width, out = 0, []
    for ch in text:
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > limit:
            return "".join(out) + "…"
        out.append(ch)
    return text


def gantt_svg(tasks, today: date, *, baseline: dict[str, tuple[date, date]] | None = None,
              labels: dict[str, str] | None = None, lang: str = "zh",
              until: date | None = None) -> Markup:
    """SVG markup for ``tasks`` (plan Task objects, already ordered).

    ``baseline`` maps task id → (start, due) of the baseline plan; ``until`` cuts the axis (tasks
    beyond it are drawn as arrows at the edge) so a long tail does not squash the near weeks.
    """
    tasks = list(tasks)
    if not tasks:
        return Markup("")
    baseline = baseline or {}
    labels = labels or {}
    first = min([t.start for t in tasks] + [v[0] for v in baseline.values()] + [today])
    last = max([t.due for t in tasks] + [today])
    if until is not None and until > first:
        last = min(last, until)
    first -= timedelta(days=2)
    last += timedelta(days=3)
    span = max((last - first).days, 1)
    scale = CHART_W / span

    def x(d: date) -> float:
        days = min(max((d - first).days, 0), span)
        return LABEL_W + days * scale

    height = HEAD + ROW * len(tasks) + 10
    width = LABEL_W + CHART_W + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'aria-label="{escape(labels.get("aria", "timeline"))}">']
    for month in _months(first, last):
        if month < first:
            continue
        mx = x(month)
        text = f"{month.year}-{month.month:02d}" if month.month == 1 or month == \
            next(iter(_months(first, last))) else (f"{month.month}月" if lang == "zh"
                                                   else month.strftime("%b"))
        out.append(f'<line class="grid" x1="{mx:.1f}" y1="{HEAD - 14}" x2="{mx:.1f}" '
                   f'y2="{height - 6}"/>')
        if mx < LABEL_W + CHART_W - 20:
            out.append(f'<text class="month" x="{mx + 2:.1f}" y="{HEAD - 18}">'
                       f'{escape(text)}</text>')
    for i, task in enumerate(tasks):
        y = HEAD + i * ROW
        overdue = task.done is None and task.due < today
        cls = "done" if task.done else ("overdue" if overdue else
                                        ("critical" if task.critical else "normal"))
        title = escape(task.title)
        out.append(f'<g class="row {cls}" data-task="{escape(task.id)}">')
        out.append(f'<title>{title} · {task.start.isoformat()} → {task.due.isoformat()}</title>')
        out.append(f'<a href="#task-{escape(task.id)}"><text class="label" x="4" y="{y + 14}">'
                   f'{escape(_short(task.title, 38))}</text></a>')
        old = baseline.get(task.id)
        if old and (old[0] != task.start or old[1] != task.due):
            bx, bw = x(old[0]), max(x(old[1] + timedelta(days=1)) - x(old[0]), 3)
            out.append(f'<rect class="baseline" x="{bx:.1f}" y="{y + 3}" width="{bw:.1f}" '
                       f'height="{ROW - 6}"/>')
        sx, ex = x(task.start), x(task.due + timedelta(days=1))
        if task.start > last:
            out.append(f'<text class="beyond" x="{LABEL_W + CHART_W - 4}" y="{y + 14}" '
                       f'text-anchor="end">{escape(task.due.isoformat())} →</text>')
        else:
            out.append(f'<rect class="bar" x="{sx:.1f}" y="{y + 4}" width="{max(ex - sx, 3):.1f}" '
                       f'height="{ROW - 8}" rx="2"/>')
            if task.milestone:
                mx = x(task.due) + scale / 2
                out.append(f'<path class="milestone" d="M{mx:.1f} {y + 2} l6 8 l-6 8 l-6 -8 z"/>')
        out.append("</g>")
    tx = x(today) + scale / 2
    out.append(f'<line class="today" x1="{tx:.1f}" y1="{HEAD - 12}" x2="{tx:.1f}" '
               f'y2="{height - 4}"/>')
    out.append(f'<text class="today-label" x="{tx + 3:.1f}" y="{HEAD - 4}">'
               f'{escape(labels.get("today", "today"))} {today.isoformat()}</text>')
    out.append("</svg>")
    return Markup("".join(out))
