"""Jobs on the web: a job's page and GET /api/jobs/{id} in words, for its case's readers only;
a backup whose worker died for good shows "interrupted" (no endless "copying" and refresh) and
can be retried; two web processes cannot queue two backups of one case."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from xiabo.cases import stored
from xiabo.jobs import enqueue_job
from xiabo.jobs.worker import MAX_ATTEMPTS
from xiabo.store import cases as repo
from xiabo.store import jobs as rows
from xiabo.store.models import utcnow
from xiabo.store.users import add_user

LOCAL = repo.Actor()


def _die(db, job_id: int, times: int = 1) -> None:
    """The job's worker dies ``times`` times (claimed, then silent), as a reaper sees it."""
    from xiabo.jobs import Worker

    reaper = Worker(db, stale_after=5)
    for _ in range(times):
        assert rows.claim(db, "dead", (rows.get(db, job_id).kind,)).id == job_id
        with db.write() as s:
            s.execute(update(rows.JobRow).where(rows.JobRow.id == job_id)
                      .values(heartbeat_at=utcnow() - timedelta(seconds=60)))
        reaper.reap()


def _backup(db, case, tmp_path) -> int:
    return enqueue_job(db, "backup", case.id, {
        "case_key": case.folder, "sources": [str(tmp_path)], "dests": [str(tmp_path / "d")],
        "data_class": "other", "media": None, "offsite": False, "platform": case.platform})


def test_a_backup_that_died_for_good_reads_interrupted_and_retries(web, profile, tmp_path):
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    job = _backup(web.db, case, tmp_path)
    page = web.client.get(f"/cases/{case.id}/backup/jobs/{job}")
    assert "准备中" in page.text and 'http-equiv="refresh"' in page.text
    _die(web.db, job, MAX_ATTEMPTS)
    page = web.client.get(f"/cases/{case.id}/backup/jobs/{job}")
    assert page.status_code == 200 and "已中断" in page.text and "做到一半停了" in page.text
    assert 'http-equiv="refresh"' not in page.text and "正在复制" not in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = web.client.post(f"/cases/{case.id}/backup/jobs/{job}/retry", data={"csrf": token})
    assert r.status_code == 303 and rows.get(web.db, job).state == "queued"
    api = web.client.get(f"/api/jobs/{job}").json()
    assert api["state"] == "queued" and api["state_words"] == "排队中"
    assert "sources" not in str(api) and str(tmp_path) not in str(api)  # no computer paths


def test_one_backup_per_case_whichever_process_asks(web, make_web, sqlite_url, profile,
                                                    tmp_path):
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    other = make_web(sqlite_url)  # a second web process over the same database
    (tmp_path / "src").mkdir()
    (tmp_path / "dst").mkdir()
    form = {"sources": str(tmp_path / "src"), "dests": str(tmp_path / "dst"),
            "data_class": "other"}
    first = web.client.post(f"/cases/{case.id}/backup",
                            data=dict(form, csrf=web.form_csrf(f"/cases/{case.id}/backup")))
    assert first.status_code == 303
    second = other.client.post(f"/cases/{case.id}/backup",
                               data=dict(form, csrf=other.form_csrf(f"/cases/{case.id}/backup")))
    assert second.status_code == 422 and "已经有一个备份正在进行" in second.text
    assert len(rows.recent(web.db, case.id, "backup")) == 1


def test_an_import_job_page_and_api_are_for_its_cases_readers(make_web, any_db_url, profile,
                                                             tmp_path):
    web = make_web(any_db_url, auth=True)
    a = stored.create_case(web.db, dict(profile, name="甲主播"), today=web.today, actor=LOCAL)
    b = stored.create_case(web.db, dict(profile, name="乙主播"), today=web.today, actor=LOCAL)
    add_user(web.db, "op", "operator", "op-tea-kettle", case_ids=[a.id])
    job = enqueue_job(web.db, "opinion-import", b.id,
                      {"case_key": b.folder, "files": [["0.csv", "评论.csv"]]},
                      files={"0.csv": b"x"})
    web.login("op", "op-tea-kettle")
    assert web.client.get(f"/api/jobs/{job}").status_code == 404      # not op's case
    assert web.client.get(f"/cases/{b.id}/jobs/{job}").status_code in (403, 404)
    assert web.client.get(f"/cases/{a.id}/jobs/{job}").status_code == 404  # wrong case
    own = enqueue_job(web.db, "opinion-import", a.id,
                      {"case_key": a.folder, "files": [["0.csv", "评论.csv"]]},
                      files={"0.csv": b"x"})
    page = web.client.get(f"/cases/{a.id}/jobs/{own}")
    assert page.status_code == 200 and "排队中" in page.text and "正在排队导入" in page.text
    api = web.client.get(f"/api/jobs/{own}?lang=en").json()
    assert api["state"] == "queued" and "queued for import" in api["state_words"]
    assert api["percent"] is None  # not known yet: said as unknown, not guessed


