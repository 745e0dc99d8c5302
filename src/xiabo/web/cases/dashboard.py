"""The agency dashboard (all visible cases, paged and aggregated in SQL) and batch import."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from ...cases import rulebook
from ...errors import UserError
from ...i18n import t
from ...roadmap.plan import MILESTONES
from ...store import cases as repo
from ...store.models import CASE_STATUSES
from ..context import Ctx, get_ctx, render, require_role
from ..deps import checked_form
from .tasklist import case_rows_html, upcoming_rows_html

router = APIRouter(include_in_schema=False)

STATUS_FILTERS = CASE_STATUSES + ("overdue",)


def case_filter(platform: str | None, status: str | None, operator: str | None,
                q: str | None, page: int | None, per_page: int = 50) -> repo.CaseFilter:
    op = None
    if operator == "none":
        op = 0
    elif operator and operator.isdigit() and len(operator) < 10:
        op = int(operator)
    return repo.CaseFilter(platform=(platform or None) and platform[:50],
                           status=status if status in STATUS_FILTERS else None,
                           operator_id=op, query=(q or "").strip()[:100] or None,
                           page=max(1, min(page or 1, 100000)), per_page=per_page)


@router.get("/")
async def home(ctx: Ctx = Depends(get_ctx)):
    if ctx.actor.role in ("streamer", "adviser"):
        return RedirectResponse(f"/cases/{ctx.actor.case_id}", status_code=303)
    return await dashboard(None, None, None, None, 1, ctx=ctx)


@router.get("/cases")
async def dashboard(platform: str | None = None, status: str | None = None,
              operator: str | None = None, q: str | None = None,
              page: int | None = 1,
              ctx: Ctx = Depends(get_ctx)):
    if ctx.actor.role in ("streamer", "adviser"):
        return RedirectResponse(f"/cases/{ctx.actor.case_id}", status_code=303)
    flt = case_filter(platform, status, operator, q, page)
    stamp = repo.change_stamp(ctx.db)  # one freshness check for every cached aggregate
    rows, total = repo.list_cases(ctx.db, ctx.actor, flt, today=ctx.today, lang=ctx.lang,
                                  stamp=stamp)
    if total == 0 and not any((platform, status, operator, q)) and ctx.actor.local:
        return RedirectResponse("/cases/new", status_code=303)
    summary, upcoming = repo.dashboard_data(ctx.db, ctx.actor, flt, today=ctx.today,
                                            lang=ctx.lang, stamp=stamp)
    operators = []
    if ctx.actor.role == "admin" and ctx.config.auth:
        from ...store.users import list_operators

        operators = list_operators(ctx.db)
    book = rulebook()
    names = {p: book.platforms[p].name.get(ctx.lang, book.platforms[p].name.get("zh", p))
             for p in book.platform_ids()}
    pages = max(1, -(-total // flt.per_page))
    from ..jobs.bulk import with_select_column
    from ..letters.pages import with_letters_column
    return render(ctx, "dashboard.html", rows=rows, total=total, flt=flt, summary=summary,
                  upcoming=upcoming, operators=operators, names=names, pages=pages,
                  statuses=STATUS_FILTERS, operator=operator or "",
                  status_labels={s: ctx._(f"status.{s}") for s in STATUS_FILTERS},
                  milestone_labels={m: ctx._(f"plan.milestones.{m}") for m in MILESTONES},
                  case_rows_html=with_select_column(
                      with_letters_column(case_rows_html, ctx, rows)),
                  upcoming_rows_html=upcoming_rows_html,
                  overdue_label=t("replan.status.behind", ctx.lang))


@router.get("/cases/import/template.csv")
async def import_template(ctx: Ctx = Depends(get_ctx)):
    from .importer import template_csv

    require_role(ctx, "admin", "operator")
    return Response(template_csv(ctx.lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="xiabo-import.csv"'})


@router.get("/cases/import")
async def import_page(job: int | None = None, ctx: Ctx = Depends(get_ctx)):
    """The import form; with ``?job=N`` the report of that import (the caller's) once done."""
    require_role(ctx, "admin", "operator")
    if job is None:
        return render(ctx, "import.html", report=None, error=None)
    from ...cases.importing import ImportReport
    from ..jobs.pages import _row

    row = _row(ctx, max(1, min(job, 2**31 - 1)))
    if row.kind != "cases-import" or row.state != "done":
        return RedirectResponse(f"/jobs/{row.id}", status_code=303)
    result = row.result or {}
    return render(ctx, "import.html", report=ImportReport.from_dict(result), error=None,
                  filename=result.get("name"))


@router.post("/cases/import")
async def import_submit(ctx: Ctx = Depends(get_ctx), form: FormData = Depends(checked_form)):
    """Check the file (size, type, encoding, header, row count: 422 with the words of the
    import page) and queue it as a ``cases-import`` job; its page shows the progress and the
    report. Nothing is parsed row by row or planned here."""
    from pathlib import PurePath

    from starlette.concurrency import run_in_threadpool

    from ...cases.importing import check_header
    from ..jobs.bulk import enqueue_bulk, to_job_page

    require_role(ctx, "admin", "operator")
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return render(ctx, "import.html", status_code=422, report=None,
                      error=(ctx._("import.no_file"), None))
    data = await upload.read(ctx.config.max_upload_bytes + 1)
    try:
        await run_in_threadpool(check_header, upload.filename, data,
                                ctx.config.max_import_rows)
    except UserError as err:  # any domain's key (inputs.*, security.*), in full
        params = err.params or {}
        fix = t(err.fix_key, ctx.lang, **params) if err.fix_key else None
        return render(ctx, "import.html", status_code=422, report=None,
                      error=(t(err.key, ctx.lang, **params), fix))
    suffix = PurePath(upload.filename).suffix.lower()
    stored = "upload" + (suffix if suffix in (".csv", ".txt", ".tsv", ".xlsx") else "")
    operator = ctx.actor.id if ctx.actor.role == "operator" else None
    job = await run_in_threadpool(
        enqueue_bulk, ctx, "cases-import",
        {"file": stored, "name": upload.filename[:200], "operator_id": operator,
         "max_rows": ctx.config.max_import_rows}, {stored: data})
    return to_job_page(job)
