"""Benchmark: the batch import of streamers as a ``cases-import`` job (SQLite, this process).

Times the request (it only checks a 5,000-row CSV and queues it), then runs the job for
``--rows`` generated rows with a worker and times each chunk's write transaction (how long the
import holds the database's write lock at a time: other writes wait at most that long).

    .venv/bin/python bench/bulk_import.py --rows 5000

Figures measured here are in docs/web.md ("Background work").
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xiabo-bench-import-"))
    os.environ["XIABO_HOME"] = str(tmp / "home")
    sys.path.insert(0, str(ROOT))
    from tests.db_fixtures import migrated_sqlite_url
    from tests.web.conftest import Web

    from xiabo.store import cases as repo

    web = Web(migrated_sqlite_url(tmp / "bench.sqlite3"))
    head = "name,platform,followers\n"
    check = head + "".join(f"主播{i},kuaishou,{i}\n" for i in range(5000))
    t = time.perf_counter()
    r = web.client.post("/cases/import", data={"csrf": web.csrf()},
                        files={"file": ("check.csv", check.encode(), "text/csv")})
    print(f"request with a 5,000-row CSV (checked and queued): "
          f"{time.perf_counter() - t:.2f} s, answer {r.status_code}")
    from xiabo.store.jobs import JobRow

    with web.db.write() as s:  # that one is not run: the timed import starts alone
        s.query(JobRow).delete()

    real, held = repo.insert_cases, []

    def timed(*a, **kw):
        t0 = time.perf_counter()
        try:
            return real(*a, **kw)
        finally:
            held.append(time.perf_counter() - t0)

    repo.insert_cases = timed
    rows = head + "".join(f"导入{i},{'kuaishou' if i % 2 else 'douyin'},{i}\n"
                          for i in range(args.rows))
    web.client.post("/cases/import", data={"csrf": web.csrf()},
                    files={"file": ("rows.csv", rows.encode(), "text/csv")})
    t = time.perf_counter()
    web.run_jobs()
    total = time.perf_counter() - t
    print(f"job for {args.rows} rows: {total:.1f} s ({total / args.rows * 1000:.1f} ms a row), "
          f"{len(held)} write transactions")
    print(f"write lock held per transaction: median {statistics.median(held) * 1000:.0f} ms, "
          f"longest {max(held) * 1000:.0f} ms")
    web.close()


if __name__ == "__main__":
    main()
