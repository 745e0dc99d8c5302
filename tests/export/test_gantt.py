"""The PDF Gantt chart: a broken axis for tasks far after the plan, text labels, capped ticks."""

from __future__ import annotations

import subprocess
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.export.gantt import MAX_TICKS, plan_axis, ticks, window_axis

from .conftest import needs_font, needs_poppler


def _page_text(data: bytes, page: int) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                               fh.name, "-"], check=True, capture_output=True).stdout.decode()


def test_later_tasks_get_their_own_segment(ks_plan):
    axis = plan_axis(ks_plan, ks_plan.tasks)
    assert axis.main_end == ks_plan.end and axis.later is not None
    later = [t for t in ks_plan.tasks if t.start > axis.main_end]
    assert {t.id for t in later} >= {"tax-declaration", "non-compete-end", "comeback"}
    assert axis.later == (min(t.start for t in later), max(t.due for t in ks_plan.tasks))
    # the plan itself now fills the main segment: starts spread over it, not one corner
    width = (axis.main_end - axis.first).days + 1
    share = sorted((t.start - axis.first).days / width for t in ks_plan.tasks
                   if t.start <= axis.main_end)
    assert share[len(share) // 2] > 0.4 and share[-1] > 0.85


def test_no_split_when_nothing_lies_far_later(ks_plan):
    tasks = [t for t in ks_plan.tasks if t.start <= ks_plan.end]
    axis = plan_axis(ks_plan, tasks)
    assert axis.later is None and axis.main_end == max(t.due for t in tasks)


def test_a_task_ending_just_after_the_plan_stays_whole(ks_plan):
    tasks = list(ks_plan.tasks)
    i = next(i for i, t in enumerate(tasks) if t.id == "evidence-seal")
    tasks[i] = replace(tasks[i], due=ks_plan.end + timedelta(days=10))
    axis = plan_axis(ks_plan, tasks)
    assert axis.main_end == ks_plan.end + timedelta(days=10) and axis.later


@needs_font
@needs_poppler
def test_gantt_labels_are_text(ks_pdf, ks_plan):
    page = _page_text(ks_pdf.read_bytes(), 2)
    assert "甘特图：整个计划" in page and "计划结束以后" in page
    flat = page.replace("\n", "")
    for task in ks_plan.tasks:
        assert task.title[:10] in flat, task.title
    for words in ("关键路径", "已完成", "今天 11月25日", "2027年3月1日 至 2027年6月30日",
                  "2027年12月31日", "2026-11-30", "2027-01-11"):
        assert words in page, words


@needs_font
@needs_poppler
def test_english_gantt(ks_plan_en):
    from xiabo import export

    page = _page_text(export.pdf(ks_plan_en), 2)
    assert "After the plan ends" in page and "1 March 2027 to 30 June 2027" in page
    assert "Critical path" in page


def _far_plan(plan, years: int):
    tasks = list(plan.tasks)
    end = date(min(plan.start.year + years, 9999), 12, 31)
    tasks[-1] = replace(tasks[-1], start=end - timedelta(days=30), due=end)
    tasks[-2] = replace(tasks[-2], due=end)  # one long task runs across the break
    return replace(plan, tasks=tasks)


@needs_font
@needs_poppler
def test_four_hundred_years_and_the_year_9999(ks_plan):
    from xiabo import export

    for years in (400, 8000):
        plan = _far_plan(ks_plan, years)
        began = time.perf_counter()
        data = export.pdf(plan)
        assert time.perf_counter() - began < 5
        axis = plan_axis(plan, plan.tasks)
        assert axis.later and axis.later[1].year in (plan.start.year + years, 9999)
        assert len(ticks(*axis.later)) <= MAX_TICKS
        page = _page_text(data, 2)
        assert str(axis.later[1].year) in page and "计划结束以后" in page


def test_ticks_of_huge_spans_are_few_and_fast():
    began = time.perf_counter()
    marks = ticks(date(1, 1, 1), date(9999, 12, 31))
    assert time.perf_counter() - began < 0.05
    assert 2 <= len(marks) <= MAX_TICKS
    assert [text for _, text in marks][:2] == ["1000", "2000"]
    assert len(ticks(date(2026, 1, 1), date(2426, 1, 1))) <= MAX_TICKS


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
       st.integers(min_value=0, max_value=3_700_000), st.integers(min_value=1, max_value=30))
def test_ticks_are_inside_increasing_and_capped(first, days, most):
    last = date.fromordinal(min(first.toordinal() + days, date.max.toordinal()))
    marks = ticks(first, last, most)
    assert len(marks) <= most + 1
    when = [d for d, _ in marks]
    assert when == sorted(set(when))
    assert all(first <= d <= last for d in when)
    assert all(text and "None" not in text for _, text in marks)


def test_close_up_when_the_plan_itself_is_long(ks_plan):
    from xiabo.export.printable import ZOOM_DAYS, chart_specs

    long = replace(ks_plan, end=ks_plan.start + timedelta(days=300))
    specs = chart_specs(long)
    assert "前十二周" in specs[-1][0]
    assert specs[-1][2] == window_axis(long.start, long.start + timedelta(days=ZOOM_DAYS))
    assert "前十二周" not in chart_specs(ks_plan)[-1][0]


def test_module_docs_say_why():
    import xiabo.export.gantt as gantt

    assert "pdftotext" in (gantt.__doc__ or "") and Path(gantt.__file__).stat().st_size < 16000
