"""``roadmap.xlsx``: tasks, key dates, money, rule sources and notes as a workbook.

The first column of every sheet is what a person reads (the task's title); ids sit only in the
task sheet's and the rules sheet's id columns, rules elsewhere are named by their titles. Row heights are computed from the wrapped text (LibreOffice does not fit them).

Every text cell is written as text: a task note such as ``=HYPERLINK("x")`` stays a string and
never becomes a formula (CWE-1236). Dates are real Excel dates; the status column has a
drop-down; header rows are frozen and filterable; column widths count CJK characters as 2.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from ..roadmap.plan import STATUSES
from ..roadmap.status import status_long
from .common import (
    clean_text,
    display_width,
    figure_label,
    label,
    milestone_label,
    module_label,
    normalise_zip,
    source_label,
    status_label,
)

__all__ = ["FORMULA_PREFIXES", "xlsx"]

# A cell starting with one of these could be read as a formula by a spreadsheet program.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_MAX_CELL = 32767
_MAX_WIDTH = 60
_DATE_FORMAT = "yyyy-mm-dd"
# One line of 11-point text, with leading: Chinese lines are taller (LibreOffice and Excel fall
# back to a CJK face whose line height is ~1.5 em), so they get more room.
_LINE_POINTS = {"zh": 17.5, "en": 15.0}
_MAX_HEIGHT = 409  # points: the spreadsheet limit for one row


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (CJK count 2)."""
    room = max(int(width) - 2, 4)  # cell padding, and a line never ends on a lone 。
    return sum(max(-(-display_width(part) // room), 1) for part in str(text).split("\n"))


def _put(ws, row: int, col: int, value):
    """Write one cell; strings are always text (never formulas), dates are dates."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, (bool, int, float, Decimal)):
        cell.value = value
    elif isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = _DATE_FORMAT
    else:
        text = clean_text(value)[:_MAX_CELL]
        cell.value = text
        cell.data_type = "s"  # openpyxl would turn a leading "=" into a formula
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def _sheet(wb, title: str, headers: list[str], rows: list[list], *, wrap: set[int] = frozenset(),
           freeze: str = "A2", widths: dict[int, int] | None = None, lang: str = "zh"):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDDDDD")
    line = Border(bottom=Side(style="thin", color="000000"))
    for col, head in enumerate(headers, 1):
        cell = _put(ws, 1, col, head)
        cell.font, cell.fill, cell.border = bold, fill, line
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    top_wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")
    centred = Alignment(vertical="top", horizontal="center")  # dates and numbers never touch
    for r, row in enumerate(rows, 2):                          # the text of the next column
        for col, value in enumerate(row, 1):
            cell = _put(ws, r, col, value)
            plain = isinstance(value, (date, int)) and not isinstance(value, bool)
            cell.alignment = top_wrap if col in wrap else centred if plain else top
    for col, head in enumerate(headers, 1):
        width = display_width(head)
        for row in rows:
            value = row[col - 1] if col - 1 < len(row) else None
            if isinstance(value, (date, datetime)):
                w = 11
            elif value is None:
                w = 0
            else:
                w = max((display_width(part) for part in str(value).split("\n")), default=0)
            width = max(width, w)
        width = min(width + 2, (widths or {}).get(col, _MAX_WIDTH))
        ws.column_dimensions[get_column_letter(col)].width = max(width, 6)
    if wrap:
        for r, row in enumerate(rows, 2):
            lines = max((_lines(row[c - 1], ws.column_dimensions[get_column_letter(c)].width)
                         for c in wrap if c - 1 < len(row) and isinstance(row[c - 1], str)
                         and row[c - 1]), default=1)
            if lines > 1:
                ws.row_dimensions[r].height = min(lines * _LINE_POINTS[lang] + 4, _MAX_HEIGHT)
    ws.freeze_panes = freeze
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    return ws


def _rule_titles(plan, ids) -> str:
    """The rules a row rests on, by their titles, one a line (ids are on the rules sheet)."""
    titles = {r.id: r.title for r in plan.rules_used}
    return "\n".join(dict.fromkeys(titles[i] for i in ids if i in titles))


def _tasks_sheet(wb, plan, lang: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    yes, no = label("yes", lang), label("no", lang)
    titles = {task.id: task.title for task in plan.tasks}
    sep = "、" if lang == "zh" else "; "
    rows = []
    for task in plan.tasks:
        rows.append([
            task.title, module_label(task.module, lang), task.start, task.due,
            status_label(task.status, lang), "" if task.done else status_long(task, lang) or "",
            task.done, yes if task.critical else no,
            task.slack_days, sep.join(titles.get(d, d) for d in task.depends_on),
            "\n".join(f"{i}. {s}" for i, s in enumerate(task.steps, 1)),
            task.note or "", task.id, _rule_titles(plan, task.rules),
            label("pdf.provisional", lang) if task.provisional and not task.done else "",
        ])
    heads = [label(f"xlsx.tasks.{k}", lang) for k in
             ("title", "module", "start", "due", "status", "why", "done", "critical", "slack",
              "depends", "steps", "note", "id", "rules", "provisional")]
    ws = _sheet(wb, label("xlsx.sheets.tasks", lang), heads, rows, wrap={1, 6, 10, 11, 12, 14, 15},
                freeze="B2", widths={1: 40, 6: 40, 10: 30, 11: 60, 12: 40, 13: 24, 14: 40, 15: 30},
                lang=lang)
    choices = [status_label(s, lang) for s in reversed(STATUSES)]
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showDropDown=False)
    dv.error = label("xlsx.status_error", lang)
    dv.errorTitle = heads[4]
    dv.prompt = label("xlsx.status_prompt", lang)
    dv.promptTitle = heads[4]
    ws.add_data_validation(dv)
    dv.add(f"E2:E{max(len(rows), 1) + 1}")


def _milestones_sheet(wb, plan, lang: str) -> None:
    from .common import fmt_weekday

    rows = [[milestone_label(name, lang), when, fmt_weekday(when, lang)]
            for name, when in plan.milestones.items() if when is not None]
    heads = [label(f"xlsx.milestones.{k}", lang) for k in ("what", "date", "weekday")]
    _sheet(wb, label("xlsx.sheets.milestones", lang), heads, rows, lang=lang)


def _figure_value(key: str, text: str):
    if key.endswith("_cny"):
        try:
            return Decimal(text)
        except (InvalidOperation, ValueError):
            return text
    if text.isdigit():
        return int(text)
    return text


def _figures_sheet(wb, plan, lang: str) -> None:
    rows = []
    for key, text in plan.figures.items():
        value = _figure_value(key, text)
        if key == "statutory_method":
            value = label(f"figures.methods.{text}", lang) if text else text
        rows.append([figure_label(key, lang), value,
                     label("xlsx.figures.yuan", lang) if isinstance(value, Decimal) else "",
                     _rule_titles(plan, plan.figure_rules.get(key, []))])
    heads = [label(f"xlsx.figures.{k}", lang) for k in ("what", "value", "unit", "rules")]
    ws = _sheet(wb, label("xlsx.sheets.figures", lang), heads, rows, wrap={4},
                widths={4: 50}, lang=lang)
    for r, (key, _) in enumerate(plan.figures.items(), 2):
        if key.endswith("_cny"):
            ws.cell(row=r, column=2).number_format = "#,##0.00"


def _rules_sheet(wb, plan, lang: str) -> None:
    yes, no = label("yes", lang), label("no", lang)
    from ..vocabulary import rule_value

    rows = [[r.title, rule_value(r, lang), source_label(r.source, lang), r.reference,
             yes if r.verified else no, r.last_verified, r.effective_from, r.id]
            for r in plan.rules_used]
    heads = [label(f"xlsx.rules.{k}", lang) for k in
             ("title", "value", "source", "reference", "verified", "last_verified",
              "effective_from", "id")]
    _sheet(wb, label("xlsx.sheets.rules", lang), heads, rows, wrap={1, 2, 4},
           freeze="B2", widths={1: 30, 2: 50, 4: 50, 8: 40}, lang=lang)


def _notes_sheet(wb, plan, lang: str) -> None:
    titles = {task.id: task.title for task in plan.tasks}
    rows = [[label("xlsx.notes.blocker", lang), b.message, _rule_titles(plan, [b.rule]),
             titles.get(b.task or "", "")] for b in plan.blockers]
    rows += [[label("xlsx.notes.warning", lang), w.message, _rule_titles(plan, w.rules), ""]
             for w in plan.warnings]
    heads = [label(f"xlsx.notes.{k}", lang) for k in ("kind", "message", "rules", "task")]
    _sheet(wb, label("xlsx.sheets.notes", lang), heads, rows, wrap={2, 3, 4},
           widths={2: 80, 3: 40, 4: 30}, lang=lang)


def xlsx(plan) -> bytes:
    """The workbook as bytes; identical plans give identical bytes."""
    from openpyxl import Workbook

    lang = plan.lang
    wb = Workbook()
    wb.remove(wb.active)
    _tasks_sheet(wb, plan, lang)
    _milestones_sheet(wb, plan, lang)
    _figures_sheet(wb, plan, lang)
    _rules_sheet(wb, plan, lang)
    _notes_sheet(wb, plan, lang)
    stamp = datetime.combine(plan.today, time(0, 0))
    wb.properties.creator = "xiabo"
    wb.properties.lastModifiedBy = "xiabo"
    wb.properties.title = clean_text(label("xlsx.title", lang, name=plan.name))
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp "modified" with the wall clock.
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    ExcelWriter(wb, ZipFile(buf, "w", ZIP_DEFLATED, allowZip64=True)).save()
    return normalise_zip(buf.getvalue(), plan.today)
