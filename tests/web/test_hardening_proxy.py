"""Finding 9: X-Forwarded-For is believed only from --forwarded-allow-ips."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from xiabo.commands.serve import proxy_settings
from xiabo.store.pgcluster import free_port
from xiabo.store.users import add_user, audit_entries


def _serve(app, forwarded):
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off",
                                           **proxy_settings(forwarded)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(("forwarded", "seen"), [(None, "127.0.0.1"),
                                                  ("127.0.0.1", "203.0.113.9")])
def test_forwarded_header_is_trusted_only_when_allowed(make_web, sqlite_url, forwarded, seen):
    web = make_web(sqlite_url, auth=True)
    add_user(web.db, "boss", "admin", "correct horse")
    server, thread, url = _serve(web.app, forwarded)
    try:
        with httpx.Client(base_url=url) as client:
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)[1]
            r = client.post("/login", data={"csrf": token, "name": "boss", "password": "no"},
                            headers={"X-Forwarded-For": "203.0.113.9"})
            assert r.status_code == 401
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    entry = audit_entries(web.db)[0][0]
    assert entry["action"] == "login.failed" and entry["detail"]["ip"] == seen


def test_proxy_settings():
    assert proxy_settings(None) == {"proxy_headers": False, "forwarded_allow_ips": ""}
    assert proxy_settings(" 10.0.0.1 , 10.0.0.2")["forwarded_allow_ips"] == "10.0.0.1,10.0.0.2"
