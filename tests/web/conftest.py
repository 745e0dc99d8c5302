"""Web fixtures: apps on SQLite and on a throwaway PostgreSQL, live servers, a browser.

PostgreSQL and Chromium are optional locally: without them the tests that need them skip with
the reason in the summary. CI installs both.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from xiabo.store import pgcluster

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
TODAY = date(2026, 11, 25)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Starlette's TestClient warns that it will move to httpx2; not our concern here."""
    for item in items:
        if _HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:Using `httpx`"))


class Web:
    """A TestClient plus the store behind it, with helpers for forms."""

    def __init__(self, url: str, auth: bool = False, today: date = TODAY, https: bool = False):
        from fastapi.testclient import TestClient

        from xiabo.store.db import Database
        from xiabo.web import WebConfig, create_app

        self.today = today
        self.app = create_app(WebConfig(database_url=url, auth=auth, today=lambda: self.today))
        self.db = Database(url)
        base = "https://testserver" if https else "http://testserver"
        self.client = TestClient(self.app, base_url=base, follow_redirects=False)

    def csrf(self) -> str:
        """A form token as the pages print it (HMAC-bound to this browser's session)."""
        import re

        for page in ("/login", "/cases/new", "/"):
            r = self.client.get(page, follow_redirects=page == "/")
            found = re.search(r'name="csrf" value="([^"]+)"', r.text) if r.status_code == 200 \
                else None
            if found:
                return found.group(1)
        raise AssertionError("no page with a form token")

    def form_csrf(self, path: str) -> str:
        """The CSRF token as printed in a page's form."""
        import re

        html = self.client.get(path).text
        return re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    def login(self, name: str, password: str):
        token = self.csrf()
        return self.client.post("/login", data={"csrf": token, "name": name,
                                                "password": password, "next": "/"})

    def run_jobs(self) -> int:
        """Run the queued jobs (backups, imports) as a worker would; how many ran."""
        from xiabo.jobs import Worker

        worker, n = Worker(self.db), 0
        while worker.run_once():
            n += 1
        return n

    def after_jobs(self, response):
        """What a request that queued a job leads to once the jobs ran: its redirect target
        (the job's page), or the response itself when it queued nothing (a 422 …)."""
        if response.status_code != 303:
            return response
        self.run_jobs()
        return self.client.get(response.headers["location"])

    def close(self):
        self.client.close()
        self.db.dispose()
        self.app.state.db.dispose()


@pytest.fixture
def web(sqlite_url):
    w = Web(sqlite_url)
    yield w
    w.close()


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh data folder (case folders, evidence logs) and no timestamp server."""
    monkeypatch.setenv("XIABO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XIABO_TSA_URL", raising=False)
    return tmp_path / "home"


@pytest.fixture
def make_web():
    made = []

    def make(url, **kw):
        w = Web(url, **kw)
        made.append(w)
        return w

    yield make
    for w in made:
        w.close()


class LiveServer:
    def __init__(self, app, port: int):
        import uvicorn

        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server():
    """``live_server(app)`` → a uvicorn server on 127.0.0.1:<free port>, stopped after."""
    servers = []

    def start(app):
        srv = LiveServer(app, pgcluster.free_port()).start()
        servers.append(srv)
        return srv

    yield start
    for srv in servers:
        srv.stop()


from tests.conftest import CHROMIUM_ARGS  # noqa: E402,F401 - the browser fixture is in tests/conftest.py


@pytest.fixture
def phone_page(browser):
    """A Chromium page as wide as a phone (390 px), in Chinese, that accepts downloads."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _cheap_argon2(cheap_argon2):
    """Every web test hashes with tiny argon2 costs."""
