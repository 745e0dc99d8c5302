"""Every failure answers in the documented shape: no bare 500, no FastAPI ``{"detail": …}``.

Validation problems are 422 ``{error, message, field, fix}`` (pages: the error page);
operational failures (read-only store, full disk, database gone) are 503 with what to do;
a duplicate row is 409. Text that came from the request is cleaned of lone surrogates and
control characters before it is echoed, so rendering the answer cannot fail in turn.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ..i18n import t

__all__ = ["SafeJSONResponse", "clean_text", "install"]

LOG = logging.getLogger("xiabo.web")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: Any) -> Any:
    """``value`` with lone surrogates and control characters replaced (strings, nested)."""
    if isinstance(value, str):
        return _BAD_CHARS.sub("\ufffd", value)
    if isinstance(value, dict):
        return {clean_text(k): clean_text(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_text(v) for v in value]
    return value


class SafeJSONResponse(JSONResponse):
    """JSON that always encodes (surrogates and NaN cannot break it)."""

    def render(self, content: Any) -> bytes:
        return json.dumps(clean_text(content), ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"), default=str).encode("utf-8", "replace")


# pydantic error type -> catalogue key (security.invalid.*)
_KINDS = {"json_invalid": "json", "json_type": "json", "missing": "missing",
          "extra_forbidden": "extra", "date_from_datetime_parsing": "date",
          "date_parsing": "date", "date_type": "date", "date_from_datetime_inexact": "date",
          "int_parsing": "number", "int_type": "number", "int_from_float": "number",
          "float_parsing": "number", "float_type": "number", "decimal_parsing": "number",
          "greater_than_equal": "range", "less_than_equal": "range", "greater_than": "range",
          "less_than": "range", "string_too_long": "too_long", "string_too_short": "too_short",
          "literal_error": "choice", "enum": "choice", "bool_parsing": "bool",
          "bool_type": "bool", "dict_type": "object", "model_type": "object",
          "model_attributes_type": "object", "list_type": "list", "string_type": "text",
          "string_unicode": "text", "value_error": "value", "too_long": "too_long"}


def _field(loc: tuple | list) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts)[:200] or None


def _lang(request: Request) -> str:
    from ..i18n import normalise_lang

    return normalise_lang(request.query_params.get("lang") or request.cookies.get("xiabo_lang"))


def problem(request: Request, status: int, key: str, params: dict | None = None,
            field: str | None = None, fix_key: str | None = None):
    """A JSON problem (API) or the error page (HTML) in the request's language."""
    from .app import _is_api

    lang = _lang(request)
    params = clean_text(params or {})
    message = clean_text(t(key, lang, **params))
    fix = clean_text(t(fix_key, lang, **params)) if fix_key else None
    if _is_api(request):
        return SafeJSONResponse({"error": key, "message": message, "field": clean_text(field),
                                 "fix": fix}, status_code=status)
    from ..store.cases import Actor
    from .context import Ctx, render

    ctx = Ctx(request, request.app.state.config, lang, Actor(role="anonymous"), "", False,
              False)
    return render(ctx, "error.html", status_code=status, message=message, fix=fix)


def install(app: FastAPI) -> None:
    """Register the handlers (called by create_app after its own)."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..store.failures import Conflict, ServiceUnavailable, classify

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        from .app import _is_api

        if not _is_api(request):
            return problem(request, 422, "web.errors.bad_request")
        errors = exc.errors() or [{}]
        first = errors[0]
        kind = _KINDS.get(str(first.get("type", "")), "value")
        field = _field(first.get("loc") or ())
        return problem(request, 422, f"security.invalid.{kind}", {"field": field or "-"},
                       field, "security.invalid.fix")

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if exc.status_code == 400:  # the body could not be parsed at all
            from .errors import BodyTooLarge

            if isinstance(exc.__cause__, BodyTooLarge):  # cut off while FastAPI read it
                cause = exc.__cause__
                from .app import _too_large_message

                key, values = _too_large_message(cause.api, cause.limit, cause.size)
                return problem(request, 413, key, values, None, key + "_fix")
            return problem(request, 422, "security.invalid.json", {"field": "-"}, None,
                           "security.invalid.fix")
        if exc.status_code == 404:
            return problem(request, 404, "web.errors.page_not_found")
        if exc.status_code == 405:
            return problem(request, 405, "security.invalid.method")
        return problem(request, exc.status_code, "security.invalid.value", {"field": "-"})

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable):
        return _answer(request, exc, 503)

    @app.exception_handler(Conflict)
    async def _conflict(request: Request, exc: Conflict):
        return _answer(request, exc, 409)

    async def _operational(request: Request, exc: Exception):
        found = classify(exc)
        if found is None:
            if isinstance(exc, (ValueError, ArithmeticError, RecursionError)):
                LOG.info("refused a bad value: %s", type(exc).__name__)
                return problem(request, 422, "security.invalid.value", {"field": "-"}, None,
                               "security.invalid.fix")
            LOG.exception("unexpected failure")
            return problem(request, 500, "security.ops.internal", None, None,
                           "security.ops.internal_fix")
        LOG.warning("operational failure: %s", type(exc).__name__)
        status = 409 if isinstance(found, Conflict) else 503
        return _answer(request, found, status)

    for cls in (SQLAlchemyError, OSError, ValueError, ArithmeticError, RecursionError):
        app.add_exception_handler(cls, _operational)


def _answer(request: Request, exc, status: int):
    response = problem(request, status, exc.key, exc.params, exc.field, exc.fix_key)
    if status == 503:
        response.headers["Retry-After"] = "30"
    return response
