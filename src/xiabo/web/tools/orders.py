"""The shop's orders from the web: upload the order export, see what is left and the date.

The same check as ``xiabo orders check`` (xiabo.orders.check, called as the plan calls it), so
the earliest closing date here is the one the CLI prints for the same file and day. The request
keeps the upload in a job's folder and queues an ``orders-check`` job (``xiabo.jobs.orders``);
the job checks it and, when asked, keeps it as ``<case folder>/orders/export.<xlsx|csv>``
(xiabo.cases reads it, see orders.kept) and re-plans the case, so the web case's plan dates
"stop trading" by it. The page shows a job's report from its result (``?job=N``); an export
not kept goes with the job's folder.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...orders.kept import CHECKED_NAME, earliest_close_on, last_check
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from ..forms import error_words
from ..jobs.pages import busy_words, case_job
from ..uploads import enqueue_upload, read_upload

router = APIRouter(include_in_schema=False)

SUFFIXES = (".xlsx", ".csv")
HEADER_MAX = 100  # a column name the user types


def _kept(case) -> tuple[Path, dict] | None:
    from ...orders.kept import kept_export, kept_mapping, kept_meta

    path = kept_export(case.folder)
    if path is None:
        return None
    meta = kept_meta(path)
    return path, {"name": str(meta.get("name") or path.name)[:120],
                  "at": str(meta.get("at") or "")[:16].replace("T", " "),
                  "columns": kept_mapping(path)}


def column_names(form: FormData) -> dict[str, str] | None:
    """The columns the user named on the page ({header text: field}), as ``--map`` takes them:
    one box per field, left empty for the ones the page recognises by itself."""
    from ...orders.columns import FIELDS

    mapping: dict[str, str] = {}
    for field in FIELDS:
        header = " ".join(str(form.get(f"col.{field}") or "").split())[:HEADER_MAX]
        if header:
            mapping[header] = field
    return mapping or None


def view(snap: dict, lang: str, carried: tuple[date, date | None] | None = None,
         today: date | None = None) -> dict:
    """What the page shows, in words (counts, amounts, dates), from a report's ``snapshot``;
    ``carried``: the closing day and last return window's end on ``today`` for a report of an
    earlier day (``orders.kept.earliest_close_on``), shown as the dates while the counts stay
    the check day's."""
    sep = "，" if lang == "zh" else ", "
    counts, amounts = snap["counts"], {k: Decimal(v) for k, v in snap["amounts"].items()}
    last = snap["last_window_end"] or "-"
    priced = "amount" in snap["columns"]  # no amount column: no 「金额合计 ￥0.00」
    lines = [t(f"tools.orders.count.{p if priced or p != 'unshipped' else 'unshipped_no_amount'}",
               lang, count=n, amount=f"{amounts[p]:,.2f}", days=snap["return_days"], last=last)
             for p, n in counts.items() if n]
    rows = [{"order_id": o["order_id"], "status": o["status"] or "-", "row": o["row"],
             "problems": sep.join(t(f"orders.problem.{p}", lang) for p in o["problems"])}
            for o in snap["problems"]]
    columns = sep.join(t("orders.column_pair", lang, field=t(f"orders.field.{k}", lang), header=v)
                       for k, v in snap["columns"].items())
    day = lambda k: date.fromisoformat(snap[k]) if snap[k] else None  # noqa: E731
    dates = {k: day(k) for k in ("today", "notice_end", "last_window_end", "earliest_close")}
    if carried is not None and today is not None:
        dates.update(earliest_close=carried[0], last_window_end=carried[1],
                     notice_end=today + timedelta(days=snap["notice_days"]))
    report = SimpleNamespace(**{k: snap[k] for k in ("return_days", "notice_days", "provisional",
                                                     "unpaid", "no_receipt_date")}, **dates)
    return {"orders": snap["orders"], "rows": snap["rows"], "lines": lines, "problems": rows,
            "total_problems": snap["total_problems"], "columns": columns, "report": report}


def _page(ctx: Ctx, case, status_code: int = 200, named: dict[str, str] | None = None,
          **values):
    """The page; ``named`` is what the column boxes show (else the kept export's names)."""
    from ...orders.columns import FIELDS
    from ...roadmap.profile import profile_from_dict

    kept = _kept(case)
    if "result" not in values and kept is not None:
        # the kept export's own check, carried to today; never the whole file read again in a
        # page view (a large export took seconds): the owner asks for a new count by a button
        report = last_check(kept[0])
        carried = earliest_close_on(report, ctx.today) if report is not None else None
        values["result"] = None if carried is None else view(report, ctx.lang, carried,
                                                             ctx.today)
        values["name"] = kept[1]["name"]
        values["checked_on"] = report["today"] if carried is not None and \
            report["today"] != ctx.today.isoformat() else None
        values["recheck_needed"] = carried is None
    profile = profile_from_dict(json.loads(case.profile_json))
    by_field = {field: header for header, field in
                (named or (kept[1]["columns"] if kept else None) or {}).items()}
    return render(ctx, "orders.html", status_code=status_code, case=case,
                  kept=kept[1] if kept else None, has_shop=profile.shop is not None,
                  mb=ctx.config.max_upload_bytes // 2**20,
                  columns=[(field, by_field.get(field, "")) for field in FIELDS],
                  T=lambda k, **p: t(k, ctx.lang, **p), **values)


