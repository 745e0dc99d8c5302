"""What a route asks for, written once: the case in its path that the caller may see, and a
submitted form whose token is checked.

    @router.post("/cases/{case_id}/thing")
    def thing(case_id: CaseId, form: CheckedForm, ctx: Ctx = Depends(get_ctx),
              case: Case = Depends(visible_case)): ...

A case the caller may not see looks exactly like a missing one (404); a form without this
browser's token is refused (403) before anything else runs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from starlette.datastructures import FormData

from ..store import cases as repo
from .context import Ctx, check_csrf, get_ctx
from .forms import form_data

__all__ = ["CaseId", "CheckedForm", "checked_form", "visible_case", "visible_case_in_full"]

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="case number")]


async def visible_case(case_id: CaseId, ctx: Ctx = Depends(get_ctx)):
    """The case named in the path, if the caller may see it; NotFound (404) otherwise.

    Its letter count and opinion stamp come in the same prebuilt statement
    (``store.satellites``): most routes plan the case, and its facts' stamps then need no
    query of their own (two built and compiled per request before: a third of an API call).
    Async like ``get_ctx``: one short indexed read, cheaper than a hop to the thread pool."""
    return repo.require_case(ctx.db, case_id, ctx.actor, with_satellites=True)


visible_case_in_full = visible_case  # the case page's name for it (kept: routes import it)


async def checked_form(ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(form_data)) -> FormData:
    """The submitted form, once its CSRF token matched this browser's session."""
    check_csrf(ctx, form.get("csrf"))
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
