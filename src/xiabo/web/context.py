"""Per-request context: language, who is asking (actor), CSRF token; and page rendering.

Single-user mode (loopback, no users): the actor is the local user, an admin. Agency mode: the
session cookie names a user, or the request is refused. Every form carries a CSRF token bound
to the session: an HMAC, with the server secret (web/secret.py), of the session in agency mode,
or of a random per-browser cookie otherwise (and on the login form). A cookie planted from
another site or port is useless without the secret.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..i18n import lookup, normalise_lang, t
from ..store.cases import Actor
from .config import WebConfig
from .errors import CsrfFailed, Forbidden, LoginRequired

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "Ctx",
    "check_csrf",
    "get_ctx",
    "get_ctx_optional",
    "render",
    "require_role",
]

SESSION_COOKIE = "xiabo_session"
CSRF_COOKIE = "xiabo_csrf"
LANG_COOKIE = "xiabo_lang"
TEMPLATES = Path(__file__).parent / "templates"

_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        _ENV = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                           autoescape=select_autoescape(["html", "svg", "xml"],
                                                        default_for_string=True),
                           trim_blocks=True, lstrip_blocks=True, auto_reload=False)
        _ENV.globals["field_words"] = _field_words
    return _ENV


_LANG_ENVS: dict = {}
# a label written as ``{{ L["key"] }}`` or ``{{ _("key") }}`` (a literal key, no values)
_CONSTANT = re.compile(r"""\{\{\s*(?:L\[\s*"([a-z0-9_.]+)"\s*\]|_\(\s*"([a-z0-9_.]+)"\s*\))\s*\}\}""")


def _lang_env(lang: str):
    """The templates of one language, its fixed labels written in when a template is loaded:
    a case page has about a hundred, each a lookup and an escape on every view otherwise.
    Shares the globals of ``_env()`` (an overlay), not its compiled templates."""
    env = _LANG_ENVS.get(lang)
    if env is None:
        base = _env()
        env = base.overlay(loader=_labels_written(base.loader, lang))
        _LANG_ENVS[lang] = env
    return env


def _labels_written(inner, lang: str):
    """A template loader that writes ``lang``'s fixed labels into the source (jinja2 is
    imported here, when the first page renders, as in ``_env``)."""
    from jinja2 import BaseLoader
    from markupsafe import escape

    def label(m: re.Match) -> str:
        text = str(escape(_plain(m.group(1) or m.group(2), lang)))
        return text if "{" not in text and "}" not in text and "#" not in text \
            else "{% raw %}" + text + "{% endraw %}"

    class LabelsWritten(BaseLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = inner.get_source(environment, template)
            return _CONSTANT.sub(label, source), filename, uptodate

        def list_templates(self):
            return inner.list_templates()

    return LabelsWritten()


def _field_words(path: str | None, lang: str) -> str:
    """A profile field path (``contract.non_compete_months``) as the words a person uses."""
    from ..roadmap.domain import field_label

    if not path or path == "-":
        return ""
    return field_label(tuple(path.split(".")), lang)


@dataclass
class Ctx:
    request: Request
    config: WebConfig
    lang: str
    actor: Actor
    csrf: str
    new_csrf_cookie: bool = False
    set_lang_cookie: bool = False
    extra: dict = field(default_factory=dict)
    csrf_nonce: str = ""  # the browser's random cookie the anonymous token is bound to

    @property
    def today(self) -> date:
        return self.config.today()

    @property
    def db(self):
        return self.request.app.state.db

    def _(self, key: str, /, **params: Any) -> str:
        """A web.* message (or another domain's, when the key has a known domain)."""
        if not params:
            return _plain(key, self.lang)
        full = key if key.split(".", 1)[0] in _DOMAINS else f"web.{key}"
        return t(full, self.lang, **params)

    def has(self, key: str) -> bool:
        return lookup(key, self.lang) is not None or lookup(key, "zh") is not None

    def url_lang(self, lang: str) -> str:
        """The current URL with ``lang`` switched."""
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        params.append(("lang", lang))
        return self.request.url.path + "?" + urlencode(params)


_DOMAINS = {"web", "phone", "reach", "plan", "profile", "errors", "rules", "init", "backup", "tasks",
            "export", "tax", "evidence", "blockers", "warnings", "cli", "replan", "letters",
            "security", "inputs", "jobs", "dispute"}


class Labels(dict):
    """``L["case.note"]`` in templates: a translated label, looked up once per language."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, key: str) -> str:
        value = _plain(key, self.lang)
        self[key] = value
        return value


_LABELS = {lang: Labels(lang) for lang in ("zh", "en")}


@lru_cache(maxsize=4096)
def _plain(key: str, lang: str) -> str:
    full = key if key.split(".", 1)[0] in _DOMAINS else f"web.{key}"
    return t(full, lang)


def _lang(request: Request) -> tuple[str, bool]:
    query = request.query_params.get("lang")
    if query:
        return normalise_lang(query), True
    return normalise_lang(request.cookies.get(LANG_COOKIE)), False


def _resolve(request: Request, required: bool) -> Ctx:
    from .secret import csrf_token

    config: WebConfig = request.app.state.config
    secret: bytes = request.app.state.secret
    lang, set_lang = _lang(request)
    nonce = request.cookies.get(CSRF_COOKIE)
    new_cookie = not nonce or len(nonce) > 100
    if new_cookie:
        nonce = secrets.token_urlsafe(32)
    anonymous_token = csrf_token(secret, "a", nonce)
    if not config.auth:
        if config.lan:  # other devices on the network must be paired phones
            from .auth.pairing import phone_actor

            phone = phone_actor(request, required)
            if phone is not None:
                return Ctx(request, config, lang, phone[0], phone[1], False, set_lang)
        return Ctx(request, config, lang, Actor(), anonymous_token, new_cookie, set_lang,
                   csrf_nonce=nonce)
    from ..store.users import actor_for, session_user

    cookie = request.cookies.get(SESSION_COOKIE)
    info = session_user(request.app.state.db, cookie)
    if info is None:
        if required:
            raise LoginRequired()
        return Ctx(request, config, lang, Actor(role="anonymous"), anonymous_token, new_cookie,
                   set_lang, csrf_nonce=nonce)
    bound = csrf_token(secret, "s", hashlib.sha256(cookie.encode("utf-8")).hexdigest())
    return Ctx(request, config, lang, actor_for(info.user), bound, False, set_lang)


async def get_ctx(request: Request) -> Ctx:
    """FastAPI dependency: a logged-in (or local) actor; LoginRequired otherwise.

    Async on purpose: the session check is an in-memory hit or one short read, cheaper than a
    hop to the thread pool.
    """
    return _resolve(request, True)


async def get_ctx_optional(request: Request) -> Ctx:
    """For the login page: an anonymous actor is fine."""
    return _resolve(request, False)


def require_role(ctx: Ctx, *roles: str) -> None:
    if ctx.actor.role not in roles:
        raise Forbidden()


def check_csrf(ctx: Ctx, token: str | None) -> None:
    """Refuse a form whose token does not match (constant-time)."""
    expected = ctx.csrf
    if ctx.new_csrf_cookie and (ctx.actor.local or ctx.actor.role == "anonymous"):
        raise CsrfFailed()  # no cookie came with the form: it was not our page
    if not token or not secrets.compare_digest(str(token), expected):
        raise CsrfFailed()


def set_cookies(ctx: Ctx, response) -> None:
    secure = ctx.config.secure_cookies
    if secure is None:
        secure = ctx.request.url.scheme == "https"
    if ctx.new_csrf_cookie and ctx.csrf_nonce:
        response.set_cookie(CSRF_COOKIE, ctx.csrf_nonce, httponly=True, samesite="lax",
                            secure=secure, path="/")
    if ctx.set_lang_cookie:
        response.set_cookie(LANG_COOKIE, ctx.lang, httponly=True, samesite="lax", secure=secure,
                            max_age=365 * 86400, path="/")


def render(ctx: Ctx, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    from .features import features

    html = _lang_env(ctx.lang).get_template(template).render(
        ctx=ctx, _=ctx._, L=_LABELS[ctx.lang], lang=ctx.lang, actor=ctx.actor, csrf=ctx.csrf,
        features=features(), Markup=Markup, **values)
    response = HTMLResponse(html, status_code=status_code)
    set_cookies(ctx, response)
    return response
