"""Form parsing for sync handlers: an async dependency reads the body (bounded) first."""

from __future__ import annotations

from datetime import date

from fastapi import Request
from starlette.datastructures import FormData

from ..errors import UserError

__all__ = ["error_words", "form_data", "parse_date_field"]


async def form_data(request: Request) -> FormData:
    """The submitted form (urlencoded or multipart), with field and file count limits."""
    ctype = request.headers.get("content-type", "")
    if not (ctype.startswith("application/x-www-form-urlencoded")
            or ctype.startswith("multipart/form-data")):
        return FormData()
    return await request.form(max_files=20, max_fields=400, max_part_size=256 * 1024)


def error_words(err: UserError, lang: str) -> dict[str, str | None]:
    """A refused form's words for its page: ``error`` (what is wrong) and ``fix`` (what to do)."""
    from ..i18n import t

    params = err.params or {}
    return {"error": t(err.key, lang, **params),
            "fix": t(err.fix_key, lang, **params) if err.fix_key else None}


def parse_date_field(value, field: str, *, optional: bool = True) -> date | None:
    text = (str(value) if value is not None else "").strip()
    if not text:
        if optional:
            return None
        raise UserError("web.errors.date_required", field=field, fix_key="profile.fix.date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError("web.errors.bad_date", {"value": text[:40]}, field=field,
                        fix_key="profile.fix.date") from None
