"""Reach from the phone (``xiabo serve --lan``): pairing links, phone sessions, refusals.

A phone is a test client whose address is on the LAN (``client=``); the computer itself is a
client on 127.0.0.1. Time is fixed through the app's ``clock``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo

LOCAL = repo.Actor()
PHONE = ("192.168.1.23", 51000)
DESK = ("127.0.0.1", 52000)
T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class Lan:
    """One app in LAN mode with a desk client and phone clients."""

    def __init__(self, url: str, today):

        from xiabo.store.db import Database
        from xiabo.web import WebConfig, create_app

        self.now = T0
        self.config = WebConfig(database_url=url, today=lambda: today, lan=True,
                                base_url="http://192.168.1.20:8000", clock=lambda: self.now)
        self.app = create_app(self.config)
        self.db = Database(url)
        self.clients = []
        self.desk = self.client(DESK)

    def client(self, address=PHONE):
        from fastapi.testclient import TestClient

        c = TestClient(self.app, base_url="http://192.168.1.20:8000", follow_redirects=False,
                       client=address)
        self.clients.append(c)
        return c

    def link(self, case_id: int) -> str:
        """Ask for a pairing link on the desk page, as a person would; returns its token."""
        page = self.desk.get(f"/cases/{case_id}/phone")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        r = self.desk.post(f"/cases/{case_id}/phone", data={"csrf": token, "action": "link"})
        assert r.status_code == 200, r.text
        assert "<svg" in r.text and 'class="qr"' in r.text
        return re.search(r"http://192\.168\.1\.20:8000/pair/([A-Za-z0-9_-]+)", r.text).group(1)

    def pair(self, phone, token: str):
        assert phone.get(f"/pair/{token}").status_code == 200
        return phone.post("/pair", data={"token": token})

    def close(self):
        for c in self.clients:
            c.close()
        self.db.dispose()
        self.app.state.db.dispose()


@pytest.fixture
def lan(sqlite_url):
    from datetime import date

    w = Lan(sqlite_url, date(2026, 11, 25))
    yield w
    w.close()


def _cases(lan, profile, n=2):
    out = []
    for i in range(n):
        out.append(stored.create_case(lan.db, dict(profile, name=f"主播{i}"),
                                    today=lan.config.today(), actor=LOCAL))
    return out


def test_unpaired_lan_request_gets_the_pairing_page_never_data(lan, profile):
    a, _ = _cases(lan, profile)
    phone = lan.client()
    for path in ("/", f"/cases/{a.id}", f"/cases/{a.id}/export/kit", f"/cases/{a.id}/evidence",
                 f"/cases/{a.id}/backup", "/rules", "/cases/new"):
        r = phone.get(path)
        assert r.status_code == 401, path
        assert "还没有配对" in r.text and "主播0" not in r.text, path
    api = phone.get(f"/api/cases/{a.id}")
    assert api.status_code == 401 and "主播" not in api.text
    # the computer itself is not asked to pair
    assert lan.desk.get(f"/cases/{a.id}").status_code == 200


def test_paired_phone_sees_only_its_own_case(lan, profile):
    a, b = _cases(lan, profile)
    phone = lan.client()
    r = lan.pair(phone, lan.link(a.id))
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{a.id}"
    page = phone.get(f"/cases/{a.id}")
    assert page.status_code == 200 and "主播0" in page.text
    assert phone.get("/").headers["location"] == f"/cases/{a.id}"
    assert phone.get(f"/cases/{b.id}").status_code == 404
    assert phone.get(f"/cases/{b.id}/export/kit").status_code == 404
    assert phone.get(f"/cases/{b.id}/evidence").status_code == 404
    assert phone.get(f"/api/cases/{b.id}").status_code == 404
    listing = phone.get("/cases")
    assert listing.status_code in (303, 403, 404) and "主播1" not in listing.text
    if listing.status_code == 303:
        assert listing.headers["location"] == f"/cases/{a.id}"
    assert phone.get(f"/cases/{a.id}/export/kit").status_code == 200
    # a phone may not start backups of the computer's folders, nor make pairing links
    assert phone.get(f"/cases/{a.id}/phone").status_code == 403
    assert "在电脑上操作" in phone.get(f"/cases/{a.id}/backup").text
    # and the phone can do its work: mark a task done with its session's form token
    html = phone.get(f"/cases/{a.id}").text
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    r = phone.post(f"/cases/{a.id}/tasks/evidence-setup/done", data={"csrf": token})
    assert r.status_code == 303
    assert phone.post(f"/cases/{a.id}/tasks/evidence-setup/undo",
                      data={"csrf": "forged"}).status_code == 403


def test_link_used_twice_is_refused(lan, profile):
    a, _ = _cases(lan, profile)
    token = lan.link(a.id)
    first, second = lan.client(), lan.client(("192.168.1.77", 50001))
    assert lan.pair(first, token).status_code == 303
    r = lan.pair(second, token)
    assert r.status_code == 410 and "已经用过" in r.text
    assert second.get(f"/cases/{a.id}").status_code == 401


def test_expired_link_is_refused(lan, profile):
    from xiabo.web.auth.pairing import settings

    a, _ = _cases(lan, profile)
    token = lan.link(a.id)
    lan.now = T0 + timedelta(minutes=settings()["link_minutes"], seconds=1)
    phone = lan.client()
    r = lan.pair(phone, token)
    assert r.status_code == 410
    assert phone.get(f"/cases/{a.id}").status_code == 401
    # just inside the window it works
    lan.now = T0
    token = lan.link(a.id)
    lan.now = T0 + timedelta(minutes=settings()["link_minutes"], seconds=-1)
    assert lan.pair(phone, token).status_code == 303


def test_unknown_link_and_forged_cookie_are_refused(lan, profile):
    from xiabo.web.auth.pairing import settings

    a, _ = _cases(lan, profile)
    phone = lan.client()
    assert lan.pair(phone, "not-a-token").status_code == 410
    phone.cookies.set(settings()["cookie"], "forged")
    assert phone.get(f"/cases/{a.id}").status_code == 401


def test_phone_session_expires_and_can_be_revoked(lan, profile):
    from xiabo.web.auth.pairing import settings

    a, _ = _cases(lan, profile)
    phone = lan.client()
    lan.pair(phone, lan.link(a.id))
    assert phone.get(f"/cases/{a.id}").status_code == 200
    lan.now = T0 + timedelta(days=settings()["session_days"], seconds=1)
    assert phone.get(f"/cases/{a.id}").status_code == 401
    lan.now = T0
    other = lan.client(("192.168.1.80", 50002))
    lan.pair(other, lan.link(a.id))
    assert other.get(f"/cases/{a.id}").status_code == 200
    page = lan.desk.get(f"/cases/{a.id}/phone")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = lan.desk.post(f"/cases/{a.id}/phone", data={"csrf": token, "action": "revoke"})
    assert r.status_code == 200 and "退出" in r.text
    assert other.get(f"/cases/{a.id}").status_code == 401


def test_tokens_are_stored_hashed(lan, profile):
    from sqlalchemy import select

    from xiabo.store.models import PairingLink, PhoneSession
    from xiabo.web.auth.pairing import settings

    a, _ = _cases(lan, profile)
    token = lan.link(a.id)
    phone = lan.client()
    lan.pair(phone, token)
    session = phone.cookies.get(settings()["cookie"])
    with lan.db.read() as s:
        links = list(s.execute(select(PairingLink.id)).scalars())
        sessions = list(s.execute(select(PhoneSession.id)).scalars())
    assert token not in links and session not in sessions
    assert all(len(x) == 64 for x in links + sessions)


def test_without_lan_the_phone_page_says_how_to_start(web, profile):
    a = stored.create_case(web.db, profile, today=web.today, actor=LOCAL)
    html = web.client.get(f"/cases/{a.id}/phone").text
    assert "xiabo serve --lan" in html


def test_lan_address_is_found_without_network():
    import ipaddress

    from xiabo.web.auth.lan import is_loopback_url, lan_addresses

    for addr in lan_addresses():
        ip = ipaddress.ip_address(addr)
        assert ip.version == 4 and not ip.is_loopback
    assert is_loopback_url("http://127.0.0.1:8000/calendar/x.ics")
    assert is_loopback_url("http://localhost:8000/")
    assert is_loopback_url("http://[::1]:8000/")
    assert not is_loopback_url("http://192.168.1.20:8000/")


def test_serve_lan_prints_a_pairing_qr_code_and_serves_both_addresses(tmp_path, profile):
    """The real command: one case, so the QR code is printed for it; the link pairs once."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from datetime import date

    import httpx

    from xiabo.store.db import Database
    from xiabo.store.pgcluster import free_port

    url = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    db = Database(url)
    db.upgrade()
    stored.create_case(db, profile, today=date(2026, 11, 25), actor=LOCAL)
    db.dispose()
    port = free_port()
    env = dict(os.environ, XIABO_DATABASE_URL=url, XIABO_HOME=str(tmp_path))
    # 127.0.0.2 stands in for the LAN address (a real one may not exist on a test machine)
    proc = subprocess.Popen([sys.executable, "-m", "xiabo", "serve", "--lan", "--host",
                             "127.0.0.2", "--port", str(port), "--today", "2026-11-25"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lan_base = f"http://127.0.0.2:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert httpx.get(f"{lan_base}/cases/1", timeout=5).status_code == 200
        token = None
        lines = []
        while token is None:
            lines.append(proc.stdout.readline())
            found = re.search(rf"{re.escape(lan_base)}/pair/([A-Za-z0-9_-]+)", lines[-1])
            token = found.group(1) if found else None
            assert len(lines) < 200, "".join(lines)
        text = "".join(lines)
        assert "扫描下面的二维码" in text and "█" in text
        first = httpx.post(f"{lan_base}/pair", data={"token": token}, timeout=5)
        assert first.status_code == 303 and first.headers["location"] == "/cases/1"
        assert httpx.post(f"{lan_base}/pair", data={"token": token},
                          timeout=5).status_code == 410
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def test_serve_lan_refuses_agency_mode_and_bad_base_urls(tmp_path, monkeypatch, cli):
    from xiabo.store.db import Database

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    monkeypatch.setenv("XIABO_DATABASE_URL", url)
    r = cli("serve", "--lan", "--agency")
    assert r.code == 2 and "--lan 只用于单人模式" in r.err, r
    r = cli("serve", "--base-url", "192.168.1.20")
    assert r.code == 2 and "不是一个网址" in r.err, r


def test_pairing_guesses_are_throttled_per_address(lan, profile):
    """Issue 20: /pair had no attempt throttle. Past the limit of failed tries from one address
    even a good link waits (429, in words); another address is not held up."""
    from xiabo.store.users import MAX_PAIR_FAILS_PER_IP

    a, _ = _cases(lan, profile)
    guesser = lan.client(("192.168.1.66", 50000))
    for i in range(MAX_PAIR_FAILS_PER_IP):
        assert guesser.post("/pair", data={"token": f"guess-{i}"}).status_code == 410
    good = lan.link(a.id)
    r = guesser.post("/pair", data={"token": good})
    assert r.status_code == 429 and "配对失败的次数太多" in r.text and "分钟后再试" in r.text
    assert lan.pair(lan.client(), good).status_code == 303  # the real phone, another address


@pytest.mark.parametrize("workers,expected", [(1, ["127.0.0.1", "127.0.0.2"]), (2, ["127.0.0.2"])])
def test_serve_lan_prints_the_addresses_it_listens_on(tmp_path, monkeypatch, cli, workers,
                                                       expected):
    """Issue 20: ``serve --lan --workers 2`` printed a loopback address it did not listen on."""
    import uvicorn

    from xiabo.store.db import Database

    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    monkeypatch.setenv("XIABO_DATABASE_URL", url)
    for key in ("XIABO_WEB_LAN", "XIABO_ALLOWED_HOSTS", "XIABO_BASE_URL", "XIABO_TODAY",
                "XIABO_WEB_AUTH"):  # serve sets these for its workers: undone after the test
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    bound: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: bound.append(kw["host"]))
    monkeypatch.setattr(uvicorn.Server, "run",
                        lambda self, sockets=None: bound.extend(
                            s.getsockname()[0] for s in sockets or ()))
    from xiabo.store.pgcluster import free_port

    r = cli("serve", "--lan", "--host", "127.0.0.2", "--port", str(free_port()),
            "--workers", str(workers), "--today", "2026-11-25")
    assert r.code == 0, r.err
    assert sorted(bound) == sorted(expected)
    started = next(line for line in r.out.splitlines() if "网页已启动" in line)
    printed = re.findall(r"http://([0-9.]+):", started)
    assert sorted(printed) == sorted(expected), started
