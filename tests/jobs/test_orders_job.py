"""The ``orders-check`` job, on SQLite and PostgreSQL: its result carries the CLI's report
(the same earliest closing date), a kept export is where the plan reads it and the case is
re-planned once, a file it cannot read fails in words naming the file, the upload goes with
the job's folder, and a run handed on after its worker died keeps one export and logs one
re-plan."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from tests.hostile.builders import wide_row_xlsx
from tests.jobs.conftest import TODAY, silence
from tests.orders.exports import order_csv

from xiabo.jobs import Worker, enqueue_job
from xiabo.jobs.files import job_folder
from xiabo.jobs.orders import CHECKED_NAME, checked_today
from xiabo.jobs.registry import JobContext
from xiabo.orders import check
from xiabo.paths import case_dir
from xiabo.store import jobs as rows
from xiabo.store.actors import Actor
from xiabo.store.models import AuditEntry


class Killed(BaseException):
    """The worker process dying (nothing below it catches a BaseException)."""


def _orders(tmp_path):
    d = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    return order_csv(tmp_path / "订单.csv", [
        ["A001", "待发货", d(3), "", "", "", "99.00"],
        ["A002", "已签收", d(10), d(8), d(2), "", "59.90"],
        ["A004", "已完成", d(30), d(28), d(25), "退款中", "20.00"],
        ["A005", "已完成", d(60), d(58), d(50), "", "35.00"]])


def _enqueue(db, case, name: str, data: bytes, keep: bool = False, mapping=None) -> int:
    return enqueue_job(db, "orders-check", case.id,
                       {"case_key": case.folder, "name": name, "stored": name, "keep": keep,
                        "mapping": mapping, "today": TODAY.isoformat(),
                        "actor": asdict(Actor())}, files={name: data})


def _kept_files(case) -> dict[str, bytes]:
    folder = case_dir(case.folder) / "orders"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def _replans(db, case) -> int:
    with db.read() as s:
        return len(list(s.scalars(select(AuditEntry.id).where(
            AuditEntry.case_id == case.id, AuditEntry.action == "orders.upload"))))


def test_a_check_carries_the_clis_report_and_keeps_nothing(db, case, tmp_path):
    path = _orders(tmp_path)
    want = check(path, TODAY)
    job = _enqueue(db, case, "订单.csv", path.read_bytes())
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done", row.error
    got = row.result["report"]
    assert row.result["name"] == "订单.csv" and row.result["kept"] is False
    assert got["earliest_close"] == want.earliest_close.isoformat()
    assert got["counts"] == want.counts and got["orders"] == 4 and got["rows"] == 4
    assert got["amounts"]["unshipped"] == "99.00"
    assert {p["order_id"] for p in got["problems"]} == {o.order_id for o in want.problem_orders}
    assert json.loads(json.dumps(row.result)) == row.result  # plain JSON, no Python values
    assert _kept_files(case) == {} and _replans(db, case) == 0
    assert not job_folder(job).exists()


def test_a_kept_export_is_read_by_the_plan_and_replanned_once(db, case, tmp_path):
    from xiabo.cases import CaseRef, gather

    path = _orders(tmp_path)
    job = _enqueue(db, case, "订单.csv", path.read_bytes(), keep=True)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.result["kept"] is True
    files = _kept_files(case)
    assert sorted(files) == [CHECKED_NAME, "export.csv", "export.json"]
    assert files["export.csv"] == path.read_bytes()
    assert json.loads(files["export.json"])["name"] == "订单.csv"
    # the orders page reads the report from the job on the day of the check, not the file;
    # another day (the dates count from today) or a changed file reads the file again
    export = case_dir(case.folder) / "orders" / "export.csv"
    assert checked_today(export, TODAY) == row.result["report"]
    assert checked_today(export, TODAY + timedelta(days=1)) is None
    export.write_bytes(export.read_bytes() + b"\r\n")
    assert checked_today(export, TODAY) is None
    facts = gather(CaseRef(folder=case.folder), None, TODAY)
    assert facts["orders_earliest_close"] == check(path, TODAY).earliest_close
    assert _replans(db, case) == 1


@pytest.mark.parametrize("name,make,words", [
    ("名单.csv", lambda tmp: "名字,年龄\r\n张三,3\r\n".encode(), ["名单.csv", "找不到订单表头"]),
    ("wide.xlsx", lambda tmp: wide_row_xlsx(tmp / "w.xlsx", 20_000, refs=True,
                                            header=["订单编号", "订单状态"]).read_bytes(),
     ["wide.xlsx", "16384", "第 1 行"]),
])
def test_a_file_it_cannot_read_fails_in_words(db, case, tmp_path, name, make, words):
    job = _enqueue(db, case, name, make(tmp_path), keep=True)
    assert Worker(db).run_once()
    row = rows.get(db, job)
    assert row.state == "failed" and row.result is None
    for word in words:
        assert word in row.error["zh"], row.error["zh"]
    assert str(job_folder(job)) not in row.error["zh"] + row.error["en"]
    assert _kept_files(case) == {} and _replans(db, case) == 0  # nothing kept or re-planned
    assert not job_folder(job).exists()
    if name.endswith(".csv"):  # the page opens the column boxes for it
        assert row.progress["refused"] == "tools.orders.no_header"


@pytest.mark.parametrize("die", ["before_replan", "after_checkpoint"])
def test_a_rerun_after_the_worker_died_doubles_nothing(db, case, tmp_path, monkeypatch, die):
    import xiabo.cases.stored

    path = _orders(tmp_path)
    job = _enqueue(db, case, "订单.csv", path.read_bytes(), keep=True)
    if die == "before_replan":
        real = xiabo.cases.stored.refresh

        def dying(*args, **kwargs):
            raise Killed()

        monkeypatch.setattr(xiabo.cases.stored, "refresh", dying)
    else:
        real = JobContext.checkpoint

        def dying(self, **values):
            real(self, **values)
            if values.get("replanned"):
                raise Killed()

        monkeypatch.setattr(JobContext, "checkpoint", dying)
    first = Worker(db, name="doomed")
    with pytest.raises(Killed):
        first.run_job(rows.claim(db, first.name, ("orders-check",)))
    if die == "before_replan":
        monkeypatch.setattr(xiabo.cases.stored, "refresh", real)
    else:
        monkeypatch.setattr(JobContext, "checkpoint", real)
    silence(db, job)  # its heartbeat stopped a while ago
    assert Worker(db, name="survivor", stale_after=30).run_once()
    row = rows.get(db, job)
    assert row.state == "done" and row.attempts == 2
    assert sorted(_kept_files(case)) == [CHECKED_NAME, "export.csv", "export.json"]
    assert _kept_files(case)["export.csv"] == path.read_bytes()
    assert _replans(db, case) == 1
    assert row.result["report"]["earliest_close"] == check(path, TODAY).earliest_close.isoformat()
    assert not job_folder(job).exists()


def test_an_xlsx_kept_after_a_csv_replaces_it(db, case, tmp_path):
    from tests.helpers import make_xlsx

    from xiabo.orders.kept import kept_export

    csv_path = _orders(tmp_path)
    assert Worker(db).run_once() is False
    _enqueue(db, case, "订单.csv", csv_path.read_bytes(), keep=True)
    assert Worker(db).run_once()
    header = csv_path.read_text("utf-8-sig").splitlines()
    xlsx = make_xlsx(tmp_path / "订单.xlsx", {"订单": [line.split(",") for line in header]})
    job = _enqueue(db, case, "订单.xlsx", xlsx.read_bytes(), keep=True)
    assert Worker(db).run_once()
    assert rows.get(db, job).state == "done", rows.get(db, job).error
    assert sorted(_kept_files(case)) == [CHECKED_NAME, "export.json", "export.xlsx"]
    assert kept_export(case.folder).suffix == ".xlsx"


def test_the_replan_reads_the_export_outside_its_write_transaction(db, case, tmp_path,
                                                                   monkeypatch):
    """A kept export of many rows must not be read inside the case's write transaction (on
    SQLite every other write, the job's own heartbeat too, waited for it: 30 s for 100,000
    rows in bench/tool_jobs.py)."""
    import xiabo.cases.stored
    import xiabo.orders

    seen = {"inside": False, "reads_inside": 0, "reads": 0}
    real_check, real_refresh = xiabo.orders.check, xiabo.cases.stored.refresh

    def counting(*args, **kwargs):
        seen["reads"] += 1
        seen["reads_inside"] += seen["inside"]
        return real_check(*args, **kwargs)

    def watched(*args, **kwargs):
        seen["inside"] = True
        try:
            return real_refresh(*args, **kwargs)
        finally:
            seen["inside"] = False

    monkeypatch.setattr(xiabo.orders, "check", counting)
    monkeypatch.setattr(xiabo.cases.stored, "refresh", watched)
    path = _orders(tmp_path)
    job = _enqueue(db, case, "订单.csv", path.read_bytes(), keep=True)
    assert Worker(db).run_once() and rows.get(db, job).state == "done"
    # read once, by the check: the re-plan takes the closing day from the check's report
    assert seen["reads"] == 1 and seen["reads_inside"] == 0
    assert _replans(db, case) == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["待发货", "已发货", "已签收", "已完成", "待付款",
                                            "已取消", "奇怪的状态"]),
                          st.integers(0, 40), st.sampled_from(["", "退款中", "退款成功"]),
                          st.decimals(0, 99999, places=2, allow_nan=False)),
                min_size=1, max_size=80))
def test_the_kept_snapshot_reads_as_the_report(tmp_path_factory, orders):
    """What a job keeps (plain JSON) tells the page what the report itself would: the dates,
    the counts and amounts per problem, the problem orders (issue 20: the page now reads the
    job's result, not the report object)."""
    from xiabo.jobs.orders import SHOWN, snapshot
    from xiabo.web.tools.orders import view

    d = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    rows_ = [[f"B{i:04d}", status, d(age + 3), d(age + 2) if status != "待发货" else "",
              d(age) if status in ("已签收", "已完成") else "", after, str(amount)]
             for i, (status, age, after, amount) in enumerate(orders)]
    path = order_csv(tmp_path_factory.mktemp("o") / "订单.csv", rows_)
    report = check(path, TODAY)
    snap = json.loads(json.dumps(snapshot(report)))
    shown = view(snap, "zh")
    r = shown["report"]
    assert (r.earliest_close, r.notice_end, r.last_window_end, r.today) == (
        report.earliest_close, report.notice_end, report.last_window_end, report.today)
    assert r.provisional == report.provisional and r.unpaid == report.unpaid
    assert snap["counts"] == report.counts
    assert {k: Decimal(v) for k, v in snap["amounts"].items()} == report.amounts
    assert len(shown["lines"]) == sum(1 for n in report.counts.values() if n)
    assert shown["total_problems"] == len(report.problem_orders)
    assert [p["order_id"] for p in shown["problems"]] == \
        [o.order_id for o in report.problem_orders[:SHOWN]]
