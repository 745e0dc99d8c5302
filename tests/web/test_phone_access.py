"""Turning phone access on and off from the pairing page, without a restart.

A real uvicorn server on 127.0.0.1 serves the page; the "LAN" listener the switch opens binds a
second loopback address (127.0.0.2) on the same port, since a test machine may have no LAN.
Refusals (another device, no form token, signed out in agency mode) use test clients.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
import pytest

from xiabo.cases import stored
from xiabo.store import cases as repo
from xiabo.store import pgcluster

TODAY = date(2026, 11, 25)
LAN_IP = "127.0.0.2"
PHONE = ("192.168.1.23", 51000)
DESK = ("127.0.0.1", 52000)


def _app(url: str, port: int, **config):
    from xiabo.web import WebConfig, create_app
    from xiabo.web.auth.lan_switch import LanSwitch

    config.setdefault("allowed_hosts", ("127.0.0.1", "localhost", "::1"))  # as serve sets it
    app = create_app(WebConfig(database_url=url, today=lambda: TODAY, **config))
    app.state.lan_switch = LanSwitch(port, addresses=lambda: [LAN_IP])
    return app


def _case(url: str, profile) -> int:
    from xiabo.store.db import Database

    db = Database(url)
    try:
        return stored.create_case(db, profile, today=TODAY, actor=repo.Actor()).id
    finally:
        db.dispose()


def _token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _audit(url: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from xiabo.store.db import Database
    from xiabo.store.models import AuditEntry

    db = Database(url)
    try:
        with db.read() as s:
            return [(a, d) for a, d in s.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.action.like("phone.access%")).order_by(AuditEntry.id))]
    finally:
        db.dispose()


@pytest.fixture
def running(sqlite_url, profile, live_server):
    from tests.web.conftest import LiveServer

    port = pgcluster.free_port()
    app = _app(sqlite_url, port)
    case_id = _case(sqlite_url, profile)
    srv = LiveServer(app, port).start()
    yield app, srv, case_id, port
    if app.state.lan_switch.on:  # never leave the second listener behind
        with httpx.Client(base_url=srv.url) as c:
            page = c.get(f"/cases/{case_id}/phone")
            c.post(f"/cases/{case_id}/phone/access",
                   data={"csrf": _token(page.text), "action": "off"})
    srv.stop()


def test_switch_on_and_off_from_a_loopback_session(running, sqlite_url):
    app, srv, case_id, port = running
    lan_url = f"http://{LAN_IP}:{port}"
    with httpx.Client(base_url=srv.url, timeout=10) as desk:
        page = desk.get(f"/cases/{case_id}/phone")
        assert page.status_code == 200
        assert "打开手机访问" in page.text and "不会被记住" in page.text
        assert "serve --lan 启动" not in page.text  # no more "restart with --lan"
        with pytest.raises(httpx.ConnectError):
            httpx.get(lan_url + "/", timeout=2)

        on = desk.post(f"/cases/{case_id}/phone/access",
                       data={"csrf": _token(page.text), "action": "on"})
        assert on.status_code == 200, on.text
        assert f"手机访问已打开，手机用这个地址：{lan_url}" in on.text
        assert "<svg" in on.text and 'class="qr"' in on.text  # the pairing QR code, at once
        assert re.search(rf"{re.escape(lan_url)}/pair/[A-Za-z0-9_-]+", on.text)
        assert app.state.config.lan and app.state.config.base_url == lan_url

        # the same app now answers on the LAN address (its Host is allowed, no 421)
        r = httpx.get(lan_url + "/pair", timeout=5)
        assert r.status_code == 401 and "配对" in r.text

        # and a device that is not this computer must pair first, as under serve --lan
        from fastapi.testclient import TestClient

        with TestClient(app, base_url=lan_url, client=PHONE, follow_redirects=False) as phone:
            assert phone.get(f"/cases/{case_id}").status_code == 401

        page = desk.get(f"/cases/{case_id}/phone")
        assert "关闭手机访问" in page.text
        off = desk.post(f"/cases/{case_id}/phone/access",
                        data={"csrf": _token(page.text), "action": "off"})
        assert off.status_code == 200 and "手机访问已关闭" in off.text
    with pytest.raises(httpx.ConnectError):
        httpx.get(lan_url + "/", timeout=2)
    assert not app.state.config.lan and app.state.config.base_url is None
    assert LAN_IP not in app.state.allowed_hosts
    entries = _audit(sqlite_url)
    assert [a for a, _ in entries] == ["phone.access_on", "phone.access_off"]
    assert LAN_IP in entries[0][1]


def test_another_device_or_no_form_token_is_refused(sqlite_url, profile):
    from fastapi.testclient import TestClient

    port = pgcluster.free_port()
    app = _app(sqlite_url, port, allowed_hosts=None)
    case_id = _case(sqlite_url, profile)
    path = f"/cases/{case_id}/phone/access"
    with TestClient(app, client=PHONE, follow_redirects=False) as other, \
            TestClient(app, client=DESK, follow_redirects=False) as desk:
        token = _token(other.get(f"/cases/{case_id}/phone").text)
        r = other.post(path, data={"csrf": token, "action": "on"})
        assert r.status_code == 403
        assert desk.post(path, data={"action": "on"}).status_code == 403  # no CSRF token
        assert desk.post(path, data={"csrf": "forged", "action": "on"}).status_code == 403
    assert not app.state.lan_switch.on and not app.state.config.lan
    assert _audit(sqlite_url) == []


def test_signed_out_in_agency_mode_is_refused(sqlite_url, profile):
    from fastapi.testclient import TestClient

    port = pgcluster.free_port()
    app = _app(sqlite_url, port, auth=True, allowed_hosts=None)
    case_id = _case(sqlite_url, profile)
    with TestClient(app, client=DESK, follow_redirects=False) as c:
        r = c.post(f"/cases/{case_id}/phone/access", data={"action": "on"})
        assert r.status_code in (303, 401, 403)
        assert "login" in r.headers.get("location", "/login") or r.status_code != 303
    assert not app.state.lan_switch.on and _audit(sqlite_url) == []


def test_no_lan_address_says_so(sqlite_url, profile, live_server):
    from tests.web.conftest import LiveServer

    port = pgcluster.free_port()
    app = _app(sqlite_url, port)
    app.state.lan_switch.addresses = lambda: []
    case_id = _case(sqlite_url, profile)
    srv = LiveServer(app, port).start()
    try:
        with httpx.Client(base_url=srv.url, timeout=10) as desk:
            page = desk.get(f"/cases/{case_id}/phone")
            r = desk.post(f"/cases/{case_id}/phone/access",
                          data={"csrf": _token(page.text), "action": "on"})
        assert r.status_code == 409
        assert "没有连上局域网" in r.text and "同一个 Wi-Fi" in r.text
        assert not app.state.config.lan
    finally:
        srv.stop()


AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


def _fits_and_passes_axe(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    if AXE.exists():  # scripts/bootstrap.sh full installs it (tests/web/axe)
        page.add_script_tag(path=str(AXE))
        assert page.evaluate(AXE_RUN) == []


@pytest.mark.browser
def test_screenshots_390_and_1280(running, browser, artifacts):
    app, srv, case_id, port = running
    shots = artifacts / "phone-access"
    shots.mkdir(exist_ok=True)
    for name, size in (("phone", {"width": 390, "height": 844}),
                       ("desktop", {"width": 1280, "height": 800})):
        context = browser.new_context(viewport=size, bypass_csp=True)  # to inject axe-core
        page = context.new_page()
        page.goto(f"{srv.url}/cases/{case_id}/phone")
        _fits_and_passes_axe(page)
        page.screenshot(path=str(shots / f"{name}-off.png"), full_page=True)
        page.click("button[value=on]")
        page.wait_for_selector("svg.qr")
        _fits_and_passes_axe(page)
        page.screenshot(path=str(shots / f"{name}-on.png"), full_page=True)
        page.click("button[value=off]")
        page.wait_for_selector("text=手机访问已关闭")
        context.close()
