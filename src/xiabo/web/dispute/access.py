"""Who may read a case's dispute data: those who see the case, unless the agency is the
counter-party; then only the users bound to the case (streamer, adviser) and the local user.
Anyone else gets the same 404 as for a case they cannot see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Depends

from ...store.cases import NotFound
from ...store.disputes import CASE_BOUND_ROLES, can_read_dispute, load_dispute_doc
from ...store.models import Case
from ..context import Ctx, get_ctx
from ..deps import CaseId, visible_case

__all__ = ["DisputeCase", "case_beside_dispute", "dispute_case", "forbid_if_marked", "may_mark"]


@dataclass(frozen=True)
class DisputeCase:
    case: Case
    counterparty: bool
    data: dict[str, Any] | None


def may_mark(ctx: Ctx, case_id: int) -> bool:
    """Only the streamer's side may set or clear the counter-party mark."""
    return ctx.actor.local or (ctx.actor.role in CASE_BOUND_ROLES and ctx.actor.case_id == case_id)


def dispute_case(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 case: Case = Depends(visible_case)) -> DisputeCase:
    counterparty, data = load_dispute_doc(ctx.db, case.id)
    if not can_read_dispute(ctx.actor, case.id, counterparty):
        raise NotFound("web.errors.case_not_found", {"id": case_id})
    return DisputeCase(case, counterparty, data)


def forbid_if_marked(ctx: Ctx, case: Case) -> None:
    """For pages beside the dispute that hold its proof (the case's evidence log and its
    bundle): 404 for the agency's staff once the agency is marked as the counter-party."""
    counterparty, _ = load_dispute_doc(ctx.db, case.id)
    if not can_read_dispute(ctx.actor, case.id, counterparty):
        raise NotFound("web.errors.case_not_found", {"id": case.id})


def case_beside_dispute(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                        case: Case = Depends(visible_case)) -> Case:
    """A case whose page holds dispute proof (payouts: what the agency failed to pay), with
    the same gate as the dispute itself: 404 for the agency's staff once it is marked."""
    forbid_if_marked(ctx, case)
    return case
