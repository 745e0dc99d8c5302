"""Opinion monitoring in the web: the case page section for large accounts only, uploading
exports, the same summary as the CLI, the full HTML and PDF reports."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from tests.helpers import base_profile
from tests.opinion.conftest import HEADER, write_csv

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _export(tmp_path) -> bytes:
    rows = []
    for d in range(12):
        day = date(2026, 11, 10) + timedelta(days=d)
        rows += [[f"谢谢主播{i}", f"{day} 20:{i:02d}:00", 0, 0, "甲"] for i in range(30)]
        rows += [[f"公会太黑心了{i} 电话13812345678", f"{day} 21:{i % 60:02d}:{i // 60:02d}",
                  i, 0, "乙"] for i in range(25 if d < 11 else 160)]
    return write_csv(tmp_path / "评论.csv", HEADER, rows).read_bytes()


def test_small_case_has_no_section(web, home):
    case = stored.create_case(web.db, base_profile(name="小号", followers=5000), today=web.today,
                            actor=LOCAL)
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert page.status_code == 200 and 'id="opinion"' not in page.text


def test_upload_summary_and_reports(web, home, tmp_path):
    case = stored.create_case(web.db, base_profile(name="头部主播", followers=3_000_000),
                            today=web.today, actor=LOCAL)
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert 'id="opinion"' in page.text and "还没有导入留言" in page.text
    token = _csrf(page.text)
    data = _export(tmp_path)
    r = web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                        files={"files": ("评论.csv", data, "text/csv")})
    # the request only queues the import; its page shows it queued until a worker ran it
    assert r.status_code == 303 and r.headers["location"].startswith(f"/cases/{case.id}/jobs/")
    job = web.client.get(r.headers["location"])
    assert "排队中" in job.text and 'http-equiv="refresh"' in job.text
    assert web.run_jobs() == 1
    job = web.client.get(r.headers["location"])
    assert "已完成" in job.text and "新增 795 条" in job.text and "refresh" not in job.text
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert "共 795 条留言" in page.text and "2026-11-21" in page.text and "负面激增" in page.text
    assert "<pre" not in page.text and "op-cards" in page.text and "±" in page.text
    assert "13812345678" not in page.text and "138****5678" in page.text
    assert "导入 评论.csv" in page.text and "<svg" in page.text
    # the same file again adds nothing
    web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                    files={"files": ("again.csv", data, "text/csv")})
    web.run_jobs()
    page = web.client.get(f"/cases/{case.id}?show=documents")
    assert "新增 0 条" in page.text
    html = web.client.get(f"/cases/{case.id}/opinion/report.html")
    assert html.status_code == 200 and "舆情报告" in html.text
    pdf = web.client.get(f"/cases/{case.id}/opinion/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_bad_upload_and_csrf(web, home, tmp_path):
    case = stored.create_case(web.db, base_profile(name="头部主播", followers=3_000_000),
                            today=web.today, actor=LOCAL)
    token = _csrf(web.client.get(f"/cases/{case.id}").text)
    bad = write_csv(tmp_path / "bad.csv", ["甲", "乙"], [["1", "2"]]).read_bytes()
    r = web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                        files={"files": ("bad.csv", bad, "text/csv")})
    assert r.status_code in (400, 422) and "bad.csv" in r.text and "Traceback" not in r.text
    # the page lists the file's columns and says what to rename them to (no --map in a browser)
    assert "「甲」" in r.text and "「乙」" in r.text and "--map" not in r.text
    assert "评论内容" in r.text
    r = web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": "x"},
                        files={"files": ("a.csv", bad, "text/csv")})
    assert r.status_code in (400, 403)
    assert web.client.get(f"/cases/{case.id}/opinion/report.html").status_code in (404, 422)


def test_plan_task_done_when_the_transition_was_monitored(web, home, tmp_path):
    profile = base_profile(name="头部主播", followers=3_000_000, start="2026-11-01",
                           last_live_on="2026-11-10")
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    token = _csrf(web.client.get(f"/cases/{case.id}").text)
    rows = [[f"谢谢{d}", f"{date(2026, 11, 10) + timedelta(days=d)} 10:00:00", 0, 0, "a"]
            for d in range(16)]
    data = write_csv(tmp_path / "c.csv", HEADER, rows).read_bytes()
    web.client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                    files={"files": ("c.csv", data, "text/csv")})
    web.run_jobs()
    from xiabo.cases import plan_stored

    plan = plan_stored(repo.get_case(web.db, case.id), web.db, date(2026, 11, 30))
    task = next(t for t in plan.tasks if t.id == "opinion-monitoring")
    assert task.done == date(2026, 11, 25)
    assert any("16 条留言" in s for s in task.steps)
