"""Benchmark: opinion monitoring, one core.

1. ingest + sentiment: a generated comment export (CSV, default 100,000 rows) goes through
   ``xiabo.opinion.ingest_file`` (safe reader, header mapping, time parsing, tokeniser,
   sentiment, hashing, SQLite with term counts). Texts are built from the evaluation set's
   comments plus random fragments, so about half are unique (live comments repeat; the cache
   helps only with true repeats). Measured in CPU time after jieba's one-off dictionary load;
   also run with every text unique (``--unique``) for the worst case.
2. report: a store with 1,000,000 messages over 60 days (rows written directly, with per-day
   term counts of realistic size) and the time ``build_report`` takes (wall clock).
3. the web's store (``xiabo.cases.opinion_store``: the case's rows in the main database): ingest of
   a generated export (default 100,000 rows) into one case, then the report over it, on SQLite
   and on a throwaway PostgreSQL cluster (skipped when its binaries are missing). Wall clock:
   the database's own work counts here.

    .venv/bin/python bench/opinion.py                 # 100k ingest, 1M report
    .venv/bin/python bench/opinion.py --rows 20000 --report-rows 200000 --store-rows 20000
Last line: messages/s (ingest + sentiment) and report seconds for the stored messages.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

EVAL = ROOT / "tests" / "opinion" / "eval_comments.csv"
FRAGMENTS = ["", "", "", "!", "。。", "哈哈", "呜呜", "真的", "大家", "今天", "兄弟们", "家人们",
             "唉", "[泪]", "啊啊啊", "主播", "老铁"]


def _texts() -> list[str]:
    with EVAL.open(encoding="utf-8") as fh:
        return [r["text"] for r in csv.DictReader(line for line in fh if not line.startswith("#"))]


def write_export(path: Path, rows: int, unique: bool, seed: int = 7) -> None:
    rng = random.Random(seed)
    texts = _texts()
    start = datetime(2026, 11, 1, 8)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["评论内容", "评论时间", "点赞数", "回复数", "用户昵称"])
        for i in range(rows):
            text = rng.choice(texts)
            if unique:
                text = f"{rng.choice(FRAGMENTS)}{text}{i}"
            elif rng.random() < 0.5:
                text = f"{rng.choice(FRAGMENTS)}{text}{rng.choice(FRAGMENTS)}{rng.randrange(1000)}"
            moment = start + timedelta(seconds=i * 30 * 86400 // rows + rng.randrange(30))
            w.writerow([text, moment.strftime("%Y-%m-%d %H:%M:%S"), rng.randrange(200),
                        rng.randrange(10), f"粉丝{rng.randrange(20000)}"])


def bench_ingest(rows: int, unique: bool) -> float:
    from xiabo.opinion.ingest import ingest_file
    from xiabo.opinion.sentiment import Scorer
    from xiabo.opinion.store import open_store
    from xiabo.opinion.text import tokenise

    tokenise("预热")  # jieba's dictionary load, once per process (~0.8 s), not per message
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "comments.csv"
        write_export(src, rows, unique)
        with open_store(Path(tmp) / "case") as store:
            cpu0, wall0 = time.process_time(), time.perf_counter()
            result = ingest_file(store, src, Scorer())
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    rate = result.rows / cpu
    print(f"ingest+sentiment {'all-unique' if unique else 'typical'}: {result.rows:,} rows, "
          f"{result.added:,} added, {cpu:.2f} s CPU ({wall:.2f} s wall) -> {rate:,.0f} msgs/s")
    return rate


def fill_store(directory: Path, rows: int, days: int = 60, seed: int = 11) -> None:
    """Write ``rows`` messages and per-day term counts straight into a new store."""
    from xiabo.opinion.store import open_store

    rng = random.Random(seed)
    texts = _texts()
    vocab = [f"词{i}" for i in range(20_000)]
    start = date(2026, 10, 1)
    base_ts = int(datetime(2026, 10, 1).timestamp())
    with open_store(directory) as store:
        conn = store.conn
        conn.execute("BEGIN")
        file_id = store.add_file("bench.csv", "0" * 64, "2026-11-30T00:00:00")
        batch = []
        for i in range(rows):
            d = i * days // rows
            day = start + timedelta(days=d)
            sentiment = rng.choice((-1, 0, 0, 1, 1)) if d != 40 else rng.choice((-1, -1, -1, 0, 1))
            key = hashlib.blake2b(i.to_bytes(8, "little"), digest_size=16).digest()
            batch.append((key, base_ts + d * 86400 + rng.randrange(86400), day.isoformat(),
                          rng.randrange(24), "comment", f"粉丝{rng.randrange(50000)}",
                          rng.choice(texts), rng.randrange(500), rng.randrange(20), sentiment,
                          0.0, file_id))
            if len(batch) == 50_000:
                conn.executemany("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
                batch.clear()
        if batch:
            conn.executemany("INSERT INTO messages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        per_day = rows // days
        for d in range(days):
            day = (start + timedelta(days=d)).isoformat()
            # Zipf-like: a few terms in many messages, a long tail; ~5,000 distinct terms a day
            terms = {}
            for rank in range(5_000):
                n = max(1, int(per_day * 0.2 / (rank + 1)))
                terms[(day, vocab[rng.randrange(len(vocab)) if rank > 50 else rank])] = [n, n // 3]
            store.insert([], terms)
        conn.execute("COMMIT")


def bench_report(rows: int) -> float:
    from xiabo.opinion.report import build_report
    from xiabo.opinion.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        fill_store(Path(tmp), rows)
        print(f"filled a store with {rows:,} messages in {time.perf_counter() - t0:.1f} s "
              f"({os.path.getsize(Path(tmp) / 'opinion.sqlite') / 2**20:,.0f} MiB)")
        with open_store(tmp) as store:
            t0 = time.perf_counter()
            report = build_report(store, today=date(2026, 12, 31), last_live=date(2026, 11, 10))
            seconds = time.perf_counter() - t0
    print(f"report over {report.total:,} messages, {len(report.days)} days, "
          f"{len(report.spikes)} spike day(s): {seconds:.2f} s")
    return seconds


def bench_store(url: str, rows: int, label: str) -> tuple[float, float]:
    """Ingest ``rows`` generated messages into one web case, then report: (msgs/s, seconds)."""
    from xiabo.cases import stored
    from xiabo.cases.opinion_store import CaseStore
    from xiabo.opinion.ingest import ingest_file
    from xiabo.opinion.sentiment import Scorer
    from xiabo.store import cases as repo
    from xiabo.store.db import Database

    db = Database(url)
    db.upgrade()
    profile = {"name": "bench", "platform": "kuaishou", "start": "2026-10-01",
               "followers": 3_000_000}
    case = stored.create_case(db, profile, today=date(2026, 10, 1), actor=repo.Actor())
    store = CaseStore(db.engine, case.id)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "comments.csv"
        write_export(src, rows, unique=False)
        t0 = time.perf_counter()
        result = ingest_file(store, src, Scorer())
        ingest = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = build_report_for(store)
    seconds = time.perf_counter() - t0
    db.dispose()
    rate = result.rows / ingest
    print(f"web store on {label}: ingest {result.rows:,} rows ({result.added:,} added) in "
          f"{ingest:.2f} s -> {rate:,.0f} msgs/s; report over {report.total:,} messages "
          f"{seconds:.2f} s")
    return rate, seconds


def build_report_for(store):
    from xiabo.opinion.report import build_report

    return build_report(store, today=date(2026, 12, 31), last_live=date(2026, 11, 20))


def bench_stores(rows: int) -> dict[str, tuple[float, float]]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XIABO_HOME"] = str(Path(tmp) / "home")
        out["SQLite"] = bench_store(f"sqlite:///{Path(tmp) / 'xiabo.sqlite3'}", rows, "SQLite")
        from xiabo.store import pgcluster

        reason = pgcluster.unavailable_reason()
        if reason:
            print(f"web store on PostgreSQL: skipped ({reason})")
        else:
            with pgcluster.throwaway_cluster("xiabo_bench") as url:
                out["PostgreSQL"] = bench_store(url, rows, "PostgreSQL")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--report-rows", type=int, default=1_000_000)
    ap.add_argument("--store-rows", type=int, default=100_000)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core
    rate = bench_ingest(args.rows, unique=False)
    bench_ingest(args.rows, unique=True)
    seconds = bench_report(args.report_rows)
    stores = bench_stores(args.store_rows) if args.store_rows else {}
    web = "".join(f"; web store {name} {args.store_rows:,}: ingest {r:,.0f} msgs/s, report "
                  f"{s:.2f} s" for name, (r, s) in stores.items())
    print(f"opinion: ingest+sentiment {rate:,.0f} msgs/s (one core); "
          f"report of {args.report_rows:,} messages {seconds:.2f} s{web}")


if __name__ == "__main__":
    main()
