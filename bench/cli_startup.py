"""Wall time of `xiabo --help` and `xiabo plan examples/kuaishou.yaml` (median of runs).

Usage: python bench/cli_startup.py [RUNS]   (last line: both medians)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XIABO = Path(sys.executable).with_name("xiabo")


def timed(args: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    cmd = [str(XIABO)] if XIABO.exists() else [sys.executable, "-m", "xiabo"]
    timed(cmd + ["plan", "examples/kuaishou.yaml", "--today", "2026-11-25"], 2)  # warm the rule cache
    help_s = timed(cmd + ["--help"], runs)
    plan_s = timed(cmd + ["plan", "examples/kuaishou.yaml", "--today", "2026-11-25"], runs)
    print(f"xiabo --help: {help_s:.3f} s (goal <= 0.15 s)")
    print(f"xiabo plan examples/kuaishou.yaml: {plan_s:.3f} s (goal <= 0.4 s)")
    print(f"help {help_s:.3f} s, plan {plan_s:.3f} s")


if __name__ == "__main__":
    main()
