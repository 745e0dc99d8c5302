"""New case (and edit case) through the interview questions, one short step at a time.

Each step is a plain form post (works without JavaScript): its answers are merged into a
server-side draft (``store.drafts``), checked together, and the next step is a redirect. A tab
closed halfway resumes at the step it reached. A post without a ``step`` field is the whole
form at once (scripts and the older single-page form), handled as before.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...cases import rulebook, stored
from ...errors import UserError
from ...store import cases as repo
from ...store.models import Case
from ..context import Ctx, get_ctx, render, require_role
from ..deps import CaseId, checked_form, visible_case
from .wizard import (
    device_choices,
    error_in_place,
    form_fields,
    parse_answers,
    parse_form,
    profile_to_values,
    question_for_field,
)
from .wizard_steps import STEPS, ValuesForm, active_steps, range_errors, step_of

router = APIRouter(include_in_schema=False)



def _owner(ctx: Ctx) -> str:
    from ...store.drafts import draft_owner

    return draft_owner(ctx.actor)


def _page(ctx: Ctx, action: str, values=None, errors=None, status_code=200, case=None,
          general=None, step: str | None = None, resumed: bool = False):
    book = rulebook()
    values = values or {}
    errors = errors or {}
    fields = form_fields(book, ctx.lang, ctx.today, values, errors)
    steps = active_steps(book, {"platform": values.get("platform")})
    if step is not None:
        step = step if step in steps else steps[0]
        platform = values.get("platform")
        fields = [f for f in fields if step_of(f.id) == step and
                  (f.platforms is None or not platform or platform in f.platforms)]
    problems = [(f.dom_id, f.prompt, f.error) for f in fields if f.error]
    return render(ctx, "wizard.html", status_code=status_code, fields=fields, action=action,
                  case=case, errors=errors, general=general, problems=problems,
                  device_choices=device_choices(ctx.lang), step=step, steps=steps,
                  step_no=steps.index(step) + 1 if step else None, resumed=resumed)


def _start(ctx: Ctx, action: str, target: str, initial: dict[str, Any], step: str | None,
           case=None):
    from ...store.drafts import load_draft

    draft = load_draft(ctx.db, _owner(ctx), target)
    values = draft[1] if draft else initial
    if step not in STEPS:
        step = STEPS[draft[0] - 1] if draft and 1 <= draft[0] <= len(STEPS) else STEPS[0]
    return _page(ctx, action, values, case=case, step=step,
                 resumed=draft is not None and step != STEPS[0])


@router.get("/cases/new")
async def wizard(step: str | None = None, ctx: Ctx = Depends(get_ctx)):
    require_role(ctx, "admin", "operator")
    return _start(ctx, "/cases/new", "new", {}, step)


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
        _, answers, _ = parse_answers(form, book, ctx.lang, ctx.today)
        found = range_errors(book, answers, [qid], ctx.lang, ctx.today)
        return _page(ctx, action, values, found or {qid: pair}, 422, case)
    return RedirectResponse(f"/cases/{saved.id}?msg={'saved' if case else 'created'}",
                            status_code=303)


def _step_submit(ctx: Ctx, form: FormData, action: str, target: str, save, case=None,
                 initial: dict[str, Any] | None = None):
    """One step posted: merge into the draft, check the step, go on (or back, or finish)."""
    from ...interview.questions import answers_to_profile
    from ...store.drafts import delete_draft, load_draft, save_draft

    book = rulebook()
    owner = _owner(ctx)
    go = str(form.get("go") or "next")
    if go == "restart":
        delete_draft(ctx.db, owner, target)
        return RedirectResponse(action, status_code=303)
    step = str(form.get("step"))
    step = step if step in STEPS else STEPS[0]
    draft = load_draft(ctx.db, owner, target)
    merged = dict(draft[1] if draft else (initial or {}))
    posted, _, _ = parse_answers(form, book, ctx.lang, ctx.today)
    merged.update({k: v for k, v in posted.items() if step_of(k) == step})
    values, answers, errors = parse_answers(ValuesForm(merged), book, ctx.lang, ctx.today)
    values.update({k: v for k, v in merged.items() if k not in values})
    steps = active_steps(book, answers)
    step = step if step in steps else steps[0]
    here = steps.index(step)

    def stay(at: str, problems: dict, general=None):
        save_draft(ctx.db, owner, target, STEPS.index(at) + 1, values)
        return _page(ctx, action, values, problems, 422, case, general=general, step=at)

    if go == "back":
        prev = steps[max(here - 1, 0)]
        save_draft(ctx.db, owner, target, STEPS.index(prev) + 1, values)
        return RedirectResponse(f"{action}?step={prev}", status_code=303)
    mine = {q: e for q, e in errors.items() if step_of(q) == step}
    ids = [q for q in answers if step_of(q) == step and q not in mine]
    mine.update(range_errors(book, answers, ids, ctx.lang, ctx.today))
    if mine:
        return stay(step, mine)
    if go != "finish" and here + 1 < len(steps):
        nxt = steps[here + 1]
        save_draft(ctx.db, owner, target, STEPS.index(nxt) + 1, values)
        return RedirectResponse(f"{action}?step={nxt}", status_code=303)
    for at in steps:  # finishing: the first step with a problem comes back
        ids = [q for q in answers if step_of(q) == at]
        found = {q: e for q, e in errors.items() if step_of(q) == at}
        found.update(range_errors(book, answers, [q for q in ids if q not in found],
                                  ctx.lang, ctx.today))
        if found:
            return stay(at, found)
    try:
        saved = save(answers_to_profile(answers))
    except repo.NotFound:
        raise
    except UserError as err:
        qid = question_for_field(err.field)
        _, pair = error_in_place(err, ctx.lang)
        if qid is None:
            return stay(step, {}, general=pair)
        return stay(step_of(qid), range_errors(book, answers, [qid], ctx.lang, ctx.today)
                    or {qid: pair})
    delete_draft(ctx.db, owner, target)
    return RedirectResponse(f"/cases/{saved.id}?msg={'saved' if case else 'created'}",
                            status_code=303)


@router.post("/cases/new")
def wizard_submit(ctx: Ctx = Depends(get_ctx), form: FormData = Depends(checked_form)):
    require_role(ctx, "admin", "operator")
    operator = ctx.actor.id if ctx.actor.role == "operator" else None

    def save(p):
        return stored.create_case(ctx.db, p, today=ctx.today, actor=ctx.actor,
                                operator_id=operator)

    if "step" in form:
        return _step_submit(ctx, form, "/cases/new", "new", save)
    return _submit(ctx, form, "/cases/new", save)


@router.get("/cases/{case_id}/edit")
async def edit(case_id: CaseId, step: str | None = None, ctx: Ctx = Depends(get_ctx),
               case: Case = Depends(visible_case)):
    values = profile_to_values(json.loads(case.profile_json))
    return _start(ctx, f"/cases/{case_id}/edit", f"case:{case_id}", values, step, case=case)


@router.post("/cases/{case_id}/edit")
def edit_submit(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):

    def save(p):
        return stored.update_profile(ctx.db, case_id, p, today=ctx.today, actor=ctx.actor)

    if "step" in form:
        return _step_submit(ctx, form, f"/cases/{case_id}/edit", f"case:{case_id}", save,
                            case=case, initial=profile_to_values(json.loads(case.profile_json)))
    return _submit(ctx, form, f"/cases/{case_id}/edit", save, case=case)
