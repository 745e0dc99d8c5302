"""roadmap.xlsx: read back with openpyxl; real dates, drop-down, no formulas from hostile text."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from xiabo import export
from xiabo.export.common import display_width

from .conftest import HOSTILE, make_plan


@pytest.fixture(scope="module")
def ks_book(ks_plan):
    return load_workbook(io.BytesIO(export.xlsx(ks_plan)))


def test_sheet_names_zh_and_en(ks_book, ks_plan_en):
    assert ks_book.sheetnames == ["任务", "关键日期", "金额", "规则来源", "注意事项"]
    en = load_workbook(io.BytesIO(export.xlsx(ks_plan_en)))
    assert en.sheetnames == ["Tasks", "Key dates", "Money", "Rule sources", "Notes"]


def test_tasks_have_real_dates_and_status_dropdown(ks_book, ks_plan):
    ws = ks_book["任务"]
    # the title first; the id only in a later id column
    assert [c.value for c in ws[1]][:5] == ["任务", "模块", "开始", "计划办完", "状态"]
    assert [c.value for c in ws[1]][5].startswith("状态说明")  # the status in words, beside it
    assert [c.value for c in ws[1]][12] == "编号"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(ks_plan.tasks)
    by_id = {row[12]: row for row in rows}
    notice = by_id["mcn-notice"]
    assert notice[0] == ks_plan.task("mcn-notice").title
    assert isinstance(notice[2], datetime) and notice[2].date() == ks_plan.task("mcn-notice").start
    assert isinstance(notice[3], datetime) and notice[3].date() == ks_plan.task("mcn-notice").due
    assert notice[1] == "合约" and notice[4] == "未开始"
    assert ws["C2"].number_format == "yyyy-mm-dd"
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert dv.type == "list"
    assert all(word in dv.formula1 for word in ("未开始", "进行中", "已完成"))
    assert str(dv.sqref) == f"E2:E{len(rows) + 1}"
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:O{len(rows) + 1}"
    # the last column marks a date counted over a year no official holiday calendar covers
    assert [c.value for c in ws[1]][14] == "日期暂定"
    for task in ks_plan.tasks:
        assert (by_id[task.id][14] or "").startswith("日期暂定") == (
            task.provisional and not task.done)


def test_widths_count_cjk_as_two(ks_book, ks_plan):
    ws = ks_book["任务"]
    longest = max(display_width(t.title) for t in ks_plan.tasks)
    assert ws.column_dimensions["A"].width >= min(longest, 38)
    assert ws.column_dimensions["A"].width <= 40
    assert ws.column_dimensions["M"].width >= min(max(len(t.id) for t in ks_plan.tasks), 22)


def test_row_heights_fit_wrapped_steps(ks_book, ks_plan):
    ws = ks_book["任务"]
    width = ws.column_dimensions["K"].width
    for r, task in enumerate(ks_plan.tasks, 2):
        lines = sum(max(-(-display_width(f"{i}. {s}") // (int(width) - 1)), 1)
                    for i, s in enumerate(task.steps, 1))
        if lines > 1:  # LibreOffice does not fit rows: the height is written
            assert ws.row_dimensions[r].height >= lines * 15 - 0.5, task.id


def test_milestones_money_and_rules(ks_book, ks_plan):
    ms = {row[0]: row[1] for row in ks_book["关键日期"].iter_rows(min_row=2, values_only=True)}
    assert ms["最后一场直播"].date() == ks_plan.milestones["last_live"]
    assert ms["合约解除"].date() == ks_plan.milestones["mcn_termination"]
    money = {row[0]: row for row in ks_book["金额"].iter_rows(min_row=2, values_only=True)}
    assert money["账户余额"][1] == 12000
    withholding = next(r.title for r in ks_plan.rules_used
                       if r.id == "common.finance.withholding_rate")
    assert withholding in money["提现个税（攻略按20%）"][3].split("\n")
    assert "common." not in money["提现个税（攻略按20%）"][3]
    rules = list(ks_book["规则来源"].iter_rows(min_row=2, values_only=True))
    assert len(rules) == len(ks_plan.rules_used)
    by_id = {row[7]: row for row in rules}
    notice = by_id["common.contract.notice_days"]
    assert notice[0] == "书面通知解约的提前天数"
    assert notice[1] == "30 个自然日" and notice[2] == "攻略" and notice[4] == "否"
    assert "攻略" in notice[3]
    assert isinstance(notice[5], datetime)
    table = by_id["common.tax.comprehensive_annual_table"][1]
    assert "不超过 36,000 元" in table and "{" not in table and "None" not in table


def test_hostile_text_is_never_a_formula(hostile_plan):
    data = export.xlsx(hostile_plan)
    book = load_workbook(io.BytesIO(data))
    found = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.data_type == "s"
                    assert cell.quotePrefix, (ws.title, cell.coordinate)
                if cell.value == HOSTILE:
                    found += 1
    assert found >= 1  # the note on mcn-notice
    tasks = {row[12].value: row for row in book["任务"].iter_rows(min_row=2)}
    assert tasks["mcn-notice"][11].value == HOSTILE
    assert tasks["evidence-setup"][11].value.startswith("+1 call")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


def test_same_plan_same_bytes(ks_profile, ks_plan):
    assert export.xlsx(ks_plan) == export.xlsx(make_plan(ks_profile))
