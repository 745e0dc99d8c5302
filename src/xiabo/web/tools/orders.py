"""The shop's orders from the web: upload the order export, see what is left and the date.

The same check as ``xiabo orders check`` (xiabo.orders.check, called as the plan calls it), so
the earliest closing date here is the one the CLI prints for the same file and day. Kept
exports live in ``<case folder>/orders/export.<xlsx|csv>`` (xiabo.cases reads them, see orders.kept), so
the web case's plan dates "stop trading" by them; an export not kept is deleted after the check.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from ..forms import error_words
from ..uploads import Upload, case_folder, parked, receive_upload, shown_error

router = APIRouter(include_in_schema=False)

SUFFIXES = (".xlsx", ".csv")
SHOWN = 50  # problem orders listed on the page
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


def _check(path: Path, name: str, today, mapping: dict[str, str] | None = None):
    """``xiabo.orders.check`` as the plan runs it; its errors name the user's file."""
    from ...orders import check

    try:
        return check(path, today, mapping)
    except UserError as err:
        if err.key == "orders.no_header":
            raise UserError("tools.orders.no_header", {"name": name},
                            fix_key="tools.orders.no_header_fix") from None
        raise shown_error(err, path, name) from None


def _keep(case, upload: Upload, today, mapping: dict[str, str] | None):
    """Check the upload; when it reads, keep it as the case's export (replacing the last),
    with the columns the user named, so that the plan reads it the same way."""
    from ...orders.kept import KEPT_META

    with parked(case, upload, "orders") as path:
        report = _check(path, upload.name, today, mapping)
        folder = case_folder(case, "orders")
        for old in folder.glob("export.*"):
            old.unlink()
        shutil.move(str(path), folder / f"export{upload.suffix}")
        (folder / KEPT_META).write_text(json.dumps(
            {"name": upload.name, "at": datetime.now(UTC).isoformat(timespec="minutes"),
             "columns": mapping or {}}, ensure_ascii=False), "utf-8")
    return report


def _once(case, upload: Upload, today, mapping: dict[str, str] | None):
    with parked(case, upload, "orders") as path:
        return _check(path, upload.name, today, mapping)


def view(report, lang: str) -> dict:
    """What the page shows, in words (counts, amounts, dates), from an OrdersReport."""
    sep = "，" if lang == "zh" else ", "
    counts, amounts = report.counts, report.amounts
    last = report.last_window_end.isoformat() if report.last_window_end else "-"
    priced = "amount" in report.columns  # no amount column: no 「金额合计 ￥0.00」
    lines = [t(f"tools.orders.count.{p if priced or p != 'unshipped' else 'unshipped_no_amount'}",
               lang, count=n, amount=f"{amounts[p]:,.2f}", days=report.return_days, last=last)
             for p, n in counts.items() if n]
    problems = report.problem_orders
    rows = [{"order_id": o.order_id, "status": o.status or "-", "row": o.row,
             "problems": sep.join(t(f"orders.problem.{p}", lang) for p in o.problems)}
            for o in problems[:SHOWN]]
    columns = sep.join(t("orders.column_pair", lang, field=t(f"orders.field.{k}", lang), header=v)
                       for k, v in report.columns.items())
    return {"orders": len({o.order_id for o in report.orders}), "rows": len(report.orders),
            "lines": lines, "problems": rows, "total_problems": len(problems),
            "columns": columns, "report": report}


def _page(ctx: Ctx, case, status_code: int = 200, named: dict[str, str] | None = None,
          **values):
    """The page; ``named`` is what the column boxes show (else the kept export's names)."""
    from ...orders.columns import FIELDS
    from ...roadmap.profile import profile_from_dict

    kept = _kept(case)
    if "result" not in values and kept is not None:
        try:
            values["result"] = view(_check(kept[0], kept[1]["name"], ctx.today,
                                           kept[1]["columns"]), ctx.lang)
            values["name"] = kept[1]["name"]
        except UserError:
            values["result"] = None
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
def orders_page(case_id: CaseId, msg: str | None = None, ctx: Ctx = Depends(get_ctx),
                case: Case = Depends(visible_case)):
    message = t("tools.orders.forgotten", ctx.lang) if msg == "forgotten" else None
    return _page(ctx, case, message=message)


@router.post("/cases/{case_id}/orders")
async def orders_check(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from starlette.concurrency import run_in_threadpool

    keep = bool(form.get("keep"))
    named = column_names(form)
    try:
        upload, report = await receive_upload(ctx, form, case, _keep if keep else _once,
                                              ctx.today, named, suffixes=SUFFIXES)
    except UserError as err:
        return _fail(ctx, case, err, named)
    if keep:  # re-plan now, so the dashboard's columns follow the new closing date too
        from ...cases.stored import refresh

        await run_in_threadpool(lambda: refresh(ctx.db, case.id, today=ctx.today,
                                                actor=ctx.actor, action="orders.upload",
                                                file=upload.name))
    return _page(ctx, case, named=named, result=view(report, ctx.lang), name=upload.name,
                 just_kept=keep)


@router.post("/cases/{case_id}/orders/forget")
def orders_forget(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                  form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    kept = _kept(case)
    if kept is not None:
        kept[0].unlink(missing_ok=True)
        from ...orders.kept import KEPT_META

        (kept[0].parent / KEPT_META).unlink(missing_ok=True)
        from ...cases.stored import refresh

        refresh(ctx.db, case.id, today=ctx.today, actor=ctx.actor, action="orders.forget")
    return RedirectResponse(f"/cases/{case.id}/orders?msg=forgotten", status_code=303)
