"""Run the real ``xiabo`` console entry point in a subprocess under a memory and CPU budget.

A hostile input must be answered (exit 0, or 2 with a clear message) within the budget: the
kernel enforces it (RLIMIT_AS, RLIMIT_CPU), so a blow-up shows as a killed process or a
MemoryError, which the tests report as a failure, never as a hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass

MEMORY = 1536 << 20      # bytes of address space (1.5 GB)
CPU_SECONDS = 8          # CPU time, the kernel's SIGXCPU beyond it
WALL_SECONDS = 30        # a stuck process (waiting on nothing) is killed too
BAD_WORDS = ("Traceback", "内部出错", "internal error", "MemoryError", "RecursionError")


@dataclass
class Limited:
    code: int
    out: str
    err: str
    seconds: float

    def problems(self, allowed: tuple[int, ...] = (0, 2)) -> list[str]:
        """What is wrong with this run, in words (empty when it is a clean answer)."""
        found = []
        if self.code not in allowed:
            found.append(f"exit code {self.code}")
        found += [f"'{w}' in output" for w in BAD_WORDS if w in self.out or w in self.err]
        return found


def _limit() -> None:  # runs in the child between fork and exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))


def run_limited(*args: str, cwd: str | os.PathLike | None = None, stdin: str = "") -> Limited:
    """``xiabo *args`` in a fresh interpreter under the budget; stdin is closed after ``stdin``."""
    env = {**os.environ, "XIABO_LANG": "zh", "PYTHONFAULTHANDLER": "0"}
    env.pop("XIABO_DEBUG", None)
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", "from xiabo.cli import run; run()", *args],
                              input=stdin, capture_output=True, text=True, cwd=cwd, env=env,
                              timeout=WALL_SECONDS, preexec_fn=_limit, errors="replace")
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = -9, str(exc.stdout or ""), f"wall-clock timeout after {WALL_SECONDS} s"
    return Limited(code, out, err, time.monotonic() - started)