def _tool_upload(web, case, page: str, name: str, data: bytes):
    token = web.form_csrf(f"/cases/{case.id}/{page}")
    return web.client.post(f"/cases/{case.id}/{page}", data={"csrf": token},
                           files={"file": (name, data, "application/octet-stream")})


def test_a_second_tool_upload_while_one_waits_answers_with_it(web, profile):
    """One privacy scan (and one order check) per case at a time, by the queue's unique
    index: the second upload is refused in words with a link to the one in progress."""
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    for page, name, data in (("privacy", "fans.csv", "昵称,手机\n小明,13812345678\n".encode()),
                             ("orders", "orders.csv", "订单编号,订单状态\nA1,待发货\n".encode())):
        first = _tool_upload(web, case, page, name, data)
        assert first.status_code == 303
        second = _tool_upload(web, case, page, name, data)
        assert second.status_code == 422
        assert "已经有一项同样的工作在排队或进行中" in second.text
        assert f'href="{first.headers["location"]}"' in second.text
        kind = "privacy-scan" if page == "privacy" else "orders-check"
        assert len(rows.recent(web.db, case.id, kind)) == 1
        # a tool page asked for a job still waiting sends the reader to the job's page
        job = first.headers["location"].rsplit("/", 1)[1]
        r = web.client.get(f"/cases/{case.id}/{page}?job={job}")
        assert r.status_code == 303 and r.headers["location"] == first.headers["location"]
    assert web.run_jobs() == 2


def test_tool_job_pages_are_for_their_cases_readers(make_web, sqlite_url, profile):
    web = make_web(sqlite_url, auth=True)
    a = stored.create_case(web.db, dict(profile, name="甲主播"), today=web.today, actor=LOCAL)
    b = stored.create_case(web.db, dict(profile, name="乙主播"), today=web.today, actor=LOCAL)
    add_user(web.db, "op", "operator", "op-tea-kettle", case_ids=[a.id])
    jobs = {kind: enqueue_job(web.db, kind, b.id, {"case_key": b.folder, "name": "x.csv",
                                                   "stored": "x.csv", "today": "2026-11-25"},
                              files={"x.csv": b"a,b\n1,2\n"})
            for kind in ("privacy-scan", "orders-check")}
    web.login("op", "op-tea-kettle")
    for kind, job in jobs.items():
        page = "privacy" if kind == "privacy-scan" else "orders"
        assert web.client.get(f"/api/jobs/{job}").status_code == 404
        assert web.client.get(f"/cases/{b.id}/jobs/{job}").status_code in (403, 404)
        assert web.client.get(f"/cases/{a.id}/jobs/{job}").status_code == 404
        assert web.client.get(f"/cases/{b.id}/{page}?job={job}").status_code in (403, 404)
        # another case's job number on one's own case page is no job at all
        r = web.client.get(f"/cases/{a.id}/{page}?job={job}")
        assert r.status_code == 200 and "x.csv" not in r.text
        assert web.client.get(f"/cases/{a.id}/{page}?job=abc").status_code == 200


def test_tool_job_words_in_both_languages(web, profile):
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    data = "昵称,手机\n小明,13812345678\n".encode()
    r = _tool_upload(web, case, "privacy", "fans.csv", data)
    job = r.headers["location"].rsplit("/", 1)[1]
    api = web.client.get(f"/api/jobs/{job}?lang=en").json()
    assert api["state"] == "queued" and "queued for checking" in api["state_words"]
    assert "case_key" not in str(api) and "payload" not in api
    assert web.run_jobs() == 1
    api = web.client.get(f"/api/jobs/{job}?lang=en").json()
    assert api["state_words"].startswith('Check finished: "fans.csv" has 2 rows')
    assert "Mobile" in api["state_words"] or "mobile" in api["state_words"]
    zh = web.client.get(f"/cases/{case.id}/jobs/{job}").text
    assert "检查完成：「fans.csv」共 2 行，发现 1 处个人信息" in zh and "查看结果" in zh


def test_a_tool_job_that_died_for_good_asks_for_the_file_again(web, profile):
    """Its upload went with its folder: no Retry (it could only fail), words that say to
    upload again, on the job's page and on the tool page it links to."""
    case = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    r = _tool_upload(web, case, "orders", "orders.csv", "订单编号,订单状态\nA1,待发货\n".encode())
    job = int(r.headers["location"].rsplit("/", 1)[1])
    _die(web.db, job, MAX_ATTEMPTS)
    page = web.client.get(r.headers["location"])
    assert "已中断" in page.text and "请回到页面重新上传" in page.text
    assert "/retry" not in page.text and "点「重试」" not in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert f'href="/cases/{case.id}/orders?job={job}"' in page.text and "回到页面重新上传" in page.text
    tool = web.client.get(f"/cases/{case.id}/orders?job={job}")
    assert tool.status_code == 200 and "请回到页面重新上传" in tool.text
    api = web.client.get(f"/api/jobs/{job}?lang=en").json()
    assert api["retryable"] is False and "Upload it again" in api["error"]
