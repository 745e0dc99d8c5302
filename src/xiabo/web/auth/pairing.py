"""Pairing a phone with one case: one-time links (shown as a QR code) and phone sessions.

In single-user mode with ``xiabo serve --lan`` the computer's pages stay open to the computer
itself (loopback); every other address must be a paired phone. A pairing link works once and
only until it expires; the phone that opens it gets a session cookie that sees its own case
and nothing else. The store keeps SHA-256 digests of links and sessions, never the tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, select, update

from ..errors import LoginRequired

__all__ = [
    "PairingRequired",
    "PhoneInfo",
    "end_phone_session",
    "is_loopback",
    "on_this_computer",
    "new_link",
    "phone_count",
    "phone_session",
    "redeem",
    "revoke_phones",
    "settings",
]

_SETTINGS = Path(__file__).with_name("pairing.yaml")
_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class PairingRequired(LoginRequired):
    """A request from another device that is not a paired phone (single-user LAN mode)."""


@dataclass(frozen=True)
class PhoneInfo:
    case_id: int
    csrf: str


@lru_cache(maxsize=1)
def settings() -> dict:
    """Link lifetime, session lifetime and cookie name (web/auth/pairing.yaml)."""
    import yaml

    data = yaml.safe_load(_SETTINGS.read_text(encoding="utf-8"))
    return {"link_minutes": int(data["pairing_link_minutes"]),
            "session_days": int(data["phone_session_days"]), "cookie": str(data["cookie"])}


def is_loopback(host: str | None) -> bool:
    """True for this computer itself (127.0.0.0/8, ::1)."""
    if not host:
        return False
    return host in _LOOPBACK_HOSTS or host.startswith("127.") or host == "::ffff:127.0.0.1"


def on_this_computer(request) -> bool:
    """The request comes from this computer itself: loopback, or its own LAN address."""
    host = request.client.host if request.client else None
    server = (request.scope.get("server") or (None,))[0]
    return is_loopback(host) or (host is not None and host == server)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _naive(now: datetime) -> datetime:
    """Naive UTC, like every timestamp in the store."""
    if now.tzinfo is not None:
        from datetime import UTC

        now = now.astimezone(UTC).replace(tzinfo=None)
    return now


def new_link(db, case_id: int, now: datetime, minutes: int | None = None
             ) -> tuple[str, datetime]:
    """A fresh one-time pairing token for ``case_id`` and when it expires."""
    from ...store.cases import NotFound, audit
    from ...store.models import Case, PairingLink

    now = _naive(now)
    expires = now + timedelta(minutes=minutes or settings()["link_minutes"])
    token = secrets.token_urlsafe(24)
    with db.write() as s:
        if s.get(Case, case_id) is None:
            raise NotFound("web.errors.case_not_found", {"id": case_id})
        s.execute(delete(PairingLink).where(PairingLink.expires_at < now))
        s.add(PairingLink(id=_digest(token), case_id=case_id, created_at=now,
                          expires_at=expires, used_at=None))
        audit(s, None, "phone.link", case_id)
    return token, expires


def redeem(db, token: str, now: datetime) -> tuple[str, PhoneInfo] | None:
    """Use a pairing link once: (session cookie token, info), or None (unknown, used, expired)."""
    from ...store.cases import audit
    from ...store.models import PairingLink, PhoneSession

    if not token or len(token) > 200:
        return None
    now = _naive(now)
    digest = _digest(token)
    with db.write() as s:
        # one atomic claim: of two phones racing for one link, exactly one wins
        claimed = s.execute(update(PairingLink)
                            .where(PairingLink.id == digest, PairingLink.used_at.is_(None),
                                   PairingLink.expires_at > now)
                            .values(used_at=now)).rowcount
        if claimed != 1:
            return None
        case_id = s.execute(select(PairingLink.case_id)
                            .where(PairingLink.id == digest)).scalar_one()
        session, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        s.add(PhoneSession(id=_digest(session), case_id=case_id, csrf=csrf, created_at=now,
                           expires_at=now + timedelta(days=settings()["session_days"])))
        audit(s, None, "phone.paired", case_id)
    return session, PhoneInfo(case_id, csrf)


def phone_session(db, token: str | None, now: datetime) -> PhoneInfo | None:
    """The paired phone behind a session cookie, or None."""
    from ...store.models import PhoneSession

    if not token or len(token) > 200:
        return None
    with db.read() as s:
        row = s.execute(select(PhoneSession.case_id, PhoneSession.csrf, PhoneSession.expires_at)
                        .where(PhoneSession.id == _digest(token))).first()
    if row is None or row.expires_at <= _naive(now):
        return None
    return PhoneInfo(row.case_id, row.csrf)


def end_phone_session(db, token: str | None) -> None:
    from ...store.models import PhoneSession

    if token and len(token) <= 200:
        with db.write() as s:
            s.execute(delete(PhoneSession).where(PhoneSession.id == _digest(token)))


def phone_count(db, case_id: int, now: datetime) -> int:
    from sqlalchemy import func

    from ...store.models import PhoneSession

    with db.read() as s:
        return s.execute(select(func.count()).select_from(PhoneSession)
                         .where(PhoneSession.case_id == case_id,
                                PhoneSession.expires_at > _naive(now))).scalar_one()


def revoke_phones(db, case_id: int) -> int:
    """Sign out every phone paired with ``case_id`` and drop its open links."""
    from ...store.cases import audit
    from ...store.models import PairingLink, PhoneSession

    with db.write() as s:
        n = s.execute(delete(PhoneSession).where(PhoneSession.case_id == case_id)).rowcount
        s.execute(delete(PairingLink).where(PairingLink.case_id == case_id))
        audit(s, None, "phone.revoked", case_id, phones=n)
    return n


def phone_actor(request, required: bool):
    """Who another device in LAN mode is: (actor, its form token), or None for the computer
    itself. A paired phone acts as the streamer of its case; anything else is refused
    (:class:`PairingRequired`) or, where a page allows it, anonymous (no token)."""
    from ...store.cases import Actor

    if on_this_computer(request):
        return None  # this computer itself (also when it uses its own LAN address)
    config = request.app.state.config
    info = phone_session(request.app.state.db, request.cookies.get(settings()["cookie"]),
                         config.clock())
    if info is None:
        if required:
            raise PairingRequired()
        return Actor(role="anonymous"), ""
    return Actor(role="streamer", case_id=info.case_id, name=None), info.csrf
