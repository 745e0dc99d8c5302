"""The case page's rows rendered in Python: words from the catalogue, every value escaped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tests.helpers import PlanTask

from xiabo.cases import Change
from xiabo.web.cases.folds import changes_html, figures_html, milestones_html, now_html, rules_html
from xiabo.web.context import Labels

TODAY = date(2026, 11, 25)
EVIL = '<script>alert("x")</script>'


@dataclass
class _Rule:
    title: str
    source: str
    reference: str
    verified: bool
    last_verified: date = date(2026, 11, 1)


@dataclass
class _Figure:
    label: str
    value: str
    rules: list


def test_now_lists_late_today_and_this_week_with_one_tap_done_where_it_makes_sense():
    late = PlanTask("notice", EVIL, TODAY, TODAY, status="behind", behind_days=4,
                    planned_due=TODAY - timedelta(days=4))
    missed = PlanTask("reply", "等对方答复", TODAY, TODAY, status="overdue", overdue_days=2,
                      deadline=TODAY - timedelta(days=2), deadline_label="对方的答复期限")
    now = PlanTask("backup", "备份直播录像", TODAY, TODAY + timedelta(days=1), critical=True)
    long = PlanTask("wind-down", "45 天收尾期", TODAY - timedelta(days=3), TODAY + timedelta(days=41))
    soon = PlanTask("fans", "发告别公告", TODAY + timedelta(days=3), TODAY + timedelta(days=5))
    view = {"overdue": [missed, late], "today_tasks": [now, long], "this_week": [soon],
            "today": TODAY}
    html = str(now_html(view, case_id=7, L=Labels("zh")))
    assert EVIL not in html and "&lt;script&gt;" in html
    assert html.index('id="now-notice"') < html.index('id="now-backup"') < html.index('id="now-fans"')
    row = html.split('id="now-notice"')[1].split("</li>")[0]
    assert "比原计划晚 4 天" in row and "逾期" not in row  # behind plan is not overdue
    reply = html.split('id="now-reply"')[1].split("</li>")[0]
    assert "逾期 2 天" in reply and "对方的答复期限" in reply  # the deadline is named
    assert 'formaction="/cases/7/tasks/backup/done"' in html and 'form="qd"' in html
    # no one-tap "done today" on a long stretch or on a task that starts later this week
    assert 'formaction="/cases/7/tasks/wind-down/done"' not in html
    assert 'formaction="/cases/7/tasks/fans/done"' not in html
    assert 'data-open="task-fans"' in html and "记下完成日期" in html and "换个日期" not in html
    assert (TODAY + timedelta(days=3)).isoformat() in html          # this week's start day
    empty = str(now_html({"overdue": [], "today_tasks": [], "this_week": [], "today": TODAY},
                         case_id=7, L=Labels("en")))
    assert empty.startswith("<p>") and "<ul" not in empty


def test_milestones_grey_the_past():
    html = str(milestones_html([("a", "已过", TODAY - timedelta(days=1)),
                                ("b", EVIL, TODAY + timedelta(days=3))], TODAY))
    assert html.count("<tr") == 2 and 'class="past"' in html.split("</tr>")[0]
    assert 'class=""' in html.split("</tr>")[1] and EVIL not in html


def test_figures_and_rules_show_sources_and_unverified_rules():
    rule = _Rule("个人所得税预扣", "law", EVIL, verified=False)
    html = str(figures_html([_Figure("余额", "1,234.50 元", [rule]),
                             _Figure("钻石", "2000", [])], Labels("zh")))
    assert html.count("<dt>") == 2 and html.count('<details class="src">') == 1
    assert EVIL not in html and "&lt;script&gt;" in html
    listed = str(rules_html([rule, _Rule("解约通知期", "guide", "第 3 节", verified=True)],
                            Labels("zh")))
    assert listed.count("<li>") == 2 and listed.count('class="badge warn"') == 1
    assert "2026-11-01" in listed


def test_changes_say_how_far_a_task_moved():
    moved = Change("notice", "寄出通知", "moved", TODAY, TODAY + timedelta(days=2),
                   TODAY + timedelta(days=3), TODAY + timedelta(days=5))
    added = Change("new", EVIL, "added", None, None, TODAY, TODAY + timedelta(days=1))
    html = str(changes_html([moved, added], Labels("en")))
    assert 'class="moved" data-task="notice"' in html and "+3 days" in html
    assert "—" in html.split("</tr>")[1] and EVIL not in html


def test_the_fast_escape_is_markupsafes_to_the_byte():
    """``_e`` skips building a Markup object for plain strings; the text must be exactly what
    ``markupsafe.escape`` gives, for any string, and Markup passes through unescaped."""
    from hypothesis import given
    from hypothesis import strategies as st
    from markupsafe import Markup, escape

    from xiabo.web.cases.tasklist import _e

    @given(st.text(alphabet=st.sampled_from(list("&<>\"'ab 主\x00é;#")) | st.characters()))
    def same(text):
        assert _e(text) == str(escape(text))

    same()
    assert _e(Markup("<b>已加粗</b>")) == "<b>已加粗</b>"
    assert _e(3) == "3" and _e(None) == "None"
    assert _e(EVIL) == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
