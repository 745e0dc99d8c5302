"""Bulk jobs on the web (work over many cases: the import of a list, follow-ups, kits): how a
request queues one, its page ``/jobs/{id}`` ("n of N cases", the cases that failed by the
streamer's name, the result), its retry, and the kits' zip download.

A bulk job is its owner's and the admins' (``pages.may_see_bulk``); anyone else gets the page
a missing job gets. A second click while one of the kind runs for the same user lands on the
running one's page (the queue refuses a second: ``uq_jobs_one_bulk``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ..context import Ctx, get_ctx, render, require_role
from ..deps import checked_form
from .pages import REFRESH_SECONDS, JobId, _row
from .words import KINDS, bulk_words, failures, output

router = APIRouter(include_in_schema=False)

MAX_CASES = 1000  # cases one bulk job takes (the dashboard shows 50 a page)
def enqueue_bulk(ctx: Ctx, kind: str, payload: dict, files: dict | None = None) -> int:
    """Queue a bulk job as the caller's (what every kind needs: today, the language, whether
    the local user started it); the id of the new job, or of the caller's running one."""
    from ...jobs import JobBusy, enqueue_job

    base = {"today": ctx.today.isoformat(), "lang": ctx.lang, "local": ctx.actor.local}
    try:
        return enqueue_job(ctx.db, kind, None, {**base, **payload}, files,
                           owner_id=ctx.actor.id)
    except JobBusy as busy:
        if busy.job_id is None:  # ended between the refusal and the look-up: say so
            raise UserError("jobs.bulk.err.busy", fix_key="jobs.bulk.err.busy_fix") from None
        return -busy.job_id


def to_job_page(job_id: int) -> RedirectResponse:
    """The job's page; a negative id (``enqueue_bulk``: one was running) says so on it."""
    if job_id < 0:
        return RedirectResponse(f"/jobs/{-job_id}?busy=1", status_code=303)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def selected_cases(ctx: Ctx, form: FormData) -> list[int]:
    """The ticked case ids the caller may see, in order, once each (the job checks again
    with the owner's rights when it runs)."""
    from sqlalchemy import select

    from ...store.actors import visible_condition
    from ...store.cases import MAX_ID
    from ...store.models import Case

    ids: list[int] = []
    for value in form.getlist("case")[:MAX_CASES]:
        text = str(value).strip()
        if text.isdigit() and 0 < int(text) <= MAX_ID and int(text) not in ids:
            ids.append(int(text))
    if not ids:
        return []
    with ctx.db.read() as s:
        seen = set(s.scalars(select(Case.id).where(Case.id.in_(ids),
                                                   visible_condition(ctx.actor))))
    return [i for i in ids if i in seen]


@router.get("/jobs/{job_id}")
def bulk_page(job_id: int = JobId, busy: int | None = None, ctx: Ctx = Depends(get_ctx)):
    from ...cases.importing import ImportReport
    from ...jobs import job_view

    row = _row(ctx, job_id)
    if not row.bulk:  # a case's job has its page under the case
        return RedirectResponse(f"/cases/{row.case_id}/jobs/{row.id}", status_code=303)
    view = job_view(row)
    spec = KINDS.get(view["kind"], KINDS["letters-followup"])
    report = None
    if view["kind"] == "cases-import" and view["state"] == "done":
        report = ImportReport.from_dict(view["result"] or {})
    back_url = spec["back"][0]
    if view["kind"] == "letters-followup" and view["state"] == "done":
        back_url = f"/cases?letters_drafted={int((view['result'] or {}).get('drafted', 0))}"
    return render(ctx, "job.html", case=None, job=view, words=bulk_words(view, ctx.lang),
                  refresh=REFRESH_SECONDS if view["active"] else None,
                  here=f"/jobs/{view['id']}", title=ctx._(spec["title"]),
                  back=(back_url, ctx._(spec["back"][1])), failures=failures(view, ctx.lang),
                  report=report, filename=(view["result"] or {}).get("name"),
                  output=output(view), busy=bool(busy) and view["active"])


@router.post("/jobs/{job_id}/retry")
def bulk_retry(job_id: int = JobId, ctx: Ctx = Depends(get_ctx),
               form: FormData = Depends(checked_form)):
    from ...jobs import retry_job

    row = _row(ctx, job_id)
    if not row.bulk:
        return RedirectResponse(f"/cases/{row.case_id}/jobs/{row.id}", status_code=303)
    try:
        retry_job(ctx.db, row.id)
    except UserError as err:  # "this case already has one" is said of the person's work here
        if err.key != "jobs.err.busy":
            raise
        raise UserError("jobs.bulk.err.busy", fix_key="jobs.bulk.err.busy_fix") from None
    return RedirectResponse(f"/jobs/{row.id}", status_code=303)


@router.get("/jobs/{job_id}/kits.zip")
def kits_download(job_id: int = JobId, ctx: Ctx = Depends(get_ctx)):
    from ...jobs import job_view
    from ..downloads import NO_STORE, download_response

    row = _row(ctx, job_id)
    kept = output(job_view(row)) if row.bulk else None
    if kept is None or kept["gone"]:
        raise UserError("jobs.bulk.err.zip_gone", fix_key="jobs.bulk.err.zip_gone_fix")
    from ...jobs.files import job_folder
    from ...jobs.kits import ZIP_NAME

    return download_response(t("jobs.bulk.zip_name", ctx.lang, n=row.id),
                             job_folder(row.id) / ZIP_NAME, "application/zip",
                             ascii_name=f"kits-{row.id}.zip", headers=NO_STORE)


@router.post("/exports/kits")
def start_kits(ctx: Ctx = Depends(get_ctx), form: FormData = Depends(checked_form)):
    """The dashboard's "one zip of the selected cases' kits": queued, answered at once."""
    require_role(ctx, "admin", "operator")
    ids = selected_cases(ctx, form)
    if not ids:
        raise UserError("jobs.bulk.err.none_selected", field="case",
                        fix_key="jobs.bulk.err.none_selected_fix")
    tone = str(form.get("tone") or "warm")
    return to_job_page(enqueue_bulk(ctx, "exports-kit", {
        "case_ids": ids, "tone": tone if tone in ("warm", "formal") else "warm"}))


def with_select_column(render_rows):
    """The dashboard's case rows with one more cell: a box to tick the case for the kits of
    many cases (the ``bulk-kits`` form under the table). Keeps what the rows carry
    (``counts``: the letters column's)."""
    from markupsafe import Markup

    def wrapped(rows_, **kw):
        parts = str(render_rows(rows_, **kw)).split("</tr>")
        out = [part + f'<td><input type="checkbox" name="case" value="{int(r.id)}"'
               f' form="bulk-kits" aria-label="{_attr(r.name)}"></td></tr>'
               for r, part in zip(rows_, parts)]
        out.extend(parts[len(rows_):])
        return Markup("".join(out))

    wrapped.counts = getattr(render_rows, "counts", {})
    return wrapped


def _attr(text) -> str:
    from markupsafe import escape

    return str(escape(str(text or "")))
