"""What a route asks for, written once: the case in its path that the caller may see, and a
submitted form whose token is checked.

    @router.post("/cases/{case_id}/thing")
    def thing(case_id: CaseId, form: CheckedForm, ctx: Ctx = Depends(get_ctx),
              case: Case = Depends(visible_case)): ...

A case the caller may not see looks exactly like a missing one (404); a form without this
browser's token is refused (403) before anything else runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import FormData

from ..store import cases as repo
from .context import Ctx, check_csrf, get_ctx
from .forms import form_data

if TYPE_CHECKING:  # pragma: no cover
    from ..store.models import Case

__all__ = ["CaseId", "CheckedForm", "checked_form", "path_case", "visible_case"]

CaseId = Annotated[int, Path(ge=1, le=2**31 - 1, description="case number")]


async def visible_case(case_id: CaseId, ctx: Ctx = Depends(get_ctx)):
    """The case named in the path, if the caller may see it; NotFound (404) otherwise.

    Its letter count and opinion stamp come in the same prebuilt statement
    (``store.satellites``): most routes plan the case, and its facts' stamps then need no
    query of their own (two built and compiled per request before: a third of an API call).
    Async like ``get_ctx``: one short indexed read, cheaper than a hop to the thread pool."""
    return repo.require_case(ctx.db, case_id, ctx.actor, with_satellites=True)


_CASE_ID = TypeAdapter(CaseId)  # the path's check, as a FastAPI route makes it


async def path_case(request: Request) -> tuple[Ctx, Case]:
    """``get_ctx`` and ``visible_case`` for a plain (Starlette) route whose path has
    ``{case_id:int}``: the same checks in the same order (who is asking first, so a visitor
    who is not signed in goes to the login page; then a number out of range is the 422 a
    FastAPI route gives), without FastAPI's solving of parameters on every request."""
    ctx = await get_ctx(request)
    try:
        case_id = _CASE_ID.validate_python(request.path_params["case_id"])
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("path", "case_id", *e["loc"])} for e in exc.errors()]) from None
    return ctx, await visible_case(case_id, ctx)


async def checked_form(ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(form_data)) -> FormData:
    """The submitted form, once its CSRF token matched this browser's session."""
    check_csrf(ctx, form.get("csrf"))
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]
