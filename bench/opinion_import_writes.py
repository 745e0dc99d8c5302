"""Benchmark: writes to other cases while a large opinion import runs as a job.

A generated comment export (default 1,000,000 rows, about 60 MB of CSV) is queued as an
``opinion-import`` job and run by a ``xiabo worker`` process (as an agency runs it; on SQLite
``xiabo serve`` runs the same worker as a thread). Meanwhile ``--writers`` threads of this
process write to other cases, one short write transaction after another (the case row's
``updated_at`` and an audit entry: what any step on a case takes of the database's write lock),
and time each write. The import commits every ~5,000 new messages, so a write waits at most
for one chunk, not for the whole file.

    .venv/bin/python bench/opinion_import_writes.py                       # SQLite, 1M rows
    .venv/bin/python bench/opinion_import_writes.py --rows 100000 --database-url postgresql://…

Last line: p99 of the writes to other cases during the import (goal ≤ 1 s).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TEXTS = ["主播一路走好", "谢谢这些年的陪伴", "公会太黑心了", "退钱！", "几点开播", "666",
         "听说是被公会逼走的，垃圾公司", "加我微信领福利", "舍不得你", "下次直播是什么时候"]


def write_export(path: Path, rows: int, seed: int = 7) -> None:
    """A comment export of ``rows`` rows over 30 days, about half the texts unique."""
    import csv

    rng = random.Random(seed)
    start = datetime(2026, 11, 1, 8)
    step = 30 * 86400 / rows
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["评论内容", "评论时间", "点赞数", "回复数", "用户昵称"])
        for i in range(rows):
            text = rng.choice(TEXTS) + (str(rng.randrange(100000)) if i % 2 else "")
            out.writerow([text, (start + timedelta(seconds=int(i * step)))
                          .strftime("%Y-%m-%d %H:%M:%S"), rng.randrange(500),
                          rng.randrange(20), f"粉丝{i % 5000}"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--writers", type=int, default=2)
    ap.add_argument("--database-url", default=None, help="default: a new SQLite file")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="xiabo-bench-jobs-"))
    os.environ["XIABO_HOME"] = str(tmp / "home")
    url = args.database_url or f"sqlite:///{tmp / 'xiabo.sqlite3'}"
    os.environ["XIABO_DATABASE_URL"] = url

    from datetime import date

    from sqlalchemy import update
    from tests.helpers import base_profile

    from xiabo.cases import stored
    from xiabo.jobs import enqueue_job
    from xiabo.store import cases as repo
    from xiabo.store import jobs as rows
    from xiabo.store.db import Database
    from xiabo.store.models import AuditEntry, Case, utcnow

    db = Database(url)
    db.upgrade()
    today = date(2026, 12, 1)
    target = stored.create_case(db, base_profile(name="头部主播", followers=3_000_000),
                                today=today, actor=repo.Actor())
    others = [stored.create_case(db, base_profile(name=f"别的主播{i}"), today=today,
                                 actor=repo.Actor()).id for i in range(8)]
    export = tmp / "export.csv"
    t0 = time.perf_counter()
    write_export(export, args.rows)
    print(f"export: {args.rows:,} rows, {export.stat().st_size / 1e6:.1f} MB "
          f"({time.perf_counter() - t0:.1f} s to write)", flush=True)

    env = dict(os.environ, XIABO_INPROCESS_WORKER="0")
    worker = subprocess.Popen([sys.executable, "-m", "xiabo", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    latencies: list[float] = []
    errors: list[str] = []
    stop = threading.Event()

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            case_id = rng.choice(others)
            started = time.perf_counter()
            try:
                with db.write() as s:
                    s.execute(update(Case).where(Case.id == case_id).values(updated_at=utcnow()))
                    s.add(AuditEntry(user_id=None, action="bench.write", case_id=case_id,
                                     detail="{}", at=utcnow()))
                latencies.append(time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001 - counted and shown
                errors.append(str(exc).splitlines()[0])
            time.sleep(0.02)

    try:
        job = enqueue_job(db, "opinion-import", target.id,
                          {"case_key": target.folder, "files": [["0.csv", "export.csv"]]},
                          files={"0.csv": export})
        threads = [threading.Thread(target=writer, args=(i,), daemon=True)
                   for i in range(args.writers)]
        started = time.perf_counter()
        for th in threads:
            th.start()
        shown = time.perf_counter()
        while True:
            row = rows.get(db, job)
            if row.state in rows.ENDED:
                break
            time.sleep(0.5)
            if time.perf_counter() - shown > 60:  # so far (a long run on a loaded machine)
                shown = time.perf_counter()
                lat = sorted(latencies)
                print(f"  {shown - started:.0f} s: {row.progress.get('saved', 0):,} saved; "
                      f"{len(lat):,} writes, p99 so far "
                      f"{lat[int(0.99 * len(lat))] if lat else float('nan'):.3f} s", flush=True)
        elapsed = time.perf_counter() - started
        stop.set()
        for th in threads:
            th.join()
    finally:
        worker.terminate()
        worker.wait(30)
    import resource

    worker_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = worker_cpu.ru_utime + worker_cpu.ru_stime
    if row.state != "done":
        sys.exit(f"the import ended {row.state}: {row.error}")
    added = row.result["added"]
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")

    print(f"database: {db.dialect}; import: {added:,} messages in {elapsed:.1f} s "
          f"({added / elapsed:,.0f} messages/s, wall clock, checking the file first included); "
          f"the worker process used {worker_cpu:.1f} s of CPU, its start included "
          f"({added / worker_cpu:,.0f} messages per CPU second)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"writes to other cases during the import: {len(lat):,} ok, {len(errors)} failed; "
          f"p50 {pct(0.5) * 1000:.0f} ms, max {lat[-1] * 1000 if lat else 0:.0f} ms")
    print(f"p99 of writes to other cases during a {args.rows:,}-row import: {pct(0.99):.3f} s")


if __name__ == "__main__":
    main()
