"""Plugs the tool pages that replace the terminal into the app (one call in create_app).

Fans' personal data (``xiabo privacy``), the shop's orders (``xiabo orders check``), the annual
tax estimate (``xiabo tax annual``), and ``/cases/{id}/opinion``: the opinion section of the
case page, where a task step about ``xiabo opinion report`` sends web readers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse

from .context import Ctx, get_ctx

__all__ = ["install"]

router = APIRouter(include_in_schema=False)
CaseId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


@router.get("/cases/{case_id}/opinion")
def opinion_section(case_id: CaseId, ctx: Ctx = Depends(get_ctx)):
    from ..store import cases as repo

    case = repo.require_case(ctx.db, case_id, ctx.actor)
    return RedirectResponse(f"/cases/{case.id}?show=documents#opinion", status_code=303)


def install(app: FastAPI) -> None:
    from . import pages_orders, pages_privacy, pages_tax

    for module in (pages_privacy, pages_orders, pages_tax):
        app.include_router(module.router)
    app.include_router(router)