def _fail(ctx: Ctx, case, err: UserError, named: dict[str, str] | None = None):
    # a table the page cannot read opens the column names, with what was typed kept
    return _page(ctx, case, status_code=422, result=None, named=named,
                 name_columns=err.key == "tools.orders.no_header",
                 **error_words(err, ctx.lang))


@router.get("/cases/{case_id}/orders")
def orders_page(case_id: CaseId, msg: str | None = None, job: str | None = None,
                ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """``?job=N``: the report of that check job (or its refusal in words, with the column
    boxes open and filled as they were sent when it found no header)."""
    message = t("tools.orders.forgotten", ctx.lang) if msg == "forgotten" else None
    got = case_job(ctx, case, job, "orders-check")
    if got is not None and got["active"]:
        return RedirectResponse(f"/cases/{case.id}/jobs/{got['id']}", status_code=303)
    if got is not None and got["error"]:
        return _page(ctx, case, result=None, named=got["payload"].get("mapping"),
                     name_columns=got["progress"].get("refused") == "tools.orders.no_header",
                     error=got["error"][ctx.lang])
    if got is not None and got["result"]:
        done = got["result"]
        return _page(ctx, case, named=got["payload"].get("mapping"),
                     result=view(done["report"], ctx.lang), name=done["name"],
                     just_kept=done["kept"])
    return _page(ctx, case, message=message)


@router.post("/cases/{case_id}/orders")
async def orders_check(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    """Keep the upload in a job's folder and queue the check; the job's page shows it going."""
    from dataclasses import asdict

    from starlette.concurrency import run_in_threadpool

    from ...jobs import JobBusy

    keep = bool(form.get("keep"))
    named = column_names(form)
    try:
        upload = await read_upload(form, "file", limit=ctx.config.max_upload_bytes,
                                   suffixes=SUFFIXES)
        job_id = await run_in_threadpool(enqueue_upload, ctx.db, "orders-check", case, upload, {
            "keep": keep, "mapping": named, "today": ctx.today.isoformat(),
            "actor": asdict(ctx.actor)})
    except UserError as err:
        return _fail(ctx, case, err, named)
    except JobBusy as busy:
        return _page(ctx, case, status_code=422, result=None, named=named,
                     **busy_words(ctx, case, busy))
    return RedirectResponse(f"/cases/{case.id}/jobs/{job_id}", status_code=303)


@router.post("/cases/{case_id}/orders/recheck")
async def orders_recheck(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                         form: FormData = Depends(checked_form),
                         case: Case = Depends(visible_case)):
    """The kept export checked again as of today, as a job (it is kept again, so the plan and
    the page count from today)."""
    from dataclasses import asdict

    from starlette.concurrency import run_in_threadpool

    from ...jobs import JobBusy
    from ..uploads import Upload
    from .bridges import safe_filename

    kept = _kept(case)
    if kept is None:
        return RedirectResponse(f"/cases/{case.id}/orders", status_code=303)
    path, meta = kept
    name = safe_filename(meta["name"])[:120]
    name = name if Path(name).suffix.lower() == path.suffix else path.name
    try:
        data = await run_in_threadpool(path.read_bytes)
        job_id = await run_in_threadpool(enqueue_upload, ctx.db, "orders-check", case,
                                         Upload(name, data), {
            "keep": True, "mapping": meta["columns"], "today": ctx.today.isoformat(),
            "actor": asdict(ctx.actor)})
    except JobBusy as busy:
        return _page(ctx, case, status_code=422, **busy_words(ctx, case, busy))
    return RedirectResponse(f"/cases/{case.id}/jobs/{job_id}", status_code=303)


@router.post("/cases/{case_id}/orders/forget")
def orders_forget(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                  form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    kept = _kept(case)
    if kept is not None:
        kept[0].unlink(missing_ok=True)
        from ...orders.kept import KEPT_META

        (kept[0].parent / KEPT_META).unlink(missing_ok=True)
        (kept[0].parent / CHECKED_NAME).unlink(missing_ok=True)
        from ...cases.stored import refresh

        refresh(ctx.db, case.id, today=ctx.today, actor=ctx.actor, action="orders.forget")
    return RedirectResponse(f"/cases/{case.id}/orders?msg=forgotten", status_code=303)
