"""The dispute pages: the form (the interview's questions) with the report beside it, the
lawyer's view (everything on one page, print-friendly) and its PDF, and the case section."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse

from ...errors import UserError
from ...store.disputes import can_read_dispute, load_dispute_doc, save_dispute_doc
from ..context import Ctx, _env, get_ctx, render
from ..deps import CaseId, CheckedForm
from ..downloads import NOSNIFF, download_response
from .access import DisputeCase, dispute_case, may_mark
from .service import lines_for, profile_of, report_for

router = APIRouter(include_in_schema=False)


def _fields(ctx: Ctx, answers: dict) -> list[dict]:
    """The interview's questions as form fields, with the saved or typed values."""
    from ...dispute.interview import dispute_questions
    from ...interview.answers import choice_options

    out = []
    for q in dispute_questions():
        value = answers.get(q.id)
        options = []
        if q.type == "bool":
            options = [("", ctx._("dispute.answer.unsaid")), ("yes", ctx._("dispute.answer.yes")),
                       ("no", ctx._("dispute.answer.no"))]
            value = {True: "yes", False: "no"}.get(value, "")
        elif q.choices:
            options = [("", ctx._("dispute.answer.unsaid"))] + [
                (o["value"], o[ctx.lang]) for o in choice_options(q)]
        out.append({"id": q.id, "name": q.id.replace(".", "__"), "type": q.type,
                    "label": q.prompt.get(ctx.lang, q.prompt["zh"]), "options": options,
                    "value": "" if value is None else str(value)})
    return out


def _answers_from_form(form) -> tuple[dict, list[tuple[str, str]]]:
    """Parse each filled field with the interview's parser; errors per field."""
    from ...dispute.interview import dispute_questions
    from ...interview.answers import AnswerError, parse_answer
    from ...interview.questions import applicable

    answers, errors = {}, []
    for q in dispute_questions():
        raw = str(form.get(q.id.replace(".", "__")) or "").strip()
        if not raw or not applicable(q, answers):
            continue
        try:
            answers[q.id] = parse_answer(q, {"yes": "是", "no": "否"}.get(raw, raw))
        except AnswerError as err:
            errors.append((q.id, err.key))
    return answers, errors


def _page(ctx: Ctx, dc: DisputeCase, answers: dict, errors=(), status: int = 200):
    report = report_for(ctx, dc)
    from ...dispute import sections

    return render(ctx, "dispute.html", status_code=status, case=dc.case, fields=_fields(ctx, answers),
                  errors=[(q, ctx._(k)) for q, k in errors], parts=sections(report, ctx.lang),
                  counterparty=dc.counterparty, may_mark=may_mark(ctx, dc.case.id))


@router.get("/cases/{case_id}/dispute")
def dispute_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 dc: DisputeCase = Depends(dispute_case)):
    from ...dispute.interview import profile_to_answers

    return _page(ctx, dc, profile_to_answers(profile_of(dc.data)))


@router.post("/cases/{case_id}/dispute")
def dispute_save(case_id: CaseId, form: CheckedForm, ctx: Ctx = Depends(get_ctx),
                 dc: DisputeCase = Depends(dispute_case)):
    from ...dispute.interview import answers_to_dispute
    from ...dispute.profile import dump_dispute

    answers, errors = _answers_from_form(form)
    if errors:
        return _page(ctx, dc, answers, errors, status=422)
    try:
        d = answers_to_dispute(answers, "<web>")
    except UserError as err:
        return _page(ctx, dc, answers, [(err.field or "", err.key)], status=422)
    mark = None
    if may_mark(ctx, dc.case.id):
        mark = form.get("counterparty") == "1"
    save_dispute_doc(ctx.db, dc.case.id, dump_dispute(d), counterparty=mark)
    return RedirectResponse(f"/cases/{dc.case.id}/dispute#report", status_code=303)


@router.get("/cases/{case_id}/dispute/lawyer")
def lawyer_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                dc: DisputeCase = Depends(dispute_case)):
    from ...dispute import sections

    report = report_for(ctx, dc)
    timeline, letters = lines_for(ctx, dc.case, ctx.lang)
    return render(ctx, "dispute_lawyer.html", case=dc.case, parts=sections(report, ctx.lang),
                  timeline=timeline, letters=letters, today=ctx.today)


@router.get("/cases/{case_id}/dispute/bundle.pdf")
def lawyer_pdf(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
               dc: DisputeCase = Depends(dispute_case)):
    from ...dispute.bundle import render_pdf

    report = report_for(ctx, dc)
    timeline, letters = lines_for(ctx, dc.case, ctx.lang)
    data = render_pdf(report, ctx.lang, title=dc.case.name, timeline=timeline, letters=letters)
    return download_response(f"dispute-{dc.case.id}.pdf", data, "application/pdf",
                             headers=NOSNIFF)


def dispute_summary(ctx: Ctx, case) -> dict | None:
    """The case section's line (a Jinja global): None when the caller may not read it."""
    from ...store.satellites import satellites

    known = satellites(case)  # loaded with the case in one statement (the case page)
    if known is not None:
        counterparty, filled = known.dispute or (False, False)
    else:
        counterparty, data = load_dispute_doc(ctx.db, case.id)
        filled = bool(data)
    if not can_read_dispute(ctx.actor, case.id, counterparty):
        return None
    return {"filled": filled, "counterparty": counterparty}


_env().globals["dispute_summary"] = dispute_summary
