"""The dispute on the JSON API: ``GET /api/cases/{id}/dispute`` (the profile, the mark and the
assessment, as ``xiabo dispute show --json``) and ``PUT`` to save the profile (and the mark)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ...errors import UserError
from ...store.disputes import save_dispute_doc
from ..cases.api import _ERRORS, Problem, _same_origin
from ..context import Ctx, get_ctx
from ..deps import CaseId
from .access import DisputeCase, dispute_case, may_mark
from .service import profile_of, report_for

router = APIRouter(prefix="/api", tags=["dispute"], dependencies=[Depends(_same_origin)])


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: dict[str, Any] = Field(description="the dispute profile (the keys of dispute.yaml)")
    counterparty: bool | None = Field(None, description="the agency is the other side "
                                                        "(only the streamer or their adviser may set it)")


def _out(ctx: Ctx, dc: DisputeCase) -> dict:
    from ...dispute import report_json
    from ...dispute.profile import dump_dispute

    return {"case": dc.case.id, "counterparty": dc.counterparty,
            "profile": dump_dispute(profile_of(dc.data)), "report": report_json(report_for(ctx, dc))}


@router.get("/cases/{case_id}/dispute", responses=_ERRORS)
def api_dispute(case_id: CaseId, ctx: Ctx = Depends(get_ctx), dc: DisputeCase = Depends(dispute_case)):
    """The dispute profile, the counter-party mark and the assessment (ranges, not promises)."""
    return _out(ctx, dc)


@router.put("/cases/{case_id}/dispute", responses={**_ERRORS, 422: {"model": Problem}})
async def api_dispute_save(case_id: CaseId, body: DisputeIn, ctx: Ctx = Depends(get_ctx),
                           dc: DisputeCase = Depends(dispute_case)):
    """Save the dispute profile (checked like dispute.yaml: field and fix on error)."""
    from ...dispute.profile import dump_dispute

    def run():
        d = profile_of(body.profile)
        if body.counterparty is not None and not may_mark(ctx, dc.case.id):
            raise UserError("dispute.err.mark_forbidden", field="counterparty",
                            fix_key="dispute.fix.mark_forbidden")
        save_dispute_doc(ctx.db, dc.case.id, dump_dispute(d), counterparty=body.counterparty)
        return _out(ctx, DisputeCase(dc.case, dc.counterparty if body.counterparty is None
                                     else body.counterparty, dump_dispute(d)))

    return await run_in_threadpool(run)
