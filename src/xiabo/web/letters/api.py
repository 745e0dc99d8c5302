"""Letters on the JSON API: the same model and steps as ``xiabo letters`` (``--json`` keys).

``GET/POST /api/cases/{id}/letters``, then ``POST .../letters/{letter_id}/{step}`` for sent,
reply, followup, escalate and close. Every step is logged as proof and re-plans the case
(:mod:`xiabo.cases.letters`), exactly as the web page's buttons do.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ...store.models import Case
from ..cases.api import _ERRORS, Problem, _same_origin
from ..context import Ctx, get_ctx
from ..deps import CaseId, visible_case

router = APIRouter(prefix="/api", tags=["letters"], dependencies=[Depends(_same_origin)])

LetterId = Annotated[str, Path(min_length=1, max_length=40,
                                description="letter id, e.g. pi-copy-1")]


class LetterOut(BaseModel):
    """One letter, with the keys of ``xiabo letters list --json``."""

    id: str
    kind: str
    state: str
    sent_on: date | None
    due: date | None
    overdue_days: int
    next: str | None
    tracking: str | None
    escalated_to: list[str]


class NewLetter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=40, description="termination, settlement, penalty, pi-copy, "
                                                 "pi-transfer, pi-deletion or refusal-reasons")
    lang: Literal["zh", "en"] | None = None


class SentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date | None = Field(None, description="the day it was sent (default: today)")
    via: Literal["post", "email", "app", "in-person"] | None = None
    tracking: str | None = Field(None, max_length=100)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date | None = Field(None, description="the day the answer came (default: today)")


class EscalateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Literal["12315", "12377", "court"]


class EmptyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _out(letter, today: date) -> dict[str, Any]:
    from ...cases.letters import letter_row

    return letter_row(letter, today)


def _step(ctx: Ctx, case, letter_id: str, name: str, **values):
    from ...cases import letters

    letter = letters.step(ctx.db, case, letter_id, name, today=ctx.today, actor=ctx.actor,
                          **values)
    return _out(letter, ctx.today)


@router.get("/cases/{case_id}/letters", response_model=list[LetterOut], responses=_ERRORS)
def api_letters(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """The case's letters, oldest first, each with its clock (state, due date, next step)."""
    from ...cases.letters import rows

    return rows(ctx.db, case.id, ctx.today)


@router.post("/cases/{case_id}/letters", response_model=LetterOut, status_code=201,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_new_letter(case_id: CaseId, body: NewLetter, ctx: Ctx = Depends(get_ctx),
                         case: Case = Depends(visible_case)):
    """Draft a letter (its files are made; it counts for the plan once it is sent)."""
    from ...cases import letters

    def run():
        letter = letters.draft(ctx.db, case, body.kind, today=ctx.today,
                               lang=body.lang or ctx.lang, actor=ctx.actor)
        return _out(letter, ctx.today)

    return await run_in_threadpool(run)


@router.post("/cases/{case_id}/letters/{letter_id}/sent", response_model=LetterOut,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_letter_sent(case_id: CaseId, letter_id: LetterId, body: SentIn,
                          ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """Mark it sent: its reply clock starts (民法典 201–203), and the step is logged."""
    return await run_in_threadpool(_step, ctx, case, letter_id, "sent", on=body.on,
                                   via=body.via, tracking=body.tracking)


@router.post("/cases/{case_id}/letters/{letter_id}/reply", response_model=LetterOut,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_letter_reply(case_id: CaseId, letter_id: LetterId, body: ReplyIn,
                           ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """Record the answer (the web page also takes the answer's files)."""
    return await run_in_threadpool(_step, ctx, case, letter_id, "reply", on=body.on)


@router.post("/cases/{case_id}/letters/{letter_id}/followup", response_model=LetterOut,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_letter_followup(case_id: CaseId, letter_id: LetterId, body: EmptyIn,
                              ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """Draft a follow-up for an unanswered letter (a new clock once it is sent)."""
    return await run_in_threadpool(_step, ctx, case, letter_id, "followup")


@router.post("/cases/{case_id}/letters/{letter_id}/escalate", response_model=LetterOut,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_letter_escalate(case_id: CaseId, letter_id: LetterId, body: EscalateIn,
                              ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """Draft the complaint (12315, 12377) or the court checklist for an unanswered letter."""
    return await run_in_threadpool(_step, ctx, case, letter_id, "escalate", to=body.to)


@router.post("/cases/{case_id}/letters/{letter_id}/close", response_model=LetterOut,
             responses={**_ERRORS, 422: {"model": Problem}})
async def api_letter_close(case_id: CaseId, letter_id: LetterId, body: EmptyIn,
                           ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    """Close the letter (nothing more to wait for)."""
    return await run_in_threadpool(_step, ctx, case, letter_id, "close")
