"""The case page and what it changes: done tasks, dates, baseline, calendar feed, exports."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ...cases import stored
from ...errors import UserError
from ...export.budget import check_export_budget
from ...store import cases as repo
from ...store.models import Case
from ..context import Ctx, get_ctx, render, require_role
from ..deps import CaseId, checked_form, path_case, visible_case
from ..downloads import download_response
from ..features import features
from ..forms import parse_date_field
from ..tools.bridges import (
    MAX_EVIDENCE_FILE,
    add_evidence_files,
    backup_status,
    calendar_bytes,
    export_bytes,
)
from ..uploads import read_files
from . import folds as casefolds
from .tasklist import tasks_html
from .view import SECTIONS, case_view

router = APIRouter(include_in_schema=False)
first = APIRouter(include_in_schema=False)  # matched before every other router (web.routes)



def _back(case_id: CaseId, anchor: str = "", **query: str) -> RedirectResponse:
    q = "&".join(f"{k}={quote(str(v))}" for k, v in query.items() if v is not None)
    return RedirectResponse(f"/cases/{case_id}" + (f"?{q}" if q else "") + anchor,
                            status_code=303)


def _calendar_url(ctx: Ctx, token: str | None) -> str | None:
    if not token:
        return None
    base = ctx.config.base_url or str(ctx.request.base_url)  # serve --base-url / --lan
    url = base.rstrip("/") + f"/calendar/{token}.ics"
    return url + ("?lang=en" if ctx.lang == "en" else "")


def _page_values(ctx: Ctx, case: Case, show: str | None, task: str | None = None) -> dict:
    """What case.html and a fold alone (case_fold.html) are drawn from; a folded section's
    parts only for the section ``show`` names."""
    from ...cases import facts_stored

    facts = facts_stored(case, ctx.db, ctx.today)  # read once: the plan and the counts agree
    counts = None
    if features()["evidence"]:  # the log's entries per task: the facts the plan used
        counts = facts["evidence_counts"] or {}
    view = case_view(case, ctx.db, today=ctx.today, lang=ctx.lang, evidence_counts=counts,
                     show=show, facts=facts)
    documents = show == "documents"
    return dict(case=case, v=view, evidence_on=counts is not None,
                calendar_url=_calendar_url(ctx, case.ics_token) if documents else None,
                backup=backup_status(case.folder, case.platform, ctx.today) if documents else None,
                profile=json.loads(case.profile_json), request_task=task, tasks_html=tasks_html,
                folds=casefolds, sections=SECTIONS, show=show)


async def case_page(request: Request) -> Response:
    """GET /cases/{case_id}: the case page (a plain route: ``deps.path_case``)."""
    ctx, case = await path_case(request)
    query = request.query_params
    msg, task, show = query.get("msg"), query.get("task"), query.get("show")
    values = _page_values(ctx, case, show if show in SECTIONS else None, task)
    operators = []
    if ctx.actor.role == "admin" and ctx.config.auth:
        from ...store.users import list_operators

        operators = list_operators(ctx.db)
    message = None
    if msg in ("done", "undone", "dates", "baseline", "calendar", "revoked", "evidence",
               "saved", "status", "assigned", "created"):
        titles = {t.id: t.title for t in values["v"]["plan"].tasks}
        message = ctx._(f"case.msg.{msg}", task=titles.get(task or "", ""), n=task or "")
    # the case is planned: the loop turns once more before the drawing, so twenty clients'
    # pages go in turns of half a page, not whole ones (bench/web.py: p95/p50 1.9 -> 1.7)
    await asyncio.sleep(0)
    return render(ctx, "case.html", message=message, operators=operators, **values)


async def case_fold(request: Request) -> Response:
    """GET /cases/{case_id}/fold/{name}: one folded section alone, for app.js to put into the
    open page when it is tapped open (the page itself sends none of them: most visits open
    none)."""
    ctx, case = await path_case(request)
    name = request.path_params["name"]
    if name not in SECTIONS:
        raise repo.NotFound("web.errors.page_not_found")
    response = render(ctx, "case_fold.html", fold=name, **_page_values(ctx, case, name))
    response.headers["Cache-Control"] = "no-store"
    return response


# the two most asked-for pages are plain routes: FastAPI's parameter and dependency solving
# was ~0.3 ms of a ~4 ms view (bench/web.py); ``path_case`` does what the dependencies do
first.add_route("/cases/{case_id:int}", case_page, methods=["GET"], include_in_schema=False)
first.add_route("/cases/{case_id:int}/fold/{name}", case_fold, methods=["GET"],
                include_in_schema=False)


@router.post("/cases/{case_id}/tasks/{task_id}/done")
async def mark_done(case_id: CaseId, task_id: str, request: Request,
                    ctx: Ctx = Depends(get_ctx), form: FormData = Depends(checked_form)):
    from starlette.concurrency import run_in_threadpool

    when = parse_date_field(form.get("done"), "done") or ctx.today
    note = str(form.get("note") or "").strip()[:2000] or None
    uploads = await read_files(form, MAX_EVIDENCE_FILE)
    case = await run_in_threadpool(stored.mark_task, ctx.db, case_id, task_id, when,
                                   today=ctx.today, actor=ctx.actor, note=note)
    msg = "done"
    if uploads and features()["evidence"]:
        n = await run_in_threadpool(add_evidence_files, case.folder, task_id, uploads, note)
        msg = "evidence" if n else msg
    # back to the confirmation at the top (it names the task), not away from it
    return _back(case_id, "#flash", msg=msg, task=task_id)


@router.post("/cases/{case_id}/tasks/{task_id}/undo")
def mark_undone(case_id: CaseId, task_id: str, ctx: Ctx = Depends(get_ctx),
                form: FormData = Depends(checked_form)):
    stored.mark_task(ctx.db, case_id, task_id, None, today=ctx.today, actor=ctx.actor)
    return _back(case_id, "#flash", msg="undone", task=task_id)


@router.post("/cases/{case_id}/dates")
def edit_dates(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
               form: FormData = Depends(checked_form)):
    start = parse_date_field(form.get("start"), "start")
    notice = False
    if "notice_sent_on" in form:
        notice = parse_date_field(form.get("notice_sent_on"), "notice_sent_on")
    stored.set_dates(ctx.db, case_id, today=ctx.today, actor=ctx.actor, start=start,
                   notice_sent_on=notice)
    return _back(case_id, "#replan", msg="dates", show="history")


@router.post("/cases/{case_id}/baseline")
def new_baseline(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 form: FormData = Depends(checked_form)):
    stored.reset_baseline(ctx.db, case_id, today=ctx.today, actor=ctx.actor)
    return _back(case_id, "#replan", msg="baseline", show="history")


@router.post("/cases/{case_id}/calendar")
def calendar_token(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                   form: FormData = Depends(checked_form)):
    if form.get("action") == "revoke":
        repo.revoke_calendar_token(ctx.db, case_id, actor=ctx.actor)
        return _back(case_id, "#calendar", msg="revoked", show="documents")
    repo.new_calendar_token(ctx.db, case_id, actor=ctx.actor)
    return _back(case_id, "#calendar", msg="calendar", show="documents")


@router.post("/cases/{case_id}/status")
def case_status(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                form: FormData = Depends(checked_form)):
    require_role(ctx, "admin", "operator")
    status = "archived" if form.get("status") == "archived" else "active"
    repo.set_status(ctx.db, case_id, status, actor=ctx.actor)
    return _back(case_id, msg="status")


@router.post("/cases/{case_id}/operator")
def case_operator(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                  form: FormData = Depends(checked_form)):
    require_role(ctx, "admin")
    raw = str(form.get("operator") or "")
    repo.assign_operator(ctx.db, case_id, int(raw) if raw.isdigit() else None, actor=ctx.actor)
    return _back(case_id, msg="assigned")


@router.get("/cases/{case_id}/export/{kind}")
def case_export(case_id: CaseId, kind: str, ctx: Ctx = Depends(get_ctx),
                case: Case = Depends(visible_case)):
    from ...cases import plan_stored
    from ...roadmap.profile import profile_from_dict

    if kind not in features()["exports"]:
        raise repo.NotFound("web.errors.page_not_found")
    plan = plan_stored(case, ctx.db, ctx.today, ctx.lang)
    profile = profile_from_dict(json.loads(case.profile_json))
    check_export_budget(kind, plan, profile, ctx.lang)  # refused before any drawing (422)
    try:
        data, suffix, media = export_bytes(kind, plan, profile)
    except ImportError:  # the format's module is not installed (yet)
        raise repo.NotFound("web.errors.page_not_found") from None
    except UserError as err:  # e.g. the termination letter of a case without a contract: 409
        from ...store.failures import Conflict

        raise Conflict(err.key, err.params, field=err.field, fix_key=err.fix_key) from None
    name = f"{case.key}.{suffix}"
    return download_response(name, data, media, ascii_name=f"case-{case.id}.{suffix}")


@router.get("/calendar/{token}.ics")
def calendar_feed(token: str, request: Request, lang: str | None = None):
    """The secret calendar feed: no login (the token is the key), always the current plan."""
    from ...cases import plan_stored
    from ...i18n import normalise_lang
    from ...roadmap.profile import profile_from_dict

    config = request.app.state.config
    case = repo.case_by_token(request.app.state.db, token)
    if case is None:
        return Response(status_code=404)
    plan = plan_stored(case, request.app.state.db, config.today(), normalise_lang(lang))
    data = calendar_bytes(plan, profile_from_dict(json.loads(case.profile_json)))
    return Response(data, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


