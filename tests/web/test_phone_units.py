"""The phone face without a browser: timeline bounds, number parsing, wizard steps and drafts."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import PlanTask

from xiabo.web.cases.gantt import MAX_TICKS, MAX_W, gantt_svg
from xiabo.web.cases.wizard import normalise_number

TODAY = date(2026, 11, 25)


def _tasks(last: date) -> list[PlanTask]:
    return [PlanTask("a", "建立证据日志", TODAY, TODAY + timedelta(days=3), done=TODAY, critical=True),
            PlanTask("b", "寄出解约通知", TODAY + timedelta(days=1), TODAY + timedelta(days=9),
                  critical=True, milestone="mcn_notice"),
            PlanTask("c", "far away", last - timedelta(days=2), last)]


def test_a_far_future_date_keeps_the_drawing_bounded():
    svg = str(gantt_svg(_tasks(date(2999, 12, 31)), TODAY))
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    assert width <= MAX_W
    assert svg.count('class="grid"') <= MAX_TICKS + 1
    assert len(svg) < 60_000


def test_month_labels_never_overlap():
    svg = str(gantt_svg(_tasks(TODAY + timedelta(days=3 * 365)), TODAY))
    xs = [float(x) for x in re.findall(r'<text class="month" x="([\d.]+)"', svg)]
    texts = re.findall(r'<text class="month"[^>]*>([^<]+)<', svg)
    for (x1, t1), x2 in zip(zip(xs, texts), xs[1:]):
        assert x2 - x1 >= len(t1) * 7, (t1, x1, x2)


def test_the_legend_classes_are_the_ones_drawn():
    svg = str(gantt_svg(_tasks(TODAY + timedelta(days=60)), TODAY))
    assert 'class="row done" data-task="a"' in svg  # critical but done: drawn as done
    assert 'class="row critical" data-task="b"' in svg
    assert 'viewBox="0 0 ' in svg and 'data-today="' in svg


@given(st.integers(min_value=0, max_value=10**9))
def test_amounts_typed_with_commas_and_yen_signs(n):
    assert normalise_number(f"￥{n:,}") == str(n)
    assert normalise_number(f"{n:,}元".replace(",", "，")) == str(n)


def test_amounts_in_wan():
    assert normalise_number("120万") == "1200000"
    assert normalise_number("1.5万") == "15000"
    assert normalise_number("１２，０００") == "12000"
    assert normalise_number("很多") == "很多"


def test_wizard_steps_keep_a_draft_and_show_all_errors(web):
    csrf = web.form_csrf("/cases/new")
    r = web.client.post("/cases/new", data={"csrf": csrf, "step": "basics", "go": "next",
                                            "name": "", "followers": "很多"})
    assert r.status_code == 422
    assert "第 1 / " in r.text
    problems = r.text[r.text.index('id="form-errors"'):r.text.index("</ul>")]
    assert problems.count("<li>") == 3  # name, platform, followers — all at once
    words = re.sub(r"<[^>]+>", "", problems)  # what a person reads
    assert "followers" not in words and "platform" not in words
    r = web.client.post("/cases/new", data={"csrf": csrf, "step": "basics", "go": "next",
                                            "name": "小美", "platform": "kuaishou",
                                            "start": "2026-12-01", "followers": "120万",
                                            "delete_account": "true"})
    assert r.status_code == 303 and r.headers["location"].startswith("/cases/new?step=")
    # a new visit (a closed tab) resumes at the second step
    page = web.client.get("/cases/new")
    assert "第 2 / " in page.text and "接着上次" in page.text
    back = web.client.get("/cases/new?step=basics").text
    assert 'value="1200000"' in back or 'value="120万"' in back


def test_wizard_range_errors_in_words(web):
    csrf = web.form_csrf("/cases/new")
    web.client.post("/cases/new", data={"csrf": csrf, "step": "basics", "go": "next",
                                        "name": "小美", "platform": "kuaishou",
                                        "start": "2026-12-01", "followers": "0",
                                        "delete_account": "true"})
    r = web.client.post("/cases/new", data={"csrf": csrf, "step": "contract", "go": "next",
                                            "contract.signed": "true", "contract.agency": "x",
                                            "contract.non_compete_months": "999",
                                            "contract.notice_days": "99999"})
    assert r.status_code == 422
    problems = r.text[r.text.index('id="form-errors"'):r.text.index("</ul>")]
    assert problems.count("<li>") >= 2
    words = re.sub(r"<[^>]+>", "", r.text)
    assert "non_compete" not in words and "notice_days" not in words
    assert "60" in words  # the range is said


def test_finishing_creates_the_case_and_drops_the_draft(web):
    from xiabo.web.cases.wizard_steps import STEPS

    csrf = web.form_csrf("/cases/new")
    data = {"name": "小美", "platform": "kuaishou", "start": "2026-12-01", "followers": "1000",
            "delete_account": "true"}
    r = web.client.post("/cases/new", data=dict(data, csrf=csrf, step="basics", go="next"))
    while r.status_code == 303 and "step=" in r.headers["location"]:
        step = r.headers["location"].split("step=")[1]
        go = "finish" if step == STEPS[-1] else "next"
        r = web.client.post("/cases/new", data={"csrf": csrf, "step": step, "go": go})
    assert r.status_code == 303 and re.fullmatch(r"/cases/\d+\?msg=created",
                                                 r.headers["location"]), r.text[:2000]
    assert "第 1 / " in web.client.get("/cases/new").text  # the draft is gone
