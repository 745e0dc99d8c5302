"""``roadmap.pdf``: the printable roadmap (fpdf2, A4, embedded Noto Sans CJK subset).

Cover with key dates and blockers, a Gantt chart of the whole plan (and of the first weeks when
the plan is long), the tasks week by week with tick boxes, the money, the notes, and an appendix
of every rule with its source. Greyscale only, so a black-and-white printout loses nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from ..roadmap.status import status_long, status_short
from .common import (
    clean_text,
    figure_label,
    fmt_date,
    fmt_md,
    fmt_weekday,
    label,
    milestone_label,
    module_label,
    rule_value_text,
    source_label,
)

__all__ = ["ZOOM_DAYS", "chart_specs", "pdf"]

ZOOM_DAYS = 84  # the close-up chart covers the first twelve weeks
# what may not be split across lines: a number with its separators, a Latin word; else one char
_TOKENS = re.compile(r"[0-9][0-9,.:%/-]*[0-9%]?|[A-Za-z][A-Za-z0-9_.'-]*|\s+|.", re.S)
_MARGIN = 15


def _doc_class():
    from fpdf import FPDF

    class _Doc(FPDF):
        """A4 pages with a running head (after the cover) and 'page n of N' footers."""

        def setup(self, plan, font):
            self.plan, self.lang = plan, plan.lang
            from .fonts import add_cjk_font

            add_cjk_font(self, font)
            from fpdf.enums import TextMode, WrapMode

            self._modes = (TextMode.FILL, TextMode.FILL_STROKE)

            self._char_wrap = WrapMode.CHAR
            self.wrap = WrapMode.CHAR if self.lang == "zh" else WrapMode.WORD
            self.set_margins(_MARGIN, _MARGIN, _MARGIN)
            self.set_auto_page_break(True, margin=16)
            self.alias_nb_pages()

        def font(self, size: float):
            self.set_font("cjk", "", size)

        def txt(self, text) -> str:
            """Text the font can draw: characters it has no glyph for (emoji) are left out,
            so nothing prints as an empty box."""
            text = clean_text(text)
            cmap = self.fonts["cjk"].cmap
            return "".join(ch for ch in text if ch in "\n\t" or ord(ch) in cmap)

        def bold_text(self, size: float, h: float, text: str, indent: float = 0, **kw):
            """One embedded face only (a second CJK face doubles the subsetting time): bold is
            drawn by stroking the glyph outlines as well as filling them, inside q/Q."""
            self.font(size)
            self.set_x(self.l_margin + indent)
            with self.local_context(text_mode=self._modes[1], line_width=size * 0.012,
                                    draw_color=0):
                self.multi_cell(self.w - self.r_margin - self.l_margin - indent, h,
                                self.txt(text), wrapmode=self.wrap, new_x="LMARGIN", **kw)

        def header(self):
            if self.page_no() == 1:
                return
            self.font(8)
            self.set_text_color(80)
            self.cell(0, 5, self.txt(label("pdf.running_head", self.lang, name=self.plan.name,
                                               platform=self.plan.platform_name)))
            self.ln(6)
            self.set_draw_color(150)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(3)
            self.set_text_color(0)

        def footer(self):
            self.set_y(-12)
            self.font(8)
            self.set_text_color(80)
            self.cell(0, 5, label("pdf.page", self.lang, n=self.page_no(), total="{nb}"),
                      align="C")
            self.set_text_color(0)

        # ---------------------------------------------------------------- helpers
        def h1(self, text: str):
            if self.get_y() > self.h - 50:
                self.add_page()
            self.ln(2)
            self.bold_text(15, 8, text)
            self.set_draw_color(0)
            self.set_line_width(0.5)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.set_line_width(0.2)
            self.ln(3)

        def h2(self, text: str):
            if self.get_y() > self.h - 40:
                self.add_page()
            self.ln(1.5)
            self.bold_text(11.5, 6.5, text)
            self.ln(0.5)

        def para(self, text: str, size: float = 10, h: float = 5.5, indent: float = 0,
                 grey: int = 0):
            self.font(size)
            self.set_text_color(grey)
            self.set_x(self.l_margin + indent)
            self.multi_cell(self.w - self.r_margin - self.l_margin - indent, h, self.txt(text),
                            wrapmode=self.wrap, new_x="LMARGIN", align="L")
            self.set_text_color(0)

        def table_of(self, widths, heads, rows, size: float = 8.5):
            from fpdf.fonts import FontFace

            self.font(size)
            self.set_draw_color(0)
            self.set_line_width(0.2)
            style = FontFace(emphasis=None, fill_color=(225, 225, 225))
            with self.table(col_widths=widths, width=sum(widths), align="LEFT", text_align="LEFT",
                            line_height=size * 0.5, wrapmode=self.wrap, headings_style=style,
                            padding=(0.8, 1.2), v_align="TOP") as table:
                row = table.row()
                for head in heads:
                    row.cell(self.txt(head))
                for values in rows:
                    row = table.row()
                    for value, width in zip(values, widths):
                        row.cell(self.unbroken(self.txt(value), width - 2.4 - 0.6))
            self.ln(3)

        def unbroken(self, text: str, width: float) -> str:
            """Chinese text is wrapped at any character; this pre-wraps it so that a number
            with its separators (16,920 · 0.2 · 30%) or a Latin word is never split across
            lines (fpdf2 would break ``16`` / ``,920 元``)."""
            if self.wrap != self._char_wrap:
                return text
            lines = []
            for paragraph in text.split("\n"):
                line, used = "", 0.0
                for token in _TOKENS.findall(paragraph):
                    size = self.get_string_width(token)
                    if line and used + size > width:
                        lines.append(line.rstrip())
                        line, used = token.lstrip(), self.get_string_width(token.lstrip())
                    else:
                        line, used = line + token, used + size
                lines.append(line)
            return "\n".join(lines)

    return _Doc


def _cover(doc, plan) -> None:
    lang = plan.lang
    doc.add_page()
    doc.ln(18)
    doc.bold_text(24, 12, label("pdf.title", lang, name=plan.name), align="C")
    doc.ln(2)
    doc.font(13)
    subtitle = plan.platform_name
    if not plan.delete_account:
        subtitle += label("pdf.dormant", lang)
    doc.multi_cell(0, 7, doc.txt(subtitle), new_x="LMARGIN", align="C")
    doc.ln(2)
    doc.font(10)
    doc.multi_cell(0, 6, label("pdf.dates_line", lang, today=fmt_date(plan.today, lang),
                               start=fmt_date(plan.start, lang), end=fmt_date(plan.end, lang)),
                   new_x="LMARGIN", align="C")
    if plan.provisional:  # the reason any date below is provisional, in one line
        doc.ln(2)
        doc.para(plan.provisional["reason"], size=9, h=5)
    doc.ln(8)
    doc.h2(label("pdf.key_dates", lang))
    rows = [[milestone_label(name, lang),
             label("pdf.date_weekday", lang, date=fmt_date(when, lang),
                   weekday=fmt_weekday(when, lang))]
            for name, when in plan.milestones.items() if when is not None]
    doc.table_of((70, 70), [label("pdf.what", lang), label("pdf.when", lang)], rows, size=10)
    doc.h2(label("pdf.blockers", lang))
    if plan.blockers:
        for i, blocker in enumerate(plan.blockers, 1):
            doc.para(f"{i}. {blocker.message}", size=10, h=5.6)
    else:
        doc.para(label("pdf.no_blockers", lang), size=10)
    doc.ln(4)
    doc.para(label("pdf.cover_note", lang), size=8.5, h=4.6, grey=70)


_CHART_WIDTH = 297 - 2 * _MARGIN   # A4 landscape, inside the margins
_CHART_MAX_HEIGHT = 152.0          # what is left below the running head and the title


def _chart_height(rows: int) -> float:
    return min(_CHART_MAX_HEIGHT, 30 + 3.4 * max(rows, 8))


def chart_specs(plan) -> list[tuple[str, list, object]]:
    """(page title, tasks, axis) of every Gantt page, in order.

    Every part of a split chart shares one axis, so the pages line up; the axis is broken after
    the plan's end when a few tasks lie far later (see :func:`.gantt.plan_axis`).
    """
    from .gantt import ROWS_PER_PAGE, plan_axis, window_axis

    lang = plan.lang
    tasks = list(plan.tasks)
    parts = max(-(-len(tasks) // ROWS_PER_PAGE), 1)
    size = max(-(-len(tasks) // parts), 1)  # balanced pages, not a full one and a stub
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)] or [[]]
    axis = plan_axis(plan, tasks)
    specs = []
    for n, chunk in enumerate(chunks, 1):
        title = label("pdf.gantt", lang)
        if len(chunks) > 1:
            title += label("pdf.part", lang, n=n, total=len(chunks))
        specs.append((title, chunk, axis))
    if (axis.main_end - plan.start).days > ZOOM_DAYS + 28:
        # even the main segment squeezes the first weeks: a close-up of them
        end = plan.start + timedelta(days=ZOOM_DAYS)
        near = [t for t in tasks if t.start <= end][:ROWS_PER_PAGE]
        specs.append((label("pdf.gantt_zoom", lang, start=fmt_md(plan.start, lang),
                            end=fmt_md(end, lang)), near, window_axis(plan.start, end)))
    return specs


def _gantt_pages(doc, plan) -> None:
    from .gantt import draw_gantt

    for title, tasks, axis in chart_specs(plan):
        doc.add_page(orientation="L")
        doc.h1(title)
        draw_gantt(doc, plan, tasks, axis, _MARGIN, doc.get_y(), _CHART_WIDTH,
                   _chart_height(len(tasks)))


def _weeks(plan):
    """(n, first day, last day, tasks) for every week in which a task starts: the text plan's
    weeks (第 1 周 starts on the plan's start), so every output numbers them alike."""
    from ..roadmap.render import weeks

    return weeks(plan)


def _task_block(doc, plan, task) -> None:
    lang = plan.lang
    if doc.will_page_break(18):
        doc.add_page()
    y = doc.get_y()
    doc.set_draw_color(0)
    doc.set_line_width(0.3)
    doc.rect(doc.l_margin, y + 1.2, 3.4, 3.4, style="DF" if task.done else "D")
    doc.set_line_width(0.2)
    if task.critical:
        doc.bold_text(10.5, 5.8, task.title, indent=5.5, align="L")
    else:
        doc.para(task.title, size=10.5, h=5.8, indent=5.5)
    facts = [label("pdf.due", lang, date=fmt_md(task.due, lang), weekday=fmt_weekday(task.due, lang))]
    if task.start < task.due:
        facts.insert(0, label("pdf.starts", lang, date=fmt_md(task.start, lang)))
    facts.append(module_label(task.module, lang))
    if task.status not in ("upcoming", "done"):  # where it stands on the plan's today
        facts.append(status_short(task, lang))
    if task.done:
        facts.append(label("pdf.done_on", lang, date=fmt_md(task.done, lang)))
    elif task.critical:
        facts.append(label("pdf.critical", lang))
    elif task.slack_days:
        facts.append(label("pdf.slack", lang, days=task.slack_days))
    if task.provisional:
        facts.append(label("pdf.provisional", lang))
    doc.para(label("pdf.sep", lang).join(facts), size=8.5, h=4.6, indent=5.5, grey=60)
    why = None if task.done else status_long(task, lang)
    if why:
        doc.para(why, size=9, h=4.8, indent=5.5)
    for i, step in enumerate(task.steps, 1):
        doc.para(f"{i}. {step}", size=9, h=4.8, indent=5.5)
    if task.note:
        doc.para(label("pdf.note", lang, note=task.note), size=9, h=4.8, indent=5.5)
    doc.ln(2.2)


def _tasks_by_week(doc, plan) -> None:
    lang = plan.lang
    doc.add_page(orientation="P")
    doc.h1(label("pdf.weeks", lang))
    doc.para(label("pdf.weeks_note", lang), size=9, h=5, grey=60)
    doc.ln(1)
    for n, monday, sunday, tasks in _weeks(plan):
        doc.h2(label("pdf.week", lang, n=n, start=fmt_md(monday, lang), end=fmt_md(sunday, lang)))
        for task in tasks:
            _task_block(doc, plan, task)


def _money_and_notes(doc, plan) -> None:
    lang = plan.lang
    doc.add_page(orientation="P")
    doc.h1(label("pdf.money", lang))
    from ..vocabulary import say

    rows = []
    titles = {r.id: r.title for r in plan.rules_used}
    sep = "、" if lang == "zh" else "; "
    for key, text in plan.figures.items():
        amount = key.endswith("_cny") and _thousands(text) is not text  # words stay words
        value = label("pdf.yuan", lang, value=_thousands(text)) if amount else say(text, lang)
        basis = sep.join(dict.fromkeys(titles.get(r, "") for r in plan.figure_rules.get(key, [])))
        rows.append([figure_label(key, lang), value, basis.strip(sep)])
    doc.table_of((62, 38, 80), [label("pdf.item", lang), label("pdf.amount", lang),
                                label("pdf.basis", lang)], rows, size=9)
    doc.para(label("pdf.money_note", lang), size=8.5, h=4.6, grey=60)
    if plan.warnings:
        doc.h1(label("pdf.notes", lang))
        for i, warning in enumerate(plan.warnings, 1):
            doc.para(f"{i}. {warning.message}", size=9.5, h=5.2)
            doc.ln(1)


def _thousands(text: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return f"{Decimal(text):,.2f}"
    except (InvalidOperation, ValueError):
        return text


def _appendix(doc, plan) -> None:
    lang = plan.lang
    doc.add_page(orientation="P")
    doc.h1(label("pdf.appendix", lang))
    doc.para(label("pdf.appendix_note", lang, n=len(plan.rules_used)), size=9, h=5, grey=60)
    doc.ln(1)
    yes, no = label("yes", lang), label("no", lang)
    rows = [[r.title, _short_value(r, lang), source_label(r.source, lang),
             r.reference, (yes if r.verified else no) + f"\n{r.last_verified.isoformat()}"]
            for r in plan.rules_used]
    heads = [label(f"pdf.rules.{k}", lang) for k in ("rule", "value", "source", "reference",
                                                       "verified")]
    doc.table_of((48, 38, 12, 63, 19), heads, rows, size=7.5)


def _short_value(rule, lang: str) -> str:
    """A rule value for a table cell: whole tables are named, not printed (xlsx has them)."""
    from ..vocabulary import table_rows

    if rule.unit == "table":
        headers, rows = table_rows(rule.value, lang)
        sep = "：" if lang == "zh" else ": "
        return "\n".join(row[0] + sep + "，".join(row[1:]) if lang == "zh"
                         else row[0] + sep + ", ".join(row[1:]) for row in rows)
    return rule_value_text(rule.value, rule.unit, lang)


def pdf(plan) -> bytes:
    """The roadmap PDF as bytes. Raises UserError when no Chinese font is installed."""
    from .fonts import find_cjk_font

    font = find_cjk_font()
    doc = _doc_class()(orientation="P", unit="mm", format="A4")
    doc.setup(plan, font)
    doc.set_title(clean_text(label("pdf.title", plan.lang, name=plan.name)))
    doc.set_author("xiabo")
    doc.set_creator("xiabo")
    doc.set_lang("zh-CN" if plan.lang == "zh" else "en")
    doc.set_creation_date(datetime.combine(plan.today, time(0, 0), tzinfo=UTC))
    _cover(doc, plan)
    _gantt_pages(doc, plan)
    _tasks_by_week(doc, plan)
    _money_and_notes(doc, plan)
    _appendix(doc, plan)
    return bytes(doc.output())
