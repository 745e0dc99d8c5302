"""Small pieces: file-name cleaning, redirect targets, the SVG timeline, error placement."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from xiabo.roadmap.plan import Task
from xiabo.web.auth.pages import _safe_next
from xiabo.web.cases.gantt import gantt_svg
from xiabo.web.cases.wizard import question_for_field
from xiabo.web.tools.bridges import safe_filename


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_safe_filename_never_escapes(name):
    clean = safe_filename(name)
    assert clean and "/" not in clean and "\\" not in clean and "\x00" not in clean
    assert not clean.startswith(".")
    assert len(clean.encode("utf-8")) <= 200
    assert clean not in ("..", ".")


def test_safe_filename_keeps_chinese_and_extension():
    assert safe_filename("C:\\Users\\me\\回执 1.jpg") == "回执 1.jpg"
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("...") == "upload"
    long = "录" * 200 + ".png"
    assert safe_filename(long).endswith(".png")


@given(st.text(max_size=100))
@settings(max_examples=300, deadline=None)
def test_redirect_targets_stay_on_site(target):
    out = _safe_next(target)
    assert out.startswith("/") and not out.startswith("//") and "\\" not in out
    assert "://" not in out.split("?")[0]


def _task(i, start, days, **kw):
    return Task(id=f"t{i}", module="data", kind="k", title=kw.pop("title", f"任务{i}"), steps=[],
                start=start, due=start + timedelta(days=days), depends_on=[], rules=[], **kw)


def test_gantt_marks_today_critical_done_overdue_and_baseline():
    d0 = date(2026, 12, 1)
    tasks = [_task(1, d0, 2, critical=True), _task(2, d0, 1, done=d0),
             _task(3, d0 - timedelta(days=10), 1), _task(4, d0 + timedelta(days=5), 3,
                                                         title="<b>x</b>", milestone="last_live")]
    svg = str(gantt_svg(tasks, date(2026, 11, 25) + timedelta(days=7),
                        baseline={"t4": (d0, d0 + timedelta(days=3))}))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'class="row critical"' in svg and 'class="row done"' in svg
    assert 'class="row overdue"' in svg and 'class="today"' in svg
    assert svg.count('class="baseline"') == 1 and 'class="milestone"' in svg
    assert "<b>x</b>" not in svg and "&lt;b&gt;x&lt;/b&gt;" in svg


def test_gantt_cuts_a_long_tail():
    d0 = date(2026, 12, 1)
    tasks = [_task(1, d0, 2), _task(2, d0 + timedelta(days=500), 10)]
    svg = str(gantt_svg(tasks, d0, until=d0 + timedelta(days=60)))
    assert 'class="beyond label"' in svg and str(d0 + timedelta(days=510)) in svg
    assert gantt_svg([], d0) == ""


def test_profile_errors_land_on_their_question():
    assert question_for_field("contract.notice_days") == "contract.notice_days"
    assert question_for_field("equipment[0].name") == "equipment"
    assert question_for_field("shop.open_orders") == "shop.open_orders"
    assert question_for_field("money") is None or question_for_field("money").startswith("money")
    assert question_for_field(None) is None


def test_host_header_names():
    from xiabo.web.app import _hostname

    assert _hostname(b"127.0.0.1:8000") == "127.0.0.1"
    assert _hostname(b"LOCALHOST") == "localhost"
    assert _hostname(b"[::1]:8000") == "::1"
    assert _hostname(b"evil.example:8000") == "evil.example"
    assert _hostname(b"") == ""


def test_the_web_serves_every_export_format_the_toolkit_makes():
    from xiabo import export
    from xiabo.web.features import EXPORT_KINDS

    assert set(EXPORT_KINDS) == set(export.FORMATS) - {"kit"}  # the kit has its own page
    for fn, _suffix, _media in EXPORT_KINDS.values():
        assert callable(getattr(export, fn))
