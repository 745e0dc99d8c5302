"""Plan time per task count: the example profile with 3, 30, 300 and 3,000 devices.

Plan time must grow linearly with the number of tasks, so the last line is the ratio of the
time per task at the largest size to that at the second smallest (≈ 1 when linear).

Usage: python bench/plan_scaling.py [SECONDS_PER_SIZE]   (last line: the ratio)
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import yaml

import xiabo
from xiabo.roadmap.assemble import build_plan
from xiabo.roadmap.profile import Device, Profile, profile_from_dict

SIZES = (3, 30, 300, 3000)
_DEVICES = ({"type": "phone", "os": "ios", "disposal": "sell"},
            {"type": "phone", "os": "android", "disposal": "donate"},
            {"type": "light", "disposal": "sell"})


def profile(devices: int) -> Profile:
    """The shipped example with ``devices`` devices (phones wiped and sold or donated, lights sold).

    Each device is validated; the list is set on the validated example afterwards, because a
    profile file may list at most a few hundred devices (an agency's 3,000 is the planner's
    stress test, not a streamer's situation).
    """
    example = Path(__file__).resolve().parent.parent / "examples" / "kuaishou.yaml"
    base = profile_from_dict(yaml.safe_load(example.read_text(encoding="utf-8")))
    kit = tuple(Device.model_validate({"name": f"设备{i + 1}", **_DEVICES[i % 3]})
                for i in range(devices))
    return base.model_copy(update={"equipment": kit})


def per_plan(book, prof: Profile, today: date, budget: float) -> tuple[float, int]:
    """(CPU ms per plan, tasks) over at least ``budget`` seconds and 3 runs."""
    tasks = len(build_plan(prof, book, today=today).tasks)  # warm caches
    runs, began = 0, time.process_time()
    while runs < 3 or time.process_time() - began < budget:
        build_plan(prof, book, today=today)
        runs += 1
    return (time.process_time() - began) * 1000 / runs, tasks


def main() -> None:
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    book = xiabo.load_rulebook()
    today = date(2026, 11, 25)
    rows = []
    for n in SIZES:
        ms, tasks = per_plan(book, profile(n), today, budget)
        rows.append((n, tasks, ms))
        print(f"{n:5d} devices  {tasks:5d} tasks  {ms:8.2f} ms/plan  {1000 * ms / tasks:6.1f} µs/task")
    (_, t1, m1), (_, t2, m2) = rows[1], rows[-1]
    ratio = (m2 / t2) / (m1 / t1)
    print(f"{ratio:.2f} time-per-task ratio, {rows[-1][1]} vs {rows[1][1]} tasks "
          f"({rows[-1][2]:.1f} vs {rows[1][2]:.2f} ms/plan; 1.00 = linear)")


if __name__ == "__main__":
    main()
