"""Fans' personal data from the web: upload an export, see what is in it, download a clean copy.

The same toolkit as ``xiabo privacy scan`` / ``purge`` (xiabo.privacy): the detector finds the
identifiers, the page counts them per column and shows masked samples only. The request only
keeps the upload in a job's folder and queues a ``privacy-scan`` job (``xiabo.jobs.privacy``),
then sends the browser to the job's page; the job writes the cleaned copy (no personal data
left that the detector knows) and its report into ``<case folder>/privacy/cleaned/``, kept until
replaced or deleted, and the upload goes with the job's folder when the job ends.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...jobs.privacy import REPORT_NAME, kept_copy, kept_report
from ...privacy.columns import Column, Report, scan_columns
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from ..downloads import NO_STORE, download_response
from ..forms import error_words
from ..jobs.pages import busy_words, case_job
from ..uploads import enqueue_upload, read_upload

router = APIRouter(include_in_schema=False)

__all__ = ["Column", "Report", "router", "scan_columns", "where"]

SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl", ".txt")
MODES = ("mask", "drop-column", "drop-row")


def where(column: Column, lang: str) -> str:
    """「工作表「表1」 B 列「手机」」 in words (what a spreadsheet user sees)."""
    from ...privacy.scan import column_letter

    parts = [t("tools.privacy.where_sheet", lang, sheet=column.sheet)] if column.sheet else []
    if column.column is None:
        parts.append(t("tools.privacy.where_text", lang))
    else:
        header = t("privacy.scan.header", lang, header=column.header) if column.header else ""
        parts.append(t("tools.privacy.where_column", lang,
                       column=column_letter(column.column - 1), header=header))
    return " ".join(parts)


def stored_copy(case) -> Path | None:
    """The cleaned copy kept for this case, if any (the newest one)."""
    return kept_copy(case.folder)


def _page(ctx: Ctx, case, status_code: int = 200, **values):
    """The page; the last scan's report and cleaned copy when they are kept."""
    copy = stored_copy(case)
    kept = kept_report(case.folder) if "report" not in values else None
    if kept is not None:
        values.update(report=Report.from_dict(kept["report"]), cleaned=kept["cleaned"])
        values.setdefault("mode", kept["cleaned"].get("mode"))
    return render(ctx, "privacy.html", status_code=status_code, case=case, modes=MODES,
                  mb=ctx.config.max_upload_bytes // 2**20, copy=copy.name if copy else None,
                  where=lambda c: where(c, ctx.lang), T=lambda k, **p: t(k, ctx.lang, **p),
                  **values)


def _fail(ctx: Ctx, case, err: UserError, **values):
    return _page(ctx, case, status_code=422, **error_words(err, ctx.lang), **values)


@router.get("/cases/{case_id}/privacy")
def privacy_page(case_id: CaseId, msg: str | None = None, job: str | None = None,
                 ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """``?job=N``: the page after that scan job (its refusal in words when it failed)."""
    message = t("tools.privacy.deleted", ctx.lang) if msg == "deleted" else None
    view = case_job(ctx, case, job, "privacy-scan")
    if view is not None and view["active"]:
        return RedirectResponse(f"/cases/{case.id}/jobs/{view['id']}", status_code=303)
    if view is not None and view["error"]:
        return _page(ctx, case, error=view["error"][ctx.lang], mode=view["payload"].get("mode"))
    return _page(ctx, case, message=message)


@router.post("/cases/{case_id}/privacy")
async def privacy_scan(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    """Keep the upload in a job's folder and queue the scan; the job's page shows it going."""
    from starlette.concurrency import run_in_threadpool

    from ...jobs import JobBusy

    mode = str(form.get("mode") or "mask")
    mode = mode if mode in MODES else "mask"
    try:
        upload = await read_upload(form, "file", limit=ctx.config.max_upload_bytes,
                                   suffixes=SUFFIXES)
        job_id = await run_in_threadpool(enqueue_upload, ctx.db, "privacy-scan", case, upload,
                                         {"mode": mode, "today": ctx.today.isoformat(),
                                          "lang": ctx.lang})
    except UserError as err:
        return _fail(ctx, case, err, mode=mode)
    except JobBusy as busy:
        return _page(ctx, case, status_code=422, mode=mode, **busy_words(ctx, case, busy))
    return RedirectResponse(f"/cases/{case.id}/jobs/{job_id}", status_code=303)


@router.get("/cases/{case_id}/privacy/cleaned")
def privacy_download(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                     case: Case = Depends(visible_case)):
    copy = stored_copy(case)
    if copy is None:
        return _fail(ctx, case, UserError("tools.privacy.no_copy",
                                          fix_key="tools.privacy.no_copy_fix"))
    return download_response(copy.name, copy, "application/octet-stream",
                             ascii_name=f"case-{case.id}-cleaned{copy.suffix}", headers=NO_STORE)


@router.post("/cases/{case_id}/privacy/delete")
def privacy_delete(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                   form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    copy = stored_copy(case)
    if copy is not None:
        copy.unlink(missing_ok=True)
        (copy.parent / REPORT_NAME).unlink(missing_ok=True)
    return RedirectResponse(f"/cases/{case.id}/privacy?msg=deleted", status_code=303)
