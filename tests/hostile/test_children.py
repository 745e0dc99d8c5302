"""Issue 15, finding 8: killing ``xiabo export`` must not leave its chart child drawing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the chart child is forked (POSIX)")

PARENT = """
import sys, time
from xiabo.export import prefetch, printable

def forever(plan, font):          # a chart that never finishes, at full CPU
    while True:
        pass

printable.render_charts = forever
job = prefetch.start(None, None)
print(job.pid if job else 0, flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_chart_child_dies_when_export_is_killed():
    env = {**os.environ, "XIABO_EXPORT_FORK": "1"}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True,
                              env=env)
    child = 0
    try:
        child = int(parent.stdout.readline())
        assert child > 0 and alive(child)
        time.sleep(0.3)
        assert alive(child), "the child must keep drawing while its parent lives"
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        deadline = time.monotonic() + 5
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child), "the chart child outlived the killed export"
    finally:
        if parent.poll() is None:
            parent.kill()
        if child and alive(child):
            os.kill(child, signal.SIGKILL)
