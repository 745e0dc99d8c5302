"""The Gantt chart of a plan, drawn with matplotlib (Agg) as a greyscale image.

Made for black-and-white printing: critical-path bars are near-black with white hatching,
other open tasks light grey, finished tasks white with a cross-hatch; milestones are black
diamonds and today is a dashed line. matplotlib is imported here only, when a PDF is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from .common import fmt_md, label

__all__ = ["ROWS_PER_PAGE", "gantt_image"]

ROWS_PER_PAGE = 42
_CRITICAL = "#1a1a1a"
_NORMAL = "#b4b4b4"
_DONE = "#ffffff"


def _font_props(font, size: float):
    from matplotlib.font_manager import FontProperties

    try:  # matplotlib >= 3.11 can pick a face inside a .ttc collection
        from matplotlib.font_manager import FontPath

        return FontProperties(fname=FontPath(str(font.path), font.index), size=size)
    except ImportError:  # pragma: no cover - older matplotlib: first face of the file
        return FontProperties(fname=str(font.path), size=size)


def _short(text: str, width: int) -> str:
    from .common import display_width

    if display_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch + "…") > width:
            break
        out += ch
    return out + "…"


def _ticks(first: date, last: date, span: int) -> list[tuple[date, str]]:
    """Mondays on a short axis, first days of months on a long one (no matplotlib.dates)."""
    out = []
    if span <= 120:
        day = first + timedelta(days=(7 - first.weekday()) % 7)
        while day <= last:
            out.append((day, f"{day.month:02d}-{day.day:02d}"))
            day += timedelta(days=7)
        return out
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            out.append((day, f"{day.year}-{day.month:02d}" if span > 400 else
                        f"{day.month:02d}-01"))
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def gantt_image(plan, tasks: Sequence, font, *, size_in: tuple[float, float] = (10.9, 6.9),
                dpi: int = 200, window: tuple[date, date] | None = None):
    """A greyscale PIL image of ``tasks`` on the plan's timeline (or ``window``)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import get_font
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from PIL import Image

    lang = plan.lang
    small = _font_props(font, 6.5)
    tiny = _font_props(font, 6)
    face = get_font(small.get_file())
    # Characters the font has no glyph for (emoji in a name) are left out, never drawn as boxes.
    def drawable(text: str) -> str:
        return "".join(ch for ch in text if face.get_char_index(ord(ch)))

    first = window[0] if window else min([plan.start, plan.today] + [t.start for t in tasks])
    last = window[1] if window else max([plan.end] + [t.due for t in tasks])
    span = max((last - first).days, 14)
    min_days = span / 120  # a one-day task stays visible on a year-long axis
    def x(d) -> float:
        return float((d - first).days)

    fig = Figure(figsize=size_in, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.25, 0.08, 0.73, 0.85))
    n = len(tasks)
    groups: dict[str, tuple[list, list, list]] = {"done": ([], [], []), "critical": ([], [], []),
                                                  "normal": ([], [], [])}
    marks_x, marks_y = [], []
    for row, task in enumerate(tasks):
        y = n - 1 - row
        kind = "done" if task.done else "critical" if task.critical else "normal"
        ys, lefts, widths = groups[kind]
        ys.append(y)
        lefts.append(x(task.start))
        widths.append(max((task.due - task.start).days + 1, min_days))
        if task.milestone:
            marks_x.append(x(task.due) + 1)
            marks_y.append(y)
    styles = {
        "done": {"color": _DONE, "edgecolor": "#555555", "hatch": "xxxx", "linewidth": 0.5},
        "critical": {"color": _CRITICAL, "edgecolor": "#ffffff", "hatch": "////",
                     "linewidth": 0.0},
        "normal": {"color": _NORMAL, "edgecolor": "#808080", "linewidth": 0.4},
    }
    for kind, (ys, lefts, widths) in groups.items():
        if ys:
            ax.barh(ys, widths, left=lefts, height=0.62, **styles[kind])
    if marks_x:
        ax.plot(marks_x, marks_y, marker="D", color="black", markersize=4, linestyle="none",
                zorder=5)
    ax.set_yticks(range(n - 1, -1, -1), [_short(drawable(t.title), 34) for t in tasks],
                  fontproperties=small)
    for tick, task in zip(ax.get_yticklabels(), tasks):
        if not task.critical:
            tick.set_color("#333333")
    ax.set_ylim(-0.8, n - 0.2)
    ax.set_xlim(-1, span + 2)
    ticks = _ticks(first, last, span)
    ax.set_xticks([x(d) for d, _ in ticks], [text for _, text in ticks], fontproperties=tiny,
                  rotation=0 if span <= 400 else 45)
    ax.grid(axis="x", color="#d0d0d0", linewidth=0.4)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if first <= plan.today <= last:
        ax.axvline(x(plan.today), color="black", linestyle=(0, (4, 2)), linewidth=1.0, zorder=6)
        ax.text(x(plan.today), n - 0.3,
                " " + label("pdf.today_mark", lang, date=fmt_md(plan.today, lang)),
                fontproperties=tiny, va="bottom", ha="left")
    handles = [
        Patch(facecolor=_CRITICAL, edgecolor="#ffffff", hatch="////",
              label=label("pdf.legend.critical", lang)),
        Patch(facecolor=_NORMAL, edgecolor="#808080", label=label("pdf.legend.normal", lang)),
        Patch(facecolor=_DONE, edgecolor="#555555", hatch="xxxx",
              label=label("pdf.legend.done", lang)),
        Line2D([], [], marker="D", color="black", linestyle="none", markersize=4,
               label=label("pdf.legend.milestone", lang)),
        Line2D([], [], color="black", linestyle=(0, (4, 2)), label=label("pdf.legend.today", lang)),
    ]
    ax.legend(handles=handles, prop=tiny, loc="lower left", bbox_to_anchor=(0.0, 1.01),
              frameon=False, ncols=5, borderaxespad=0.0)
    fig.canvas.draw()
    width_px, height_px = fig.canvas.get_width_height()
    rgba = Image.frombuffer("RGBA", (width_px, height_px), fig.canvas.buffer_rgba(), "raw",
                            "RGBA", 0, 1)
    return rgba.convert("L")
