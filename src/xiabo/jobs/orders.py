"""The ``orders-check`` job: an uploaded order export checked as ``xiabo orders check`` does
(``xiabo.orders.check``, so the earliest closing date is the CLI's for the same file and day);
when the user asked to keep it, it becomes the case's export (``<case folder>/orders/export.*``
with ``export.json``, read by the plan) and the case is re-planned.

The result carries the report as JSON (``snapshot``): the orders page shows it from there, kept
or not, in the reader's language.

Resumable: a run handed on after its worker died starts again from the upload (still in the
job's folder: it is copied into the case, never moved). The kept export and its ``export.json``
are each replaced atomically, so a second run leaves the same files as one; the re-plan is
checkpointed, so it is not logged twice (unless the worker died in the moment between the
re-plan's commit and the checkpoint).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from ..orders.kept import CHECKED_NAME
from .registry import JobContext, kind

__all__ = ["CHECKED_NAME", "SHOWN", "check_named", "checked_today", "run_orders_check",
           "snapshot"]

SHOWN = 50  # problem orders listed on the page (and kept in the job's result)


def check_named(path: Path, name: str, today: date, mapping: dict[str, str] | None = None):
    """``xiabo.orders.check`` as the plan runs it; its errors name the user's file."""
    from ..errors import UserError
    from ..orders import check
    from .files import shown_error

    try:
        return check(path, today, mapping)
    except UserError as err:
        if err.key == "orders.no_header":
            raise UserError("tools.orders.no_header", {"name": name},
                            fix_key="tools.orders.no_header_fix") from None
        raise shown_error(err, path, name) from None


def snapshot(report) -> dict:
    """What the orders page shows of an OrdersReport, as JSON (dates ISO, amounts as text)."""
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    problems = report.problem_orders
    return {
        "today": iso(report.today), "return_days": report.return_days,
        "notice_days": report.notice_days, "notice_end": iso(report.notice_end),
        "last_window_end": iso(report.last_window_end),
        "earliest_close": iso(report.earliest_close), "provisional": report.provisional,
        "unpaid": report.unpaid, "no_receipt_date": report.no_receipt_date,
        "columns": dict(report.columns), "counts": dict(report.counts),
        "amounts": {k: str(v) for k, v in report.amounts.items()},
        "orders": len({o.order_id for o in report.orders}), "rows": len(report.orders),
        "problems": [{"order_id": o.order_id, "status": o.status or "", "row": o.row,
                      "problems": list(o.problems)} for o in problems[:SHOWN]],
        "total_problems": len(problems),
    }


def checked_today(export: Path, today: date) -> dict | None:
    """The kept export's report as the job wrote it, if it was checked ``today`` and the file
    is unchanged since (another day: ``orders.kept.earliest_close_on`` carries it forward)."""
    from ..orders.kept import last_check

    report = last_check(export)
    return report if report is not None and report["today"] == today.isoformat() else None


def _keep(src: Path, case_key: str, name: str, mapping: dict[str, str] | None,
          report: dict) -> None:
    """The upload as the case's export (replacing the last), with the columns the user named."""
    from ..fsutil import atomic_write
    from ..orders.kept import KEPT_META, KEPT_NAME
    from ..paths import case_dir

    folder = case_dir(case_key) / "orders"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = src.suffix.lower()
    tmp = folder / f".{KEPT_NAME}{suffix}.part"
    shutil.copyfile(src, tmp)
    kept = folder / f"{KEPT_NAME}{suffix}"
    tmp.replace(kept)
    stat = kept.stat()
    atomic_write(folder / CHECKED_NAME, json.dumps(
        {"today": report["today"], "file": [kept.name, stat.st_size, stat.st_mtime_ns],
         "report": report}, ensure_ascii=False))
    atomic_write(folder / KEPT_META, json.dumps(
        {"name": name, "at": datetime.now(UTC).isoformat(timespec="minutes"),
         "columns": mapping or {}}, ensure_ascii=False))
    for old in folder.glob(f"{KEPT_NAME}.*"):  # the other format's export, from before
        if old.name not in (f"{KEPT_NAME}{suffix}", KEPT_META):
            old.unlink(missing_ok=True)


@kind("orders-check", resumable=True)
def run_orders_check(ctx: JobContext) -> dict:
    from ..errors import UserError

    p = ctx.payload
    name, today = p["name"], date.fromisoformat(p["today"])
    mapping = p.get("mapping") or None
    src = ctx.folder / p["stored"]
    if not src.is_file():
        raise UserError("jobs.err.upload_gone", {"name": name},
                        fix_key="jobs.err.upload_gone_fix")
    ctx.update(phase="checking")
    try:
        report = check_named(src, name, today, mapping)
    except UserError as err:
        ctx.update(refused=err.key)  # the page opens the column boxes for a header it missed
        raise
    result = {"name": name, "kept": bool(p.get("keep")), "report": snapshot(report)}
    if p.get("keep"):
        ctx.update(phase="keeping")
        _keep(src, p["case_key"], name, mapping, result["report"])
        if not ctx.progress.get("replanned"):
            _replan(ctx, today, name)
    return result


def _replan(ctx: JobContext, today: date, name: str) -> None:
    """Re-plan the case by the kept export, logged once.

    Why the export is read first, outside: the re-plan runs in the case's write transaction
    and would read the whole file there (on SQLite every other write, this job's heartbeat too,
    would wait for it). Read here, the plan's fact cache (keyed by the file's size and time and
    the day) answers inside the transaction at once."""
    from ..cases import CaseRef, gather
    from ..cases.sources import SOURCES
    from ..cases.stored import refresh
    from ..store.actors import Actor

    ctx.update(phase="replanning")
    gather(CaseRef(folder=ctx.payload["case_key"]), None, today,
           sources=tuple(s for s in SOURCES if s.name == "orders_earliest_close"))
    refresh(ctx.db, ctx.case_id, today=today, actor=Actor(**ctx.payload["actor"]),
            action="orders.upload", file=name)
    ctx.checkpoint(replanned=True)
