"""The reconciliation as an xlsx a lawyer can check: one row a month, the sums as formulas
(应得 = 分成金额 + 保底补足, 实收 = 实发 + 代扣个税, 欠付 = MAX(应得 − 实收, 0)), totals as SUM.

Why formulas: whoever reads the claim can change a figure and see the shortfall follow. Months
not yet due and months whose due amount is unknown carry values, not formulas, as the text
output does. Cells are numbers (two decimals), never text.
"""

from __future__ import annotations

from pathlib import Path

from ...i18n import t
from .reconcile import Reconciliation
from .words import month_text, note_lines, percent

__all__ = ["write_xlsx"]

_COLUMNS = ("month", "turnover", "split", "share", "guarantee", "top_up", "expected", "paid",
            "withheld", "platform", "received", "shortfall", "pay_by", "late_days", "interest",
            "status", "agency_due", "statement_split", "rows")
_MONEY = "#,##0.00"


def _header(key: str, lang: str) -> str:
    own = {"share", "guarantee", "paid", "platform", "pay_by", "late_days", "agency_due",
           "statement_split", "rows"}
    return t(f"payouts.xlsx.{key}" if key in own else f"payouts.table.{key}", lang)


def write_xlsx(result: Reconciliation, path: str | Path, lang: str, book) -> Path:
    """Write ``result`` to ``path`` (replaced if it exists); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    col = {key: get_column_letter(i) for i, key in enumerate(_COLUMNS, 1)}
    wb = Workbook()
    ws = wb.active
    ws.title = t("payouts.xlsx.sheet", lang)
    ws.append([t("payouts.xlsx.title", lang, today=result.today.isoformat())])
    ws["A1"].font = Font(bold=True)
    ws.append([_header(k, lang) for k in _COLUMNS])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    first = 3
    for r, m in enumerate(result.months, first):
        known = m.expected is not None
        due = m.status != "not_due"
        values = {
            "month": month_text(m.month), "turnover": m.turnover,
            "split": percent(m.split, lang) if m.split is not None and m.turnover is not None
            else None,
            "platform": "*" if m.platform_withholds else None,
            "share": m.share, "guarantee": m.guarantee, "top_up": m.top_up,
            "expected": f"={col['share']}{r}+{col['top_up']}{r}" if m.share is not None
            else m.expected,
            "paid": m.paid, "withheld": m.withheld,
            "received": f"={col['paid']}{r}+{col['withheld']}{r}",
            "shortfall": f"=MAX({col['expected']}{r}-{col['received']}{r},0)" if known and due
            else m.shortfall,
            "pay_by": m.pay_by.isoformat() if m.pay_by else None,
            "late_days": m.late_days if due else None, "interest": m.interest,
            "status": t(f"payouts.status.{m.status}", lang), "agency_due": m.agency_due,
            "statement_split": percent(m.statement_split, lang)
            if m.statement_split is not None else None,
            "rows": "; ".join(m.rows) or None,
        }
        ws.append([values[k] for k in _COLUMNS])
        for key in ("turnover", "share", "guarantee", "top_up", "expected", "paid", "withheld",
                    "received", "shortfall", "interest", "agency_due"):
            ws[f"{col[key]}{r}"].number_format = _MONEY
    last = first + len(result.months) - 1
    total = last + 1
    ws.cell(total, 1, t("payouts.xlsx.total", lang)).font = Font(bold=True)
    if result.months:
        for key in ("shortfall", "interest"):  # months not yet due hold 0 in both
            ws[f"{col[key]}{total}"] = f"=SUM({col[key]}{first}:{col[key]}{last})"
            ws[f"{col[key]}{total}"].number_format = _MONEY
            ws[f"{col[key]}{total}"].font = Font(bold=True)
    ws.append([])
    for line in note_lines(result, book, lang):
        ws.append([line.strip()])
    for i, key in enumerate(_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = 24 if key == "rows" else 13
    ws.freeze_panes = "B3"
    out = Path(path)
    wb.save(out)
    return out
