"""The case page stays light on a phone: ≤ 150 KB of HTML + CSS + JS for the worst case.

The worst case is a case started 2026-10-01, never touched and looked at on 2026-11-30: about
30 overdue tasks on the "now" block and every task in the list. Folded tasks are one link each;
the server sends a task's steps, rules and form only when it is opened (``?task=``).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_phone import overdue_profile  # the same worst case as the browser checks

STATIC = Path(__file__).resolve().parents[2] / "src" / "xiabo" / "web" / "static"
LIMIT = 150 * 1024


@pytest.fixture
def late(web):
    from xiabo.cases import stored
    from xiabo.store import cases as repo

    web.today = date(2026, 11, 30)  # looked at two months after its start
    case = stored.create_case(web.db, overdue_profile(), today=date(2026, 10, 1),
                            actor=repo.Actor())
    return web, case.id


def _weight(html: str) -> int:
    static = sum(len((STATIC / name).read_bytes()) for name in ("app.css", "app.js"))
    return len(html.encode()) + static


def test_worst_case_page_is_at_most_150_kb(late):
    web, case_id = late
    html = web.client.get(f"/cases/{case_id}").text
    assert len(re.findall(r'<li class="overdue"', html)) >= 26
    assert _weight(html) <= LIMIT, f"{_weight(html) / 1024:.1f} KB"
    print(f"first view: {_weight(html) / 1024:.1f} KB")
    # one form token on the "now" block, not one per task
    assert html.count('name="csrf"') <= 8
    # the opened task (and every section) stays within the bound too
    for query in ("?task=mcn-notice", "?show=timeline", "?show=money", "?show=documents",
                  "?show=history", "?show=rules"):
        weight = _weight(web.client.get(f"/cases/{case_id}{query}").text)
        print(f"{query}: {weight / 1024:.1f} KB")  # -s shows them (README's figures)
        assert weight <= LIMIT, query


def test_a_folded_task_opens_on_the_server_without_javascript(late):
    web, case_id = late
    html = web.client.get(f"/cases/{case_id}").text
    row = re.search(r'<a id="task-mcn-notice"[^>]*>', html).group(0)
    assert 'href="?task=mcn-notice#task-mcn-notice"' in row and "data-lazy" in row
    assert 'class="steps"' not in html  # no task is opened
    opened = web.client.get(f"/cases/{case_id}?task=mcn-notice").text
    task = opened[opened.index('<details id="task-mcn-notice"'):]
    task = task[:task.index("</details>")]
    assert " open>" in task.split(">", 1)[0] + ">"
    assert 'class="steps"' in task and 'class="done-form"' in task and 'name="note"' in task
    # one tap "done today" posts the shared form to the task's own address
    button = re.search(r'<button[^>]*formaction="/cases/\d+/tasks/mcn-notice/done"[^>]*>', html)
    assert button and 'form="qd"' in button.group(0)
    token = re.search(r'<form[^>]*id="qd"[^>]*>.*?name="csrf" value="([^"]+)"', html).group(1)
    r = web.client.post(f"/cases/{case_id}/tasks/mcn-notice/done",
                        data={"csrf": token, "done": "2026-11-30"})
    assert r.status_code == 303
    assert "完成，后面的日期已重新排期" in web.client.get(r.headers["location"]).text
