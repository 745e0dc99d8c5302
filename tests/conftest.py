"""Shared fixtures: run the CLI in-process exactly as the console script does."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest_plugins = ["tests.db_fixtures"]  # PostgreSQL/SQLite fixtures for tests/store and tests/web

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str | None = None) -> CliResult:
    """Call ``xiabo.cli.run`` with ``args``; capture exit code, stdout and stderr."""
    from xiabo.cli import run

    old = sys.argv, sys.stdout, sys.stderr, sys.stdin
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["xiabo", *map(str, args)]
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv, sys.stdout, sys.stderr, sys.stdin = old
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    """``cli("plan", "x.yaml")`` -> CliResult(code, out, err)."""
    return run_cli


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own XIABO_HOME; nothing touches the real user's data."""
    home = tmp_path_factory.mktemp("xiabo-home")
    monkeypatch.setenv("XIABO_HOME", str(home))
    monkeypatch.delenv("XIABO_RULES", raising=False)
    monkeypatch.delenv("XIABO_LANG", raising=False)
    return home


CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run, here so that every folder's browser tests share it
    (Playwright's sync API refuses a second instance in the same process)."""
    import shutil

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("Chromium not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        pytest.skip("playwright not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()
