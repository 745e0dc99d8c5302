"""Benchmark: the privacy and orders pages' uploads as jobs.

How long the upload request takes now (it only keeps the file and queues a job) against how
long the job takes (the scan and clean, or the order check: what the request itself used to
take), and a hostile workbook (one row of ``--wide`` cells) failing its job: time and the
worker's peak memory, measured in a child process of its own.

    .venv/bin/python bench/tool_jobs.py                 # 50,000-row files, 3,000,000 cells
    .venv/bin/python bench/tool_jobs.py --rows 20000 --wide 200000
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 25)


def _fans(path: Path, rows: int) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("昵称,手机,备注\n")
        for i in range(rows):
            fh.write(f"粉丝{i},138{i % 100_000_000:08d},老粉{i % 7}\n")
    return path


def _orders(path: Path, rows: int) -> Path:
    d = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("订单编号,订单状态,下单时间,发货时间,签收时间,售后状态,实付金额(元)\n")
        for i in range(rows):
            fh.write(f"A{i:09d},已签收,{d(12)},{d(10)},{d(i % 9)},,{i % 500}.90\n")
    return path


def _one(web, case, page: str, path: Path, **fields) -> tuple[float, float, str]:
    from xiabo.jobs import Worker
    from xiabo.store import jobs as rows

    html = web.client.get(f"/cases/{case.id}/{page}").text
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    data = path.read_bytes()
    start = time.perf_counter()
    r = web.client.post(f"/cases/{case.id}/{page}", data={"csrf": token, **fields},
                        files={"file": (path.name, data, "application/octet-stream")})
    request = time.perf_counter() - start
    assert r.status_code == 303, r.text[:300]
    job = int(r.headers["location"].rsplit("/", 1)[1])
    start = time.perf_counter()
    Worker(web.db).run_once()
    took = time.perf_counter() - start
    return request, took, rows.get(web.db, job).state


def _wide_child(wide: Path) -> None:
    """In a process of its own: a worker fails the wide workbook's privacy job; its peak RSS."""
    import resource

    from xiabo.cases import stored
    from xiabo.jobs import Worker, enqueue_job
    from xiabo.store import cases as repo
    from xiabo.store import jobs as rows
    from xiabo.store.db import Database

    home = Path(os.environ["XIABO_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    cells = int(wide.stem.rsplit("-", 1)[1])
    size = wide.stat().st_size / 2**20
    db = Database(f"sqlite:///{home / 'wide.sqlite3'}")
    db.upgrade()
    case = stored.create_case(db, {"name": "宽表", "platform": "kuaishou"}, today=TODAY,
                              actor=repo.Actor())
    job = enqueue_job(db, "privacy-scan", case.id, {
        "case_key": case.folder, "name": "wide.xlsx", "stored": "wide.xlsx", "mode": "mask",
        "today": TODAY.isoformat(), "lang": "zh"}, files={"wide.xlsx": wide})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    Worker(db).run_once()
    took = time.perf_counter() - start
    row = rows.get(db, job)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"wide: one row of {cells:,} cells ({size:.1f} MB xlsx): "
          f"job {row.state} in {took:.2f} s, worker peak RSS {peak / 1024:.0f} MB "
          f"(before the job {before / 1024:.0f} MB)")
    print("  words: " + row.error["zh"].splitlines()[0][:160])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--wide", type=int, default=3_000_000)
    ap.add_argument("--child-wide", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_wide:
        _wide_child(args.child_wide)
        return
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XIABO_HOME"] = str(Path(tmp) / "home")
        from tests.web.conftest import Web

        from xiabo.cases import stored
        from xiabo.store import cases as repo
        from xiabo.store.db import Database

        url = f"sqlite:///{tmp}/xiabo.sqlite3"
        Database(url).upgrade()
        web = Web(url, today=TODAY)
        web.app.state.config.max_upload_bytes = 64 * 2**20
        case = stored.create_case(web.db, {"name": "压测", "platform": "kuaishou"},
                                  today=TODAY, actor=repo.Actor())
        fans = _fans(Path(tmp) / "fans.csv", args.rows)
        orders = _orders(Path(tmp) / "orders.csv", args.rows)
        for page, path, fields in (("privacy", fans, {"mode": "mask"}),
                                   ("orders", orders, {"keep": "1"})):
            request, took, state = _one(web, case, page, path, **fields)
            print(f"{page}: {args.rows:,} rows ({path.stat().st_size / 2**20:.1f} MB): "
                  f"request {request * 1000:.0f} ms, job {took:.2f} s ({state})")
        web.close()
        from tests.hostile.builders import wide_row_xlsx

        wide = wide_row_xlsx(Path(tmp) / f"wide-{args.wide}.xlsx", args.wide, refs=True,
                             header=["昵称", "手机"])
        subprocess.run([sys.executable, __file__, "--child-wide", str(wide)], check=True,
                       env=dict(os.environ, XIABO_HOME=str(Path(tmp) / "wide-home")))


if __name__ == "__main__":
    main()
