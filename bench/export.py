"""Benchmark: a full ``xiabo export`` of examples/kuaishou.yaml, cold, in fresh processes.

Two measurements, each in its own fresh process (imports included, as a CLI run pays them):

* per format, one after the other: load the profile and build the plan, then ics, xlsx, pdf,
  docx + letter.md and the announcement kit, each written into a temp folder;
* the whole export the way ``xiabo export`` runs it (``xiabo.export.export_to``).

Goal: total ≤ 2 s. Last line: the total wall time of the CLI path (best of --runs).

    .venv/bin/python bench/export.py             # best of 3
    .venv/bin/python bench/export.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "examples" / "kuaishou.yaml"


def once() -> dict[str, float]:
    """One cold export in this process; seconds per step."""
    times: dict[str, float] = {}
    start = time.perf_counter()
    import xiabo
    from xiabo.export.common import atomic_write, file_name

    profile = xiabo.load_profile(PROFILE)
    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    times["plan"] = time.perf_counter() - start
    from xiabo import export

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, make in (("ics", lambda: [("ics", export.ics(plan))]),
                           ("xlsx", lambda: [("xlsx", export.xlsx(plan))]),
                           ("pdf", lambda: [("pdf", export.pdf(plan))]),
                           ("docx", lambda: [("letter_docx", export.docx(plan, profile)),
                                             ("letter_md", export.letter_md(plan, profile))]),
                           ("kit", lambda: [(f"kit.{k}", v) for k, v in
                                            export.kit(plan, profile).items()])):
            t0 = time.perf_counter()
            for key, data in make():
                atomic_write(out / file_name(key, plan.lang).replace("/", "_"), data)
            times[name] = time.perf_counter() - t0
    times["total"] = time.perf_counter() - start
    return times


def cli_path() -> dict[str, float]:
    """One cold export exactly as ``xiabo export`` does it; seconds."""
    start = time.perf_counter()
    import xiabo
    from xiabo.export.writer import export_to

    profile = xiabo.load_profile(PROFILE)
    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    with tempfile.TemporaryDirectory() as tmp:
        report = export_to(plan, profile, tmp, protect=[PROFILE])
        files = len(report.written)
    return {"total": time.perf_counter() - start, "files": files}


def _child(mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes; best total wins")
    parser.add_argument("--child", choices=["steps", "cli"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(once() if args.child == "steps" else cli_path()))
        return
    runs = max(args.runs, 1)
    steps = min((_child("steps") for _ in range(runs)), key=lambda r: r["total"])
    print(f"per format, one after the other (cold, best of {runs}):")
    for key in ("plan", "ics", "xlsx", "pdf", "docx", "kit"):
        print(f"  {key:>5}: {steps[key] * 1000:7.0f} ms")
    print(f"  sequential total: {steps['total']:.2f} s")
    cli = [_child("cli") for _ in range(runs)]
    print("xiabo export path: "
          + ", ".join(f"{r['total']:.2f} s" for r in cli) + f" ({cli[0]['files']} files)")
    best = min(r["total"] for r in cli)
    print(f"full export of {PROFILE.name}: {best:.2f} s (goal ≤ 2 s)")


if __name__ == "__main__":
    main()
