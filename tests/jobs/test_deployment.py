"""The deployment recipe of docs/deploy.md, run for real: PostgreSQL, two web processes
(``xiabo serve --agency``, no in-process worker) behind a reverse proxy that forwards client
addresses, and two ``xiabo worker`` processes. A worker is SIGKILLed in the middle of a backup,
and another in the middle of an opinion import; each job finishes on a surviving worker with
nothing lost or doubled, and the case's evidence log still verifies.

Agency mode has no backup form (backups of a computer's folders are made on that computer), so
the backup job is queued as the single-user page queues it; the import goes through the proxy.
The jobs reach the workers through procrastinate (PostgreSQL's queue); the test reads its
tables to show that the dead worker's delivery was put back and run elsewhere.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.jobs.conftest import TODAY, make_case
from tests.jobs.proxy import start_proxy
from tests.opinion.conftest import HEADER, comment_rows, write_csv

PASSWORD = "deploy-test-Passw0rd!"
STALE = 3  # seconds of silence before a worker counts as dead (XIABO_JOB_STALE_SECONDS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Child processes of the test, each in its own session; all stopped at the end."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.procs = env, logs, {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        out = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen([sys.executable, "-m", "xiabo", *args], env=self.env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = (proc, out)
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def stop_all(self) -> None:
        for proc, _out in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc, out in self.procs.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            out.close()


def _wait(what: str, check, timeout: float = 60, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _pid(worker: str | None) -> int | None:
    return int(worker.split(":")[1]) if worker else None


@pytest.fixture
def deployment(pg_server, tmp_path, monkeypatch):
    from tests.db_fixtures import _truncate

    from xiabo.store.db import Database

    _truncate(pg_server)
    home = tmp_path / "home"
    monkeypatch.setenv("XIABO_HOME", str(home))
    monkeypatch.setenv("XIABO_DATABASE_URL", pg_server)
    env = dict(os.environ, XIABO_HOME=str(home), XIABO_DATABASE_URL=pg_server,
               XIABO_INPROCESS_WORKER="0", XIABO_JOB_STALE_SECONDS=str(STALE),
               XIABO_TODAY=TODAY.isoformat(), XIABO_LANG="zh")
    db = Database(pg_server)
    procs = Processes(env, tmp_path)
    try:
        yield db, procs, env
    finally:
        procs.stop_all()
        db.dispose()


def test_killed_workers_jobs_finish_elsewhere(deployment, tmp_path):
    from xiabo.backup import verify_bag
    from xiabo.backup.inventory import load_inventory
    from xiabo.evidence.keys import create_log
    from xiabo.evidence.verify import verify_log
    from xiabo.jobs import enqueue_job
    from xiabo.paths import case_dir
    from xiabo.store import jobs as rows
    from xiabo.store.users import add_user

    db, procs, env = deployment
    import httpx

    add_user(db, "admin", "admin", PASSWORD)
    case = make_case(db, "头部主播", followers=3_000_000)
    evidence = case_dir(case.folder) / "evidence"
    create_log(evidence, f"xiabo.local/evidence/case-{case.id}/test", "2026-11-25T10:00:00Z")

    web_ports = [_free_port(), _free_port()]
    for i, port in enumerate(web_ports):
        procs.start(f"web{i}", "serve", "--agency", "--host", "127.0.0.1", "--port", str(port),
                    "--forwarded-allow-ips", "127.0.0.1")
    workers = {name: procs.start(name, "worker") for name in ("worker-a", "worker-b")}
    server, proxy_port = start_proxy(web_ports)
    try:
        for i, port in enumerate(web_ports):
            _wait(f"web{i}", lambda port=port: _listening(port), 30)
        client = httpx.Client(base_url=f"http://127.0.0.1:{proxy_port}", timeout=60)
        page = client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = client.post("/login", data={"csrf": token, "name": "admin", "password": PASSWORD,
                                        "next": "/"})
        assert r.status_code == 303, r.text

        # -- a backup, its worker killed while copying (or checking) ------------------------------------
        source, dest = tmp_path / "录像", tmp_path / "移动硬盘"
        source.mkdir()
        dest.mkdir()
        for i in range(12):
            (source / f"第{i}场.flv").write_bytes(os.urandom(16 << 20))
        job = enqueue_job(db, "backup", case.id, {
            "case_key": case.folder, "sources": [str(source)], "dests": [str(dest)],
            "data_class": "recordings", "media": None, "offsite": False,
            "platform": case.platform})
        row = _wait("the backup under way", lambda: (lambda r: r if r.state == "running" and
                    r.progress.get("done", 0) > 0 else None)(rows.get(db, job)), 30, 0.02)
        victim = _pid(row.worker)
        os.kill(victim, signal.SIGKILL)
        done = _wait("the backup done", lambda: (lambda r: r if r.state in rows.ENDED
                                                 else None)(rows.get(db, job)), 60)
        assert done.state == "done", (done.error, procs.log("worker-a"), procs.log("worker-b"))
        assert done.attempts == 2 and _pid(done.worker) != victim
        bags = [p for p in dest.iterdir()]
        assert len(bags) == 1, bags  # the partial bag was resumed, not left beside a new one
        check = verify_bag(bags[0])
        assert check.ok and check.files == 12
        inventory = load_inventory(case.folder)["bags"]
        assert list(inventory) == [str(bags[0].resolve())]
        assert len(inventory[str(bags[0].resolve())]["checks"]) == 1  # recorded once
        _handed_on_by_the_queue(db, job)

        survivors = [p for p in workers.values() if p.pid != victim]
        workers = {"worker-c": procs.start("worker-c", "worker"), "old": survivors[0]}

        # -- an opinion import through the proxy, its worker killed mid-way -----------------
        n = 40_000
        body = comment_rows(n, days=6)
        body += body[:500]
        data = write_csv(tmp_path / "评论.csv", HEADER, body).read_bytes()
        page = client.get(f"/cases/{case.id}")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = client.post(f"/cases/{case.id}/opinion/import", data={"csrf": token},
                        files={"files": ("评论.csv", data, "text/csv")})
        assert r.status_code == 303, r.text
        job = int(r.headers["location"].rsplit("/", 1)[1])
        row = _wait("the import saving", lambda: (lambda r: r if r.state == "running" and
                    r.progress.get("saved", 0) > 0 else None)(rows.get(db, job)), 60, 0.02)
        victim = _pid(row.worker)
        os.kill(victim, signal.SIGKILL)
        api = _wait("the import done", lambda: (lambda j: j if j["state"] in rows.ENDED
                                                else None)(client.get(f"/api/jobs/{job}").json()),
                    90, 0.3)
        assert api["state"] == "done", api
        assert api["attempts"] == 2 and api["result"]["added"] == n
        facts = _opinion_facts(db, case.id)
        assert facts["messages"] == n and facts["imports"] == [("评论.csv", n + 500, n)]
        assert facts["term_total"] == _reference_terms(tmp_path, data)
        assert not (Path(env["XIABO_HOME"]) / "jobs" / str(job)).exists()
        _handed_on_by_the_queue(db, job)
        # the case's evidence log is whole
        assert verify_log(evidence).ok
    finally:
        server.shutdown()


def _handed_on_by_the_queue(db, job: int) -> None:
    """The job went through procrastinate: its deliveries all ended, one of them by running
    it, and the dead worker's one was handed on: put back to wait (a stalled job retried),
    or, when another delivery of the row already waited (upkeep can deliver a row whose own
    delivery it did not see yet), ended as failed so that its lock let the other one run.
    The task itself never fails: a job's failure is recorded in its row."""
    import sqlalchemy as sa

    with db.engine.connect() as conn:
        found = conn.execute(sa.text(
            "SELECT j.status::text, array_agg(e.type::text ORDER BY e.id) FROM procrastinate_jobs j "
            "JOIN procrastinate_events e ON e.job_id = j.id WHERE j.args->>'job_id' = :job "
            "GROUP BY j.id, j.status"), {"job": str(job)}).all()
    statuses = [status for status, _ in found]
    assert "succeeded" in statuses and set(statuses) <= {"succeeded", "failed"}, found
    assert any("deferred_for_retry" in events for _, events in found) or \
        "failed" in statuses, found


