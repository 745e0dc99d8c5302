"""New case (and edit case) through the interview questions, with errors shown in place."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ..errors import UserError
from ..store import cases as repo
from ..store.plans import rulebook
from .context import Ctx, check_csrf, get_ctx, render, require_role
from .forms import form_data
from .wizard import device_choices, error_in_place, form_fields, parse_form, profile_to_values

router = APIRouter(include_in_schema=False)

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(ctx: Ctx, action: str, values=None, errors=None, status_code=200, case=None,
          general=None):
    book = rulebook()
    fields = form_fields(book, ctx.lang, ctx.today, values, errors)
    return render(ctx, "wizard.html", status_code=status_code, fields=fields, action=action,
                  case=case, errors=errors or {}, general=general,
                  device_choices=device_choices(ctx.lang))


@router.get("/cases/new")
async def wizard(ctx: Ctx = Depends(get_ctx)):
    require_role(ctx, "admin", "operator")
    return _page(ctx, "/cases/new")


def _submit(ctx: Ctx, form: FormData, action: str, save, case=None):
    book = rulebook()
    values, profile, errors = parse_form(form, book, ctx.lang, ctx.today)
    if errors:
        return _page(ctx, action, values, errors, 422, case)
    try:
        saved = save(profile)
    except repo.NotFound:
        raise
    except UserError as err:
        qid, pair = error_in_place(err, ctx.lang)
        if qid is None:
            return _page(ctx, action, values, {}, 422, case, general=pair)
        return _page(ctx, action, values, {qid: pair}, 422, case)
    return RedirectResponse(f"/cases/{saved.id}?msg={'saved' if case else 'created'}",
                            status_code=303)


@router.post("/cases/new")
def wizard_submit(ctx: Ctx = Depends(get_ctx), form: FormData = Depends(form_data)):
    require_role(ctx, "admin", "operator")
    check_csrf(ctx, form.get("csrf"))
    operator = ctx.actor.id if ctx.actor.role == "operator" else None
    return _submit(ctx, form, "/cases/new", lambda p: repo.create_case(
        ctx.db, p, today=ctx.today, actor=ctx.actor, operator_id=operator))


@router.get("/cases/{case_id}/edit")
async def edit(case_id: CaseId, ctx: Ctx = Depends(get_ctx)):
    case = repo.require_case(ctx.db, case_id, ctx.actor)
    values = profile_to_values(json.loads(case.profile_json))
    return _page(ctx, f"/cases/{case_id}/edit", values, case=case)


@router.post("/cases/{case_id}/edit")
def edit_submit(case_id: CaseId, ctx: Ctx = Depends(get_ctx), form: FormData = Depends(form_data)):
    case = repo.require_case(ctx.db, case_id, ctx.actor)
    check_csrf(ctx, form.get("csrf"))
    return _submit(ctx, form, f"/cases/{case_id}/edit", lambda p: repo.update_profile(
        ctx.db, case_id, p, today=ctx.today, actor=ctx.actor), case=case)
