"""Every output says the same about where each task stands (issue 21).

One profile with tasks behind plan, at risk of a real deadline (the contract's end date),
overdue, and with slack, seen on four days; the text plan, the JSON, the calendar, the
workbook, the PDF and the web case page are each read back and compared with the Plan.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml

import xiabo
from xiabo import export
from xiabo.cases import stored
from xiabo.roadmap.render import to_text
from xiabo.roadmap.status import LATE, late_groups, status_long, status_short
from xiabo.store.cases import Actor

ROOT = Path(__file__).resolve().parents[2]
TODAYS = (date(2026, 12, 1), date(2026, 12, 6), date(2026, 12, 20), date(2027, 1, 20))


@pytest.fixture(scope="module")
def data() -> dict:
    data = yaml.safe_load((ROOT / "examples" / "kuaishou.yaml").read_text(encoding="utf-8"))
    data["contract"]["ends_on"] = "2027-01-10"  # a real deadline: the contract's end date
    return data


def _open_late(plan):
    return [t for t in plan.tasks if t.done is None and t.status in LATE]


@pytest.mark.parametrize("today", TODAYS)
def test_text_json_ics_xlsx_agree(data, today):
    plan = xiabo.plan(data, today=today, lang="zh")
    statuses = Counter(t.status for t in plan.tasks)
    # the profile really has what the day should show
    if today == date(2026, 12, 20):
        assert statuses["behind"] and statuses["at_risk"] and not statuses["overdue"]
    if today == date(2027, 1, 20):
        assert statuses["overdue"] and statuses["behind"]
    assert any(t.slack_days for t in plan.tasks)
    for task in plan.tasks:  # overdue or at risk and "can be postponed" never together
        if task.status in ("overdue", "at_risk"):
            assert task.slack_days == 0
    # JSON: the schema holds, and carries the same status and days
    import jsonschema

    doc = plan.to_dict()
    jsonschema.validate(doc, json.loads((ROOT / "docs" / "plan-schema.json").read_text()))
    by_id = {t["id"]: t for t in doc["tasks"]}
    for task in plan.tasks:
        row = by_id[task.id]
        assert (row["status"], row["overdue_days"], row["risk_days"], row["behind_days"]) == (
            task.status, task.overdue_days, task.risk_days, task.behind_days)
        if task.status in ("overdue", "at_risk"):
            assert row["deadline"] == {"date": "2027-01-10", "label": "合同到期日"}
    # text: each task's line carries its status words; a count always matches its list
    text = to_text(plan)
    for task in _open_late(plan):
        line = next(x for x in text.splitlines() if task.title in x and "[ ]" in x)
        assert f"〔{status_short(task, 'zh')}〕" in line
        assert ("逾期" in line) == (task.status == "overdue")
        assert "可推迟" not in line or task.status == "behind"
        assert status_long(task, "zh") in text
    # within a day: deadline pressure first, then the least slack
    listed = [line.split("[ ] ", 1)[1] for line in text.splitlines() if "[ ] " in line]
    for day in {t.start for t in plan.tasks if t.done is None}:
        same = [next(t for t in plan.tasks if t.done is None and t.title in line and t.start == day)
                for line in listed if line.startswith(day.isoformat())]
        ranks = [(("overdue", "at_risk", "behind").index(t.status) if t.status in LATE else 3,
                  t.slack_days) for t in same]
        assert [r[0] for r in ranks] == sorted(r[0] for r in ranks), day
    for name, group in late_groups(plan.tasks).items():
        warning = next((w.message for w in plan.warnings if w.id == name), None)
        if not group:
            assert warning is None
            continue
        assert warning.startswith(f"有 {len(group)} 项") and all(t.title in warning for t in group)
        assert warning in text
    # calendar: the same words before each late task's title
    from icalendar import Calendar

    summaries = {str(e.get("uid")): str(e.get("summary"))
                 for e in Calendar.from_ical(export.ics(plan)).walk("VEVENT")}
    for task in _open_late(plan):
        summary = next(s for s in summaries.values() if s.endswith(task.title))
        assert summary.startswith(f"〔{status_short(task, 'zh')}〕")
    # workbook: the status column and its explanation
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.xlsx(plan)))["任务"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("编号")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    labels = {"overdue": "逾期（真实期限已过）", "at_risk": "会晚于期限", "behind": "比原计划晚",
              "in_progress": "进行中", "upcoming": "未开始", "done": "已完成"}
    for task in plan.tasks:
        row = rows[task.id]
        assert row[head.index("状态")] == labels[task.status]
        assert (row[5] or None) == (None if task.done else status_long(task, "zh"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("today", (date(2026, 12, 20), date(2027, 1, 20)))
def test_pdf_agrees(data, today):
    plan = xiabo.plan(data, today=today, lang="zh")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=export.pdf(plan),
                         capture_output=True, check=True).stdout.decode()
    flat = re.sub(r"\s+", "", out)
    for task in _open_late(plan):
        assert re.sub(r"\s+", "", status_short(task, "zh")) in flat, task.id
    overdue = [t for t in plan.tasks if t.status == "overdue"]
    # 「逾期 N 天」 only for tasks past a real deadline
    assert len(re.findall(r"逾期\d+天", flat)) == len(overdue)
    # weeks are numbered like the text plan: week 1 from the plan's start, none before
    text_weeks = re.findall(r"■ 第 (\d+) 周", to_text(plan))
    assert re.findall(r"第(\d+)周（\d+月\d+日–", flat) == text_weeks


@pytest.mark.parametrize("today", TODAYS)
def test_web_case_page_agrees(web, data, today):
    web.today = today
    case = stored.create_case(web.db, dict(data, start="2026-12-01"), today=today, actor=Actor())
    plan = xiabo.plan(dict(data, start="2026-12-01"), today=today, lang="zh")
    page = web.client.get(f"/cases/{case.id}").text
    tasks = page[page.index('<section id="tasks"'):]
    badges = Counter(htmllib.unescape(m) for m in re.findall(
        r'class="badge (?:overdue|risk|behind)"[^>]*>([^<]+)<', tasks))
    assert badges == Counter(status_short(t, "zh") for t in _open_late(plan))
    now = page[page.index('<section id="now"'):page.index('<section id="warnings"')]
    late = _open_late(plan)
    if late:  # the heading's count is the number of rows under it
        assert f"要赶紧办：{len(late)} 项" in now
        assert now.count('<li class="overdue"') == len(late)
    warnings = htmllib.unescape(page[page.index('<section id="warnings"'):])
    for name in LATE:
        message = next((w.message for w in plan.warnings if w.id == name), None)
        if message:
            assert message in warnings
