"""A live server on 127.0.0.1: 20 clients marking tasks at once lose no update; evidence
uploads land in the case's evidence log and nowhere else."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.web.features import features


def test_twenty_clients_at_once_lose_no_update(any_db_url, profile, live_server):
    from datetime import date

    from xiabo.store.db import Database
    from xiabo.web import WebConfig, create_app

    db = Database(any_db_url)
    case = stored.create_case(db, profile, today=date(2026, 11, 25), actor=repo.Actor())
    task_ids = [t["id"] for t in json.loads(case.plan_json)["tasks"]][:20]
    # the clients mark days up to 12-09: the server's today is after them (no future dates)
    app = create_app(WebConfig(database_url=any_db_url, today=lambda: date(2026, 12, 10),
                               pool_size=20))
    server = live_server(app)
    barrier = threading.Barrier(20)
    results: dict[str, int] = {}

    def client(task_id: str, n: int):
        with httpx.Client(base_url=server.url, timeout=60) as c:
            barrier.wait()
            r = c.post(f"/api/cases/{case.id}/tasks/{task_id}",
                       json={"done": f"2026-12-0{1 + n % 9}", "note": f"client {n}"})
            results[task_id] = r.status_code

    threads = [threading.Thread(target=client, args=(t, i)) for i, t in enumerate(task_ids)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results == {t: 200 for t in task_ids}
    kept_value = repo.get_case(db, case.id)
    progress = json.loads(kept_value.profile_json)["progress"]
    assert set(progress) == set(task_ids)
    assert {progress[t]["note"] for t in task_ids} == {f"client {i}" for i in range(20)}
    assert kept_value.tasks_done == 20 and kept_value.version == 21
    from xiabo.store.users import audit_entries

    assert audit_entries(db, case_id=case.id)[1] == 21
    db.dispose()
    app.state.db.dispose()


@pytest.mark.skipif(not features()["evidence"], reason="xiabo.evidence not installed")
def test_evidence_upload_goes_into_the_log(web, profile, _isolated_home):
    from xiabo.evidence import counts_by_task, default_dir, entries_for_task

    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    token = web.form_csrf(f"/cases/{case.id}")
    files = [("files", ("../../evil name.png", b"\x89PNG fake", "image/png")),
             ("files", ("回执.txt", "EMS 单号 123".encode(), "text/plain"))]
    from datetime import date

    web.today = date(2026, 12, 1)  # marked on the day it was sent
    r = web.client.post(f"/cases/{case.id}/tasks/mcn-notice/done",
                        data={"csrf": token, "done": "2026-12-01", "note": "寄出"}, files=files)
    assert r.status_code == 303 and "msg=evidence" in r.headers["location"]
    log = default_dir(case.folder)  # folders are named by the case id (issue 15)
    assert counts_by_task(log) == {"mcn-notice": 2}
    names = sorted(e["file"] for e in entries_for_task(log, "mcn-notice"))
    assert names == ["evil name.png", "回执.txt"]
    # nothing was written outside the case folder
    written = [p for p in _isolated_home.rglob("*") if p.is_file()]
    assert all(str(p).startswith(str(log)) or p.name.startswith("xiabo.sqlite3") or
               p.name == "web-secret.key" or  # the CSRF key (web/secret.py)
               p.suffix in (".sqlite3", ".sqlite3-wal", ".sqlite3-shm") for p in written), written
    assert not any("evil" in p.name for p in _isolated_home.parent.glob("*"))
    html = web.client.get(f"/cases/{case.id}").text
    assert "证据 2 条" in html
    # the plan the API serves folds the evidence log in, as `xiabo plan` does
    plan = web.client.get(f"/api/cases/{case.id}/plan").json()
    task = next(t for t in plan["tasks"] if t["id"] == "mcn-notice")
    assert task["evidence_entries"] == 2


@pytest.mark.skipif(not features()["evidence"], reason="xiabo.evidence not installed")
def test_evidence_file_size_limit(web, profile):
    from xiabo.web.tools import bridges

    case = stored.create_case(web.db, profile, today=web.today, actor=repo.Actor())
    token = web.form_csrf(f"/cases/{case.id}")
    old = bridges.MAX_EVIDENCE_FILE
    try:
        import xiabo.web.cases.pages as pc

        pc.MAX_EVIDENCE_FILE = 100
        r = web.client.post(f"/cases/{case.id}/tasks/mcn-notice/done",
                            data={"csrf": token, "done": "2026-12-01"},
                            files=[("files", ("big.bin", b"x" * 1000, "application/octet-stream"))])
    finally:
        pc.MAX_EVIDENCE_FILE = old
    assert r.status_code == 422 and "big.bin" in r.text
    assert repo.get_case(web.db, case.id).tasks_done == 0
