"""Login and logout (agency mode). Failed logins are rate-limited per name and per address."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ..context import SESSION_COOKIE, Ctx, check_csrf, get_ctx_optional, render, set_cookies
from ..forms import form_data

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None, ctx: Ctx = Depends(get_ctx_optional)):
    if not ctx.config.auth or ctx.actor.role != "anonymous":
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(ctx, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
def login_submit(request: Request, ctx: Ctx = Depends(get_ctx_optional),
                 form: FormData = Depends(form_data)):
    from ...store.users import RateLimited, authenticate, create_session

    if not ctx.config.auth:
        return RedirectResponse("/", status_code=303)
    check_csrf(ctx, form.get("csrf"))
    name = str(form.get("name") or "")[:100]
    target = _safe_next(str(form.get("next") or "/"))
    ip = request.client.host if request.client else "?"
    try:
        user = authenticate(ctx.db, name, str(form.get("password") or "")[:1000], ip)
    except RateLimited as err:
        return render(ctx, "login.html", status_code=429, next=target,
                      error=ctx._(err.key, **(err.params or {})), name=name)
    if user is None:
        return render(ctx, "login.html", status_code=401, next=target,
                      error=ctx._("login.failed"), name=name)
    token, _csrf = create_session(ctx.db, user)
    response = RedirectResponse(target, status_code=303)
    secure = ctx.config.secure_cookies
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=secure,
                        path="/", max_age=12 * 3600)
    set_cookies(ctx, response)
    return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx = Depends(get_ctx_optional),
           form: FormData = Depends(form_data)):
    from ...store.users import end_session

    if ctx.config.auth and ctx.actor.role != "anonymous":
        check_csrf(ctx, form.get("csrf"))
        end_session(ctx.db, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login" if ctx.config.auth else "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
