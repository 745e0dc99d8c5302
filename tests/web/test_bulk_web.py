"""Bulk jobs on the web: the import, the follow-ups and the kits' zip are queued by their
requests and shown on ``/jobs/{id}`` ("n of N", failures by the streamer's name, the result);
a bulk job is its owner's and the admins' only (another operator, a streamer: 404)."""

from __future__ import annotations

import io
import re
import zipfile

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store import jobs as rows
from xiabo.store.users import add_user

LOCAL = repo.Actor()


def _token(web, path: str = "/cases") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', web.client.get(path).text).group(1)


def _agency(make_web, url, profile):
    """An agency: two operators with a case each, an admin, a streamer."""
    web = make_web(url, auth=True)
    a = stored.create_case(web.db, dict(profile, name="甲主播"), today=web.today, actor=LOCAL)
    b = stored.create_case(web.db, dict(profile, name="乙主播"), today=web.today, actor=LOCAL)
    add_user(web.db, "op-a", "operator", "op-a-tea-kettle", case_ids=[a.id])
    add_user(web.db, "op-b", "operator", "op-b-tea-kettle", case_ids=[b.id])
    add_user(web.db, "boss", "admin", "boss-tea-kettle")
    add_user(web.db, "star", "streamer", "star-tea-kettle", case_ids=[a.id])
    return web, a, b


def test_a_kits_job_is_its_owners_and_the_admins(make_web, any_db_url, profile):
    web, a, b = _agency(make_web, any_db_url, profile)
    web.login("op-a", "op-a-tea-kettle")
    dash = web.client.get("/cases")
    assert 'form="bulk-kits"' in dash.text and 'action="/exports/kits"' in dash.text
    # op-a ticks their own case and, by a crafted form, op-b's: only their own goes in
    r = web.client.post("/exports/kits", data={"csrf": _token(web),
                                               "case": [str(a.id), str(b.id)]})
    assert r.status_code == 303
    job = int(r.headers["location"].rsplit("/", 1)[1])
    assert rows.get(web.db, job).payload["case_ids"] == [a.id]
    page = web.client.get(f"/jobs/{job}")
    assert page.status_code == 200 and "排队中" in page.text and 'http-equiv="refresh"' in page.text
    web.run_jobs()
    page = web.client.get(f"/jobs/{job}")
    assert "包含个案 1 个（共选了 1 个）" in page.text and "保留到" in page.text
    assert 'http-equiv="refresh"' not in page.text and 'href="/cases"' in page.text
    zipped = web.client.get(f"/jobs/{job}/kits.zip")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as zf:
        assert {n.split("/")[0] for n in zf.namelist()} == {a.key}
    api = web.client.get(f"/api/jobs/{job}").json()
    assert api["state"] == "done" and api["download"] == f"/jobs/{job}/kits.zip"
    assert api["failures"] == [] and "file" not in api["result"]

    for who, password in (("op-b", "op-b-tea-kettle"), ("star", "star-tea-kettle")):
        web.client.cookies.clear()
        web.login(who, password)
        assert web.client.get(f"/jobs/{job}").status_code == 404
        assert web.client.get(f"/api/jobs/{job}").status_code == 404
        assert web.client.get(f"/jobs/{job}/kits.zip").status_code == 404
    web.client.cookies.clear()
    web.login("boss", "boss-tea-kettle")
    assert web.client.get(f"/jobs/{job}").status_code == 200
    assert web.client.get(f"/jobs/{job}/kits.zip").status_code == 200


def test_a_streamer_cannot_start_bulk_work(make_web, sqlite_url, profile):
    web, a, _ = _agency(make_web, sqlite_url, profile)
    web.login("star", "star-tea-kettle")
    token = _token(web, f"/cases/{a.id}")
    for path in ("/exports/kits", "/letters/followups"):
        assert web.client.post(path, data={"csrf": token, "case": [str(a.id)]}
                               ).status_code == 403
    with web.db.read() as s:
        assert s.query(rows.JobRow).count() == 0


def test_a_second_click_lands_on_the_running_job(web, profile):
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    first = web.client.post("/exports/kits", data={"csrf": _token(web), "case": [case.id]})
    second = web.client.post("/exports/kits", data={"csrf": _token(web), "case": [case.id]})
    assert second.headers["location"] == first.headers["location"] + "?busy=1"
    page = web.client.get(second.headers["location"])
    assert "新的没有开始" in page.text
    none = web.client.post("/exports/kits", data={"csrf": _token(web)})
    assert none.status_code == 422 and "没有勾选任何个案" in none.text


