"""The FastAPI application: pages, JSON API, static files, error handling, safety headers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from ..errors import UserError
from ..i18n import normalise_lang, t
from ..store.cases import Actor, NotFound
from ..store.users import RateLimited
from .config import WebConfig
from .errors import BodyTooLarge, CsrfFailed, Forbidden, LoginRequired

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"

_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'")


class _Limits:
    """ASGI middleware: cap the request body, add safety headers, take requests in turn.

    Uploads and imports (pages, or multipart anywhere) may send ``max_body``; the JSON API
    takes ``max_api_body`` (a profile is a few KB), so a client cannot make the server parse
    megabytes of JSON.
    """

    def __init__(self, app, max_body: int, allowed_hosts: tuple[str, ...] | None = None,
                 max_api_body: int | None = None):
        self.app, self.max_body = app, max_body
        self.max_api_body = min(max_api_body or max_body, max_body)
        # a set shared with app.state.allowed_hosts: the pairing page's phone-access switch
        # adds the LAN address while the server runs (web/auth/lan_switch.py)
        self.allowed_hosts = allowed_hosts if isinstance(allowed_hosts, set) else (
            set(allowed_hosts) if allowed_hosts else None)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # Let the event loop turn once before the work: a request is mostly CPU (plan, render)
        # that runs without a pause, so without this a new connection waited for two or three
        # turns of other requests' pages before its own request was even read (bench/web.py:
        # first requests on a connection p50 117 ms against 59 ms overall, at 20 clients).
        await asyncio.sleep(0)
        headers = dict(scope.get("headers") or [])
        if self.allowed_hosts is not None and _hostname(headers.get(b"host", b"")) \
                not in self.allowed_hosts:
            return await _send_status(send, 421, b'{"error":"web.errors.bad_host"}')
        api = _json_api(scope, headers)
        limit = self.max_api_body if api else self.max_body
        length = headers.get(b"content-length")
        if length is not None:
            try:
                size = int(length)
            except ValueError:
                size = limit + 1
            if size > limit:
                return await _send_413(send, scope, headers, limit, size)
        seen = 0
        started = False

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit, seen, api)
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(b"x-content-type-options", b"nosniff"),
                         (b"x-frame-options", b"DENY"),
                         (b"referrer-policy", b"no-referrer"),
                         (b"content-security-policy", _CSP.encode())]
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in extra if h[0] not in names]
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _send_413(send, scope, headers, limit, seen)


def _hostname(raw: bytes) -> str:
    host = raw.decode("latin-1").strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(n, 1) // 1024 or 1} KB"


async def _send_413(send, scope, headers: dict, limit: int, size: int):
    """413 in the API's error shape: {error, message, field, fix} in the caller's language."""
    import json
    from http.cookies import SimpleCookie
    from urllib.parse import parse_qs

    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
    except Exception:  # noqa: BLE001 - a broken cookie header only loses the language
        pass
    lang = normalise_lang((query.get("lang") or [None])[0] or (
        cookie["xiabo_lang"].value if "xiabo_lang" in cookie else None))
    key, values = _too_large_message(_json_api(scope, headers), limit, size)
    body = json.dumps({"error": key, "message": t(key, lang, **values), "field": None,
                       "fix": t(key + "_fix", lang, **values)}, ensure_ascii=False)
    await _send_status(send, 413, body.encode("utf-8"))


def _json_api(scope, headers: dict) -> bool:
    """A request to the JSON API (not a multipart upload): the smaller body limit applies."""
    return str(scope.get("path", "")).startswith("/api/") and not headers.get(
        b"content-type", b"").lower().startswith(b"multipart/")


def _too_large_message(api: bool, limit: int, size: int) -> tuple[str, dict]:
    key = "budget.body.too_large" if api else "budget.body.upload_too_large"
    return key, {"limit": _size(limit), "size": _size(size)}


async def _send_status(send, status: int, body: bytes):
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _lang_of(request: Request) -> str:
    return normalise_lang(request.query_params.get("lang") or request.cookies.get("xiabo_lang"))


def _error_page(request: Request, status: int, key: str, params: dict | None = None,
                fix: str | None = None, field: str | None = None):
    from .failures import SafeJSONResponse, clean_text

    lang = _lang_of(request)
    message = clean_text(t(key, lang, **(params or {})))
    fix = clean_text(fix)
    if _is_api(request):
        return SafeJSONResponse({"error": key, "message": message, "field": clean_text(field),
                                 "fix": fix}, status_code=status)
    from .context import Ctx, render

    ctx = Ctx(request, request.app.state.config, lang, Actor(role="anonymous"), "", False, False)
    return render(ctx, "error.html", status_code=status, message=message, fix=fix)


def create_app(config: WebConfig | None = None) -> FastAPI:
    from ..store.db import Database
    from .routes import routers

    config = config or WebConfig()
    db = Database(config.database_url, pool_size=config.pool_size)
    if config.check_migrations:
        db.require_current()
    app = FastAPI(title="xiabo", version=_version(),
                  description="下播 xiabo: cases, plans (xiabo.plan/1), progress and re-planning.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.config = config
    app.state.db = db
    if config.secret is None:
        from .secret import load_secret

        config.secret = load_secret()
    app.state.secret = config.secret
    app.state.allowed_hosts = set(config.allowed_hosts) if config.allowed_hosts else None
    app.add_middleware(_Limits, max_body=config.max_upload_bytes,
                       allowed_hosts=app.state.allowed_hosts,
                       max_api_body=config.max_api_json_bytes)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for router in routers():
        app.include_router(router)

    from .auth.pairing import PairingRequired

    @app.exception_handler(PairingRequired)
    async def _pair(request: Request, exc: PairingRequired):
        from .context import Ctx, render

        if _is_api(request):
            return _error_page(request, 401, "reach.pair.needed")
        ctx = Ctx(request, request.app.state.config, _lang_of(request), Actor(role="anonymous"),
                  "", False, False)
        return render(ctx, "pair.html", status_code=401, token="", state="needed")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        if _is_api(request):
            return _error_page(request, 401, "web.errors.login_required")
        from urllib.parse import quote

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden):
        return _error_page(request, 403, exc.key)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed):
        return _error_page(request, 403, "web.errors.csrf", fix=t("web.errors.csrf_fix",
                                                                     _lang_of(request)))

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound):
        return _error_page(request, 404, exc.key, exc.params)

    @app.exception_handler(RateLimited)
    async def _limited(request: Request, exc: RateLimited):
        return _error_page(request, 429, exc.key, exc.params)

    @app.exception_handler(UserError)
    async def _user_error(request: Request, exc: UserError):
        lang = _lang_of(request)
        params = exc.params or {}
        fix = t(exc.fix_key, lang, **params) if exc.fix_key else None
        return _error_page(request, 422, exc.key, params, fix, exc.field)

    from . import failures

    failures.install(app)  # 422 shape for body and parse errors, 503 for operational ones

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge):
        if not exc.limit:
            return _error_page(request, 413, "web.errors.too_large")
        key, values = _too_large_message(exc.api, exc.limit, exc.size)
        lang = _lang_of(request)
        return _error_page(request, 413, key, values, fix=t(key + "_fix", lang, **values))

    @app.exception_handler(404)
    async def _missing(request: Request, exc):
        return _error_page(request, 404, "web.errors.page_not_found")

    return app


def _version() -> str:
    from .. import __version__

    return __version__