def _opinion_facts(db, case_id: int) -> dict:
    from sqlalchemy import func, select

    from xiabo.store.opinion import OpinionImport, OpinionMessage, OpinionTerm

    with db.read() as s:
        return {
            "messages": s.scalar(select(func.count()).select_from(OpinionMessage)
                                 .where(OpinionMessage.case_id == case_id)),
            "imports": [tuple(r) for r in s.execute(
                select(OpinionImport.name, OpinionImport.rows, OpinionImport.added)
                .where(OpinionImport.case_id == case_id))],
            "term_total": tuple(s.execute(select(func.sum(OpinionTerm.n), func.sum(OpinionTerm.neg))
                                          .where(OpinionTerm.case_id == case_id)).one()),
        }


def _reference_terms(tmp_path, data: bytes) -> tuple:
    """Keyword totals of the same file imported in one go into the CLI's own SQLite store."""
    from xiabo.opinion.ingest import ingest_file
    from xiabo.opinion.store import open_store

    path = tmp_path / "ref.csv"
    path.write_bytes(data)
    with open_store(tmp_path / "ref") as store:
        ingest_file(store, path)
        terms = store.term_totals(TODAY.replace(year=2000), TODAY.replace(year=2100), 10**9)
    return (sum(a for _, a, _ in terms), sum(b for _, _, b in terms))
