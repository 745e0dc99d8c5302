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
    if view["kind"] in _WORDS:
        words = _tool_words(view, lang)
        if words is not None:
            return words
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


_WORDS = {"privacy-scan": "jobs.privacy", "orders-check": "jobs.orders"}
TOOL_PAGES = {"privacy-scan": "privacy", "orders-check": "orders"}  # where a result is shown


def _tool_words(view: dict, lang: str) -> str | None:
    """A privacy scan's or an order check's state in words (None: the state's plain name)."""
    from ...i18n import t

    prefix, g, result = _WORDS[view["kind"]], view["progress"], view["result"] or {}
    if view["state"] == "queued":
        return t(f"{prefix}.queued", lang)
    if view["state"] == "running":
        return t(f"{prefix}.{g.get('phase') or 'checking'}", lang,
                 name=view.get("name", ""), rows=_n(g.get("rows")))
    if view["state"] != "done":
        return None
    if view["kind"] == "privacy-scan":
        found = "、" if lang == "zh" else ", "
        kinds = found.join(t("jobs.privacy.kind_count", lang, kind=t(f"privacy.types.{k}", lang),
                             n=_n(n)) for k, n in (result.get("counts") or {}).items())
        key = "jobs.privacy.done" if result.get("total") else "jobs.privacy.done_none"
        left = (result.get("cleaned") or {}).get("left") or 0
        words = t(key, lang, name=result.get("name", ""), rows=_n(result.get("rows")),
                  total=_n(result.get("total")), kinds=kinds)
        return words + " " + (t("jobs.privacy.left", lang, n=_n(left)) if left
                              else t("jobs.privacy.clean", lang))
    report = result.get("report") or {}
    key = "jobs.orders.done_kept" if result.get("kept") else "jobs.orders.done"
    return t(key, lang, name=result.get("name", ""), orders=_n(report.get("orders")),
             date=report.get("earliest_close") or "-")


def _tool_view(row) -> dict:
    """A privacy scan or order check as its pages show it: with the upload's name (never a
    path), and no retry: its upload went with its folder when it ended, so the way on is to
    upload again from the tool page (said in words when it was interrupted)."""
    from ...i18n import t
    from ...jobs import job_view

    view = job_view(row)
    if view["kind"] in TOOL_PAGES:
        view.update(name=row.payload.get("name", ""), retryable=False)
        if view["state"] == "interrupted":
            view["error"] = {lang: t("jobs.tool_interrupted", lang) for lang in ("zh", "en")}
    return view


def case_job(ctx: Ctx, case, job_id: str | None, kind: str) -> dict | None:
    """The case's job ``job_id`` of ``kind`` as a page shows it (with its payload, for the
    page's own use only); None when it is not one (not a number, another case's, other kind)."""
    from ...store.jobs import get

    if not job_id or not job_id.isdigit() or len(job_id) > 12:
        return None
    row = get(ctx.db, int(job_id))
    if row is None or row.case_id != case.id or row.kind != kind:
        return None
    return dict(_tool_view(row), payload=row.payload)


def busy_words(ctx: Ctx, case, busy) -> dict:
    """A tool page's answer to a second upload while one job of its kind runs for the case:
    the refusal in words and a link to the running job."""
    from ...i18n import t

    return {"error": t("jobs.err.busy", ctx.lang), "fix": t("jobs.err.busy_fix", ctx.lang),
            "busy_job": f"/cases/{case.id}/jobs/{busy.job_id}" if busy.job_id else None}


@router.get("/cases/{case_id}/jobs/{job_id}")
def job_page(case_id: CaseId, job_id: int = JobId, ctx: Ctx = Depends(get_ctx),
             case: Case = Depends(visible_case)):
    view = _tool_view(_row(ctx, job_id, case.id))
    page = TOOL_PAGES.get(view["kind"])
    return render(ctx, "job.html", case=case, job=view, words=job_words(view, ctx.lang),
                  refresh=REFRESH_SECONDS if view["active"] else None,
                  tool_page=f"/cases/{case.id}/{page}" if page else None)


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

    view = _tool_view(_row(ctx, job_id))
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
