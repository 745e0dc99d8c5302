"""Pairing a phone (``xiabo serve --lan``) and the web app manifest (add to home screen).

The computer shows a QR code holding a one-time link; the phone opens it, taps once and is
paired with that case. The link is redeemed by a POST (link previews that fetch the URL do not
use it up).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from ...store.models import Case
from ..context import Ctx, get_ctx, get_ctx_optional, render
from ..deps import CaseId, checked_form, visible_case
from ..errors import Forbidden
from ..forms import form_data
from .pairing import on_this_computer, settings

router = APIRouter(include_in_schema=False)

THEME = "#b3261e"
BACKGROUND = "#ffffff"


def public_base(ctx: Ctx) -> str:
    """The address other devices use: ``--base-url`` / the LAN address, else this request's."""
    return (ctx.config.base_url or str(ctx.request.base_url)).rstrip("/")


def is_desktop(ctx: Ctx) -> bool:
    """The single local user on this computer itself (not a phone, not agency mode)."""
    if ctx.config.auth or not ctx.actor.local or ctx.actor.role != "admin":
        return False
    return not ctx.config.lan or on_this_computer(ctx.request)


def _require_desktop(ctx: Ctx) -> None:
    if not is_desktop(ctx):
        raise Forbidden()


def _phone_page(ctx: Ctx, case, status_code: int = 200, **values):
    from .lan import is_loopback_url
    from .pairing import phone_count

    base = public_base(ctx)
    switch = getattr(ctx.request.app.state, "lan_switch", None)
    return render(ctx, "phone_pair.html", status_code=status_code, case=case, base=base,
                  lan=ctx.config.lan, loopback=is_loopback_url(base), switch=switch,
                  phones=phone_count(ctx.db, case.id, ctx.config.clock()),
                  minutes=settings()["link_minutes"], **values)


def _with_link(ctx: Ctx, case, **values):
    """The page with a fresh one-time pairing link and its QR code."""
    from datetime import UTC

    from .lan import qr_svg
    from .pairing import new_link

    token, expires = new_link(ctx.db, case.id, ctx.config.clock())
    link = f"{public_base(ctx)}/pair/{token}"
    local = expires.replace(tzinfo=UTC).astimezone()  # the computer's own clock time
    return _phone_page(ctx, case, link=link, qr=qr_svg(link, ctx._("reach.pair.qr_title")),
                       expires=local.strftime("%H:%M"), **values)


@router.get("/cases/{case_id}/phone")
def phone_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    _require_desktop(ctx)
    return _phone_page(ctx, case)


@router.post("/cases/{case_id}/phone")
def phone_link(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
               form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from .pairing import revoke_phones

    _require_desktop(ctx)
    if form.get("action") == "revoke":
        n = revoke_phones(ctx.db, case.id)
        return _phone_page(ctx, case, message=ctx._("reach.pair.revoked", n=n))
    return _with_link(ctx, case)


@router.post("/cases/{case_id}/phone/access")
async def phone_access(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form),
                       case: Case = Depends(visible_case)):
    """Turn phone access on or off without a restart (web/auth/lan_switch.py). Only the
    single local user, on this computer itself, with the form's CSRF token; audited."""
    from starlette.concurrency import run_in_threadpool

    from ...store.cases import audit
    from .lan_switch import SwitchFailed

    switch = getattr(ctx.request.app.state, "lan_switch", None)
    if switch is None or not is_desktop(ctx) or not on_this_computer(ctx.request):
        raise Forbidden()
    app = ctx.request.app
    turn_on = form.get("action") == "on"
    try:
        if turn_on:
            address = await switch.turn_on(app)
        else:
            await switch.turn_off(app)
            address = None
    except SwitchFailed as exc:
        return await run_in_threadpool(
            _phone_page, ctx, case, status_code=409, error=ctx._(exc.key, **exc.values),
            fix=ctx._(exc.key + "_fix"))

    def _record():
        with ctx.db.write() as s:
            audit(s, None, "phone.access_on" if turn_on else "phone.access_off", case.id,
                  **({"address": address} if address else {}))

    await run_in_threadpool(_record)
    if turn_on:
        return await run_in_threadpool(_with_link, ctx, case)
    return await run_in_threadpool(_phone_page, ctx, case,
                                   message=ctx._("reach.switch.turned_off"))


@router.get("/pair/{token}")
def pair_page(token: str, ctx: Ctx = Depends(get_ctx_optional)):
    return render(ctx, "pair.html", token=token[:200], state="confirm")


@router.post("/pair")
def pair_submit(request: Request, ctx: Ctx = Depends(get_ctx_optional),
                form: FormData = Depends(form_data)):
    """Redeem a pairing link. No form token: the one-time link itself is the secret; failed
    tries are counted per client address (as the login's are) and refused past the limit."""
    from ...store.users import attempt_succeeded, pair_attempt
    from .pairing import redeem

    tries = pair_attempt(ctx.db, request.client.host if request.client else "?")
    found = redeem(ctx.db, str(form.get("token") or ""), ctx.config.clock())
    if found is None:
        return render(ctx, "pair.html", status_code=410, token="", state="refused")
    attempt_succeeded(ctx.db, tries)
    session, info = found
    response = RedirectResponse(f"/cases/{info.case_id}", status_code=303)
    secure = ctx.config.secure_cookies
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(settings()["cookie"], session, httponly=True, samesite="lax",
                        secure=secure, path="/", max_age=settings()["session_days"] * 86400)
    return response


@router.get("/pair")
def pair_needed(ctx: Ctx = Depends(get_ctx_optional)):
    """Where an unpaired device lands: how to pair, and nothing else."""
    return render(ctx, "pair.html", status_code=401, token="", state="needed")


@router.get("/manifest.webmanifest")
def manifest(request: Request):
    """The web app manifest: name, colours, icons (served from /static, no CDN)."""
    from ...i18n import normalise_lang, t

    lang = normalise_lang(request.query_params.get("lang") or request.cookies.get("xiabo_lang"))
    icons = [{"src": f"/static/icons/icon-{n}.png", "sizes": f"{n}x{n}", "type": "image/png",
              "purpose": "any maskable"} for n in (192, 512)]
    icons.append({"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"})
    body = {"name": t("reach.app.name", lang), "short_name": t("reach.app.short_name", lang),
            "description": t("reach.app.description", lang),
            "lang": "zh-CN" if lang == "zh" else "en", "start_url": "/", "scope": "/",
            "display": "standalone", "background_color": BACKGROUND, "theme_color": THEME,
            "icons": icons}
    return Response(json.dumps(body, ensure_ascii=False), media_type="application/manifest+json",
                    headers={"Cache-Control": "no-cache"})