def test_the_import_job_page_and_the_import_page_show_the_report(web):
    data = "name,platform\n甲,kuaishou\n乙,nowhere\n".encode()
    r = web.client.post("/cases/import", data={"csrf": _token(web, "/cases/import")},
                        files={"file": ("名单.csv", data, "text/csv")})
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job = int(r.headers["location"].rsplit("/", 1)[1])
    assert repo.list_cases(web.db, LOCAL, repo.CaseFilter(), today=web.today)[1] == 0
    page = web.client.get(f"/jobs/{job}")
    assert "批量导入主播" in page.text and "排队中" in page.text
    report_link = f"/cases/import?job={job}"
    assert web.client.get(report_link).headers["location"] == f"/jobs/{job}"  # not done yet
    web.run_jobs()
    page = web.client.get(f"/jobs/{job}")
    assert "新建个案 1 个，失败 1 行" in page.text and 'id="report"' in page.text
    assert 'href="/cases/import"' in page.text
    again = web.client.get(report_link)
    assert again.status_code == 200 and "名单.csv" in again.text and 'id="report"' in again.text
    api = web.client.get(f"/api/jobs/{job}?lang=en").json()
    assert api["state_words"].startswith("Import finished. Cases made: 1; rows refused: 1")
    assert "rows" not in api["progress"] and api["result"]["rows"][1]["ok"] is False


def test_an_operators_import_makes_their_cases(make_web, sqlite_url, profile):
    web, _, _ = _agency(make_web, sqlite_url, profile)
    web.login("op-a", "op-a-tea-kettle")
    r = web.client.post("/cases/import", data={"csrf": _token(web, "/cases/import")},
                        files={"file": ("l.csv", "name,platform\n丙,douyin\n".encode(),
                                        "text/csv")})
    page = web.after_jobs(r)
    assert "新建个案 1 个" in page.text
    made = re.search(r'<a href="/cases/(\d+)">丙</a>', page.text)
    assert made and repo.get_case(web.db, int(made.group(1))).operator_id is not None
    web.client.cookies.clear()
    web.login("op-b", "op-b-tea-kettle")
    job = int(r.headers["location"].rsplit("/", 1)[1])
    assert web.client.get(f"/cases/import?job={job}").status_code == 404


def test_followups_job_page_counts_and_names_failures(make_web, sqlite_url, profile):
    """A case taken from the operator after queueing: counted as not done, not named."""
    web, a, _ = _agency(make_web, sqlite_url, profile)
    web.login("op-a", "op-a-tea-kettle")
    r = web.client.post("/letters/followups", data={"csrf": _token(web), "case": [a.id]})
    job = int(r.headers["location"].rsplit("/", 1)[1])
    repo.assign_operator(web.db, a.id, None, actor=LOCAL)
    web.run_jobs()
    page = web.client.get(f"/jobs/{job}")
    assert "起草了 0 封催办函（选中的个案共 1 个）" in page.text
    assert "没做成的个案（1 个）" in page.text and "一个你现在看不到的个案" in page.text
    assert "甲主播" not in page.text
    assert 'href="/cases?letters_drafted=0"' in page.text


def test_a_failed_bulk_job_says_why_and_retries_unless_another_runs(web):
    from xiabo.jobs import enqueue_job

    job = enqueue_job(web.db, "cases-import", None, {
        "file": "upload.csv", "name": "名单.csv", "lang": "zh", "today": "2026-11-25",
        "local": True, "operator_id": None, "max_rows": 10})  # its file never arrived
    web.run_jobs()
    page = web.client.get(f"/jobs/{job}")
    assert "失败" in page.text and "「名单.csv」已经不在服务器上" in page.text
    assert f'action="/jobs/{job}/retry"' in page.text
    other = enqueue_job(web.db, "cases-import", None, {"file": "x"})  # the same person's
    token = _token(web, f"/jobs/{job}")
    busy = web.client.post(f"/jobs/{job}/retry", data={"csrf": token})
    assert busy.status_code == 422 and "你已经有一项同样的工作" in busy.text
    assert "这个案例" not in busy.text
    with web.db.write() as s:
        s.query(rows.JobRow).filter(rows.JobRow.id == other).update({"state": "failed"})
    again = web.client.post(f"/jobs/{job}/retry", data={"csrf": token})
    assert again.status_code == 303 and rows.get(web.db, job).state == "queued"
