"""Evidence log benchmarks: append rate, verify of a 1,000,000-leaf log, proof latency.

Run: .venv/bin/python bench/evidence.py [--leaves 1000000] [--keep DIR]
Goals (issue): appends >= 5,000/s in batches of 1,000 small notes; verify of a 1,000,000-leaf
log <= 10 s; an inclusion proof for a leaf of that log <= 5 ms without recomputing the tree.
Each figure is printed; the last line is the headline.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from xiabo.evidence import entry, merkle
from xiabo.evidence.checkpoint import write_checkpoint
from xiabo.evidence.keys import create_log
from xiabo.evidence.log import EvidenceLog
from xiabo.evidence.verify import verify_log

T0 = "2026-11-23T08:00:00Z"


def notes(start: int, count: int) -> list[bytes]:
    return [
        entry.note_entry(T0, "note", f"客服回复记录 #{i}", f"T{i % 40}")
        for i in range(start, start + count)
    ]


def bench_append(root: Path, batches: int = 30, batch: int = 1000) -> float:
    log = create_log(root / "append", "bench.local/append", T0)
    payloads = [notes(i * batch, batch) for i in range(batches)]
    t = time.perf_counter()
    for p in payloads:
        log.append(p)
    dt = time.perf_counter() - t
    rate = batches * batch / dt
    print(f"append: {batches} batches x {batch} notes in {dt:.2f} s = {rate:,.0f} entries/s")
    return rate


def build_big(root: Path, leaves: int) -> EvidenceLog:
    """A log of notes where every 10th entry names one of 100 stored screenshots."""
    log = create_log(root / "big", "bench.local/big", T0)
    t = time.perf_counter()
    shots = [log.store_bytes(os.urandom(2048), f"shot{i}.png") for i in range(100)]
    done, step = 1, 20_000
    while done < leaves:
        n = min(step, leaves - done)
        batch = notes(done, n)
        for j in range(0, n, 10):
            s = shots[(done + j) // 10 % 100]
            batch[j] = entry.file_entry(T0, "screenshot", "截图", "T1", s.name, s.size, s.sha256)
        log.append(batch)
        done += n
        if done % 250_000 < step:
            write_checkpoint(log)  # a few checkpoints: verify checks their consistency
    write_checkpoint(log)
    print(
        f"build: {leaves:,} leaves in {time.perf_counter() - t:.1f} s "
        f"(entries.log {log.entries_path.stat().st_size / 2**20:.0f} MiB)"
    )
    return log


def bench_verify(log: EvidenceLog) -> float:
    t = time.perf_counter()
    rep = verify_log(log.folder)
    dt = time.perf_counter() - t
    assert rep.ok, rep.problems[:3]
    print(
        f"verify: {rep.size:,} leaves ({rep.files} stored files), {rep.checkpoints} "
        f"checkpoint(s) in {dt:.2f} s"
    )
    return dt


def bench_prove(log: EvidenceLog, samples: int = 2000) -> tuple[float, float]:
    head = log.head()
    rng = random.Random(1)
    times = []
    t_open = time.perf_counter()
    with log.tree() as tree:
        open_ms = (time.perf_counter() - t_open) * 1000
        for _ in range(samples):
            index = rng.randrange(head.size)
            t = time.perf_counter()
            proof = tree.inclusion(index, head.size)
            times.append((time.perf_counter() - t) * 1000)
        leaf = log.entry_at(index)
        assert merkle.verify_inclusion(leaf, index, head.size, proof, head.root)
    # the whole thing from nothing: open the folder, read the entry, prove, check
    t = time.perf_counter()
    fresh = EvidenceLog.open(log.folder)
    h = fresh.head()
    with fresh.tree() as tree:
        proof = tree.inclusion(h.size // 3, h.size)
    assert merkle.verify_inclusion(fresh.entry_at(h.size // 3), h.size // 3, h.size, proof, h.root)
    cold = (time.perf_counter() - t) * 1000
    times.sort()
    mean, p99 = statistics.mean(times), times[int(len(times) * 0.99)]
    print(
        f"prove: {samples} random leaves of {head.size:,}: mean {mean:.3f} ms, "
        f"p99 {p99:.3f} ms, max {times[-1]:.3f} ms (tree open {open_ms:.2f} ms; "
        f"open+read+prove+check from cold {cold:.2f} ms; {len(proof)} hashes)"
    )
    return mean, p99


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leaves", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="build the logs here and keep them")
    args = ap.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    root = args.keep or Path(tempfile.mkdtemp(prefix="xiabo-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        rate = bench_append(root)
        log = build_big(root, args.leaves)
        verify_s = bench_verify(log)
        _, p99 = bench_prove(log)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(
        f"evidence: append {rate:,.0f}/s (goal >= 5,000), verify {args.leaves:,} leaves "
        f"{verify_s:.1f} s (goal <= 10), proof p99 {p99:.2f} ms (goal <= 5)"
    )


if __name__ == "__main__":
    main()
