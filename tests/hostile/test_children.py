"""Issue 15, finding 8: killing ``xiabo export`` must leave no process behind.

The charts were once drawn by a forked child that kept running at full CPU when its parent was
killed; they are now vector drawings made in-process. This test kills a real export mid-way and
looks for any process left in its session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _session_members(sid: int) -> list[int]:
    """Live processes whose session id is ``sid`` (zombies count as gone)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def test_killing_export_leaves_no_process(tmp_path):
    cmd = [sys.executable, "-m", "xiabo", "export", str(ROOT / "examples" / "kuaishou.yaml"),
           "--out", str(tmp_path / "out"), "--today", "2026-11-30"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        time.sleep(1.0)  # mid-way: the PDF and its charts take longer than this
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(5)
        deadline = time.monotonic() + 5
        while _session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _session_members(proc.pid) == [], "a process of the killed export is still running"
    finally:
        for pid in _session_members(proc.pid):
            os.kill(pid, signal.SIGKILL)
