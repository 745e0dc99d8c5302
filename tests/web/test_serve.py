"""``xiabo serve`` as a real process on 127.0.0.1: it serves, and it stops when told."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from xiabo.store.db import Database
from xiabo.store.pgcluster import free_port


def test_serve_runs_single_user_on_loopback(tmp_path):
    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    port = free_port()
    env = dict(os.environ, XIABO_DATABASE_URL=url, XIABO_HOME=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "xiabo", "serve", "--port", str(port),
                             "--today", "2026-11-25", "--lang", "en"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", follow_redirects=False, timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert r.status_code == 303 and r.headers["location"] == "/cases/new"
        page = httpx.get(f"http://127.0.0.1:{port}/cases/new?lang=en", timeout=5)
        assert page.status_code == 200 and "New case" in page.text
        spec = httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5).json()
        assert "/api/cases" in spec["paths"]
        # a DNS-rebound name pointing at 127.0.0.1 gets nothing
        rebound = httpx.get(f"http://127.0.0.1:{port}/cases/new",
                            headers={"Host": f"evil.example:{port}"}, timeout=5)
        assert rebound.status_code == 421
        assert httpx.get(f"http://localhost:{port}/cases/new", timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _err = proc.communicate()
    assert f"http://127.0.0.1:{port}/" in out and "Single-user mode" in out
