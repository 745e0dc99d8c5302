"""A job's page (refreshes itself while the job is queued or running, no JavaScript needed),
its retry button, and ``GET /api/jobs/{id}``: state, counts and words, for the job's case's
readers only (another case's job looks like a missing one).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import FormData

from ...store import cases as repo
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from .words import n as _n  # counts as the pages print them

router = APIRouter(include_in_schema=False)

REFRESH_SECONDS = 2
JobId = Path(ge=1, le=2**31 - 1, description="job number")


def _row(ctx: Ctx, job_id: int, case_id: int | None = None):
    """The job, if its case is one the caller may see (a bulk job: if the caller started it
    or is an admin); NotFound otherwise, the same as for a missing job."""
    from ...store.jobs import get

    row = get(ctx.db, job_id)
    if row is None or (case_id is not None and row.case_id != case_id):
        raise repo.NotFound("web.errors.page_not_found")
    if row.case_id is None:
        if not may_see_bulk(ctx.actor, row):
            raise repo.NotFound("web.errors.page_not_found")
        return row
    repo.require_case(ctx.db, row.case_id, ctx.actor)
    return row


def may_see_bulk(actor, row) -> bool:
    """A bulk job is its owner's and the admins' (the local user is one); an operator sees
    only their own, a streamer or an adviser none."""
    if actor.role == "admin":
        return True
    return actor.role == "operator" and actor.id is not None and actor.id == row.owner_id


def job_words(view: dict, lang: str) -> str:
    """One line saying where the job is, in words (progress of an import, …)."""
    from ...i18n import t

    g = view["progress"]
    if view["bulk"]:
        from .words import bulk_words

        return bulk_words(view, lang)
    if view["kind"] == "opinion-import":
        if view["state"] == "done":
            return t("jobs.import.done", lang,
                     added=_n((view["result"] or {}).get("added", 0)))
        if view["state"] == "queued":
            return t("jobs.import.queued", lang)
        if view["state"] == "running":
            key = "jobs.import.checking" if g.get("phase") == "checking" else \
                "jobs.import.importing"
            return t(key, lang, name=g.get("file_name", ""), saved=_n(g.get("saved_file", 0)),
                     rows=_n(g.get("rows_file")))
    return t(f"jobs.states.{view['state']}", lang)


@router.get("/cases/{case_id}/jobs/{job_id}")
def job_page(case_id: CaseId, job_id: int = JobId, ctx: Ctx = Depends(get_ctx),
             case: Case = Depends(visible_case)):
    from ...jobs import job_view

    view = job_view(_row(ctx, job_id, case.id))
    return render(ctx, "job.html", case=case, job=view, words=job_words(view, ctx.lang),
                  refresh=REFRESH_SECONDS if view["active"] else None)


@router.post("/cases/{case_id}/jobs/{job_id}/retry")
def job_retry(case_id: CaseId, job_id: int = JobId, ctx: Ctx = Depends(get_ctx),
              form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from ...jobs import retry_job

    row = _row(ctx, job_id, case.id)
    retry_job(ctx.db, row.id)
    return RedirectResponse(f"/cases/{case.id}/jobs/{row.id}", status_code=303)


@router.get("/api/jobs/{job_id}")
def api_job(job_id: int = JobId, lang: str | None = None, ctx: Ctx = Depends(get_ctx)):
    """The job's state (queued, running, done, failed, interrupted), its progress, result or
    error in words; no payload (paths on the computer stay on the computer's pages)."""
    from ...i18n import normalise_lang
    from ...jobs import job_view

    view = job_view(_row(ctx, job_id))
    words_lang = normalise_lang(lang) if lang else ctx.lang
    view["state_words"] = job_words(view, words_lang)
    if view["error"]:
        view["error"] = view["error"].get(words_lang)
    view["progress"] = {k: v for k, v in view["progress"].items()
                        if k not in ("bags", "checks", "file_id", "file_id_for", "rows",
                                     "cases_done")}
    if view["bulk"]:
        from .words import bulk_api

        bulk_api(view, words_lang)
    if view["kind"] == "backup":
        view.pop("result", None)  # bag paths on the computer
    return JSONResponse(view, headers={"Cache-Control": "no-store"})
