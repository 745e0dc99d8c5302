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


_MEASURE = ("import atexit, resource, sys\n"
            "def _peak():\n"
            "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
            "    kb = u.ru_maxrss\n"
            "    try:\n"  # ru_maxrss keeps the forking parent's peak across exec; VmHWM does not
            "        kb = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
            "    except (OSError, StopIteration, ValueError):\n"
            "        pass\n"
            "    sys.stderr.write('\\nXIABO_PEAK %d %.3f\\n' % (kb, u.ru_utime + u.ru_stime))\n"
            "atexit.register(_peak)\n"
            "from xiabo.cli import run\n"
            "run()\n")


@dataclass
class Measured(Limited):
    rss_mb: float = 0.0
    cpu_seconds: float = 0.0


def run_measured(*args: str, cwd: str | os.PathLike | None = None) -> Measured:
    """Like :func:`run_limited`, and the child reports its own peak RSS and CPU time at exit
    (measured inside it: the parent's ``RUSAGE_CHILDREN`` mixes every child it ever waited for,
    and a child's ``ru_maxrss`` starts from the forking parent's; ``VmHWM`` is the child's own)."""
    env = {**os.environ, "XIABO_LANG": "zh", "PYTHONFAULTHANDLER": "0"}
    env.pop("XIABO_DEBUG", None)
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=WALL_SECONDS, preexec_fn=_limit,
                          errors="replace")
    seconds = time.monotonic() - started
    err, _, peak = proc.stderr.rpartition("XIABO_PEAK ")
    rss_kb, cpu = (peak.split() + ["0", "0"])[:2]
    return Measured(proc.returncode, proc.stdout, err, seconds, int(rss_kb) / 1024, float(cpu))
