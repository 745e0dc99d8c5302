"""Users, login sessions, login rate limits, and the audit log reader.

Passwords are argon2id hashes (argon2-cffi). A session cookie carries a random token; the
database stores only its SHA-256, so a leaked database does not leak live sessions.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock
from time import monotonic

from sqlalchemy import delete, func, select, text, update

from ..errors import UserError
from .cases import Actor, audit
from .db import Database
from .models import ROLES, AuditEntry, Case, LoginAttempt, User, WebSession, utcnow

__all__ = [
    "FAIL_WINDOW",
    "MAX_FAILS_PER_IP",
    "MAX_FAILS_PER_NAME",
    "MAX_PAIR_FAILS_PER_IP",
    "pair_attempt",
    "attempt_succeeded",
    "SESSION_TTL",
    "RateLimited",
    "actor_for",
    "add_user",
    "audit_entries",
    "authenticate",
    "create_session",
    "end_session",
    "get_user",
    "hash_password",
    "list_operators",
    "list_users",
    "remove_user",
    "session_user",
    "set_password",
    "user_count",
    "verify_password",
]

SESSION_TTL = timedelta(hours=12)
FAIL_WINDOW = timedelta(minutes=15)
MAX_FAILS_PER_NAME = 5
MAX_FAILS_PER_IP = 30
MAX_PAIR_FAILS_PER_IP = 10  # a pairing link is 256 random bits: a phone needs one try, not ten

_HASHER = None


def _hasher():
    global _HASHER
    if _HASHER is None:
        from argon2 import PasswordHasher

        _HASHER = PasswordHasher()
    return _HASHER


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY_HASH: str | None = None


def _dummy_verify(password: str) -> None:
    """Spend the same time for an unknown user as for a wrong password."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    verify_password(_DUMMY_HASH, password)


def actor_for(user: User) -> Actor:
    return Actor(id=user.id, name=user.name, role=user.role, case_id=user.case_id)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise UserError("web.users.bad_name", {"name": name}, field="name",
                        fix_key="web.users.bad_name_fix")
    return name


def _check_password(password: str, name: str | None = None) -> None:
    from .passwords import check_password

    check_password(password, name)


def add_user(db: Database, name: str, role: str, password: str, *,
             case_ids: list[int] | None = None, actor: Actor | None = None) -> User:
    """A new user. A streamer needs exactly one case; an operator is assigned ``case_ids``."""
    name = _check_name(name)
    if role not in ROLES:
        raise UserError("web.users.bad_role", {"role": role, "choices": ", ".join(ROLES)},
                        field="role", fix_key="web.users.bad_role_fix")
    _check_password(password, name)
    case_ids = list(case_ids or [])
    if role in ("streamer", "adviser") and len(case_ids) != 1:
        raise UserError("web.users.streamer_case", field="case",
                        fix_key="web.users.streamer_case_fix")
    if role == "admin" and case_ids:
        raise UserError("web.users.admin_case", field="case", fix_key="web.users.admin_case_fix")
    hashed = hash_password(password)
    with db.write() as s:
        if s.execute(select(User.id).where(User.name == name)).first():
            raise UserError("web.users.exists", {"name": name}, field="name",
                            fix_key="web.users.exists_fix")
        for cid in case_ids:
            if s.get(Case, cid) is None:
                raise UserError("web.errors.case_not_found", {"id": cid}, field="case",
                                fix_key="web.users.case_fix")
        user = User(name=name, role=role, password_hash=hashed,
                    case_id=case_ids[0] if role in ("streamer", "adviser") else None, disabled=False,
                    created_at=utcnow())
        s.add(user)
        s.flush()
        if role == "operator":
            for cid in case_ids:
                case = s.get(Case, cid)
                case.operator_id, case.updated_at = user.id, utcnow()
        _OPERATORS.pop(db.url, None)
        audit(s, actor, "user.add", case_ids[0] if role in ("streamer", "adviser") else None, name=name,
              role=role, cases=case_ids)
    return user


def list_users(db: Database) -> list[User]:
    with db.read() as s:
        return list(s.execute(select(User).order_by(User.name)).scalars())


def user_cases(db: Database) -> dict[int, list[str]]:
    """Each user's cases by name: an operator's assigned cases, a streamer's own case."""
    out: dict[int, list[str]] = {}
    with db.read() as s:
        for op, name in s.execute(select(Case.operator_id, Case.name)
                                  .where(Case.operator_id.is_not(None)).order_by(Case.name)):
            out.setdefault(op, []).append(name)
        for uid, name in s.execute(select(User.id, Case.name)
                                   .join(Case, Case.id == User.case_id)):
            out.setdefault(uid, []).append(name)
    return out


_OPERATORS: dict[str, tuple[float, list]] = {}


def list_operators(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every operator, for the pages' pickers (re-read every few seconds)."""
    now = monotonic()
    hit = _OPERATORS.get(db.url)
    if hit is not None and now - hit[0] < SESSION_RECHECK:
        return hit[1]
    with db.read() as s:
        rows = [(i, n) for i, n in s.execute(select(User.id, User.name)
                                             .where(User.role == "operator").order_by(User.name))]
    _OPERATORS[db.url] = (now, rows)
    return rows


def user_count(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(User)).scalar_one()


def get_user(db: Database, name: str) -> User | None:
    with db.read() as s:
        return s.execute(select(User).where(User.name == name)).scalar_one_or_none()


def set_password(db: Database, name: str, password: str, *, actor: Actor | None = None) -> None:
    _check_password(password, name)
    hashed = hash_password(password)
    with db.write() as s:
        user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
        if user is None:
            raise UserError("web.users.unknown", {"name": name}, field="name")
        user.password_hash = hashed
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))
        _forget(user_id=user.id)
        audit(s, actor, "user.password", None, name=name)


def remove_user(db: Database, name: str, *, actor: Actor | None = None) -> None:
    with db.write() as s:
        user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
        if user is None:
            raise UserError("web.users.unknown", {"name": name}, field="name")
        s.execute(delete(WebSession).where(WebSession.user_id == user.id))
        _forget(user_id=user.id)
        for case in s.execute(select(Case).where(Case.operator_id == user.id)).scalars():
            case.operator_id, case.updated_at = None, utcnow()
        s.delete(user)
        _OPERATORS.pop(db.url, None)
        audit(s, actor, "user.remove", None, name=name)


class RateLimited(UserError):
    """Too many failed logins for this name or address; wait and try again."""


def authenticate(db: Database, name: str, password: str, ip: str) -> User | None:
    """The user if the password is right. Raises RateLimited after too many failures.

    The attempt is recorded (as a failure) in the same transaction that counts the earlier
    ones, under a lock on the name and address, before the password is checked; a right
    password then turns it into a success. Simultaneous guesses therefore queue on the lock
    and at most the configured number of them ever reach the password check.
    """
    name = (name or "").strip()[:100]
    keys = (f"name:{name.lower()}"[:200], f"ip:{ip}"[:200])
    ids, user = _begin_attempt(db, keys, name)
    if user is None or user.disabled:
        _dummy_verify(password or "")
        ok = False
    else:
        ok = verify_password(user.password_hash, password or "")
    with db.write() as s:
        if ok:
            s.execute(update(LoginAttempt).where(LoginAttempt.id.in_(ids)).values(ok=True))
            audit(s, actor_for(user), "login", None)
        else:
            audit(s, None, "login.failed", None, name=name, ip=ip)
    return user if ok else None


def _begin_attempt(db: Database, keys: tuple[str, str], name: str) -> tuple[list[int], User | None]:
    """Count recent failures and record this attempt in one locked transaction."""
    with db.write() as s:
        ids = _count_and_record(s, db, dict(zip(keys, (MAX_FAILS_PER_NAME, MAX_FAILS_PER_IP),
                                                strict=True)), "web.login.rate_limited")
        user = s.execute(select(User).where(User.name == name)).scalar_one_or_none()
        return ids, user


def _count_and_record(s, db: Database, limits: dict[str, int], key: str) -> list[int]:
    """Refuse when a key has ``limit`` recent failures; else record this attempt (failed)."""
    now = utcnow()
    since = now - FAIL_WINDOW
    if db.dialect == "postgresql":  # SQLite's BEGIN IMMEDIATE already serialises writers
        for k in sorted(limits):
            s.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": k})
    for k, limit in limits.items():
        fails = s.execute(select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.key == k, LoginAttempt.at >= since,
            LoginAttempt.ok.is_(False))).scalar_one()
        if fails >= limit:
            raise RateLimited(key, {"minutes": int(FAIL_WINDOW.seconds / 60)})
    rows = [LoginAttempt(key=k, at=now, ok=False) for k in limits]
    s.add_all(rows)
    s.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 4 * FAIL_WINDOW))
    s.flush()
    return [r.id for r in rows]


def pair_attempt(db: Database, ip: str) -> list[int]:
    """Record a pairing attempt from ``ip`` (as failed until :func:`attempt_succeeded`); raise
    RateLimited after ``MAX_PAIR_FAILS_PER_IP`` failures in the window, like the login."""
    with db.write() as s:
        return _count_and_record(s, db, {f"pair:{ip}"[:200]: MAX_PAIR_FAILS_PER_IP},
                                 "reach.pair.rate_limited")


def attempt_succeeded(db: Database, ids: list[int]) -> None:
    with db.write() as s:
        s.execute(update(LoginAttempt).where(LoginAttempt.id.in_(ids)).values(ok=True))


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(db: Database, user: User) -> tuple[str, str]:
    """(cookie token, csrf token) of a new session for ``user``."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    with db.write() as s:
        s.add(WebSession(id=_token_id(token), user_id=user.id, csrf=csrf, created_at=now,
                         expires_at=now + SESSION_TTL))
        s.execute(delete(WebSession).where(WebSession.expires_at < now))
    return token, csrf


@dataclass
class SessionInfo:
    user: User
    csrf: str
    expires_at: datetime


# token id -> (checked at, SessionInfo | None): saves a query per request. A session ended
# or a password changed in this process is dropped at once; in another worker process it
# lingers at most SESSION_RECHECK seconds.
SESSION_RECHECK = 5.0
_SESSIONS: dict[str, tuple[float, SessionInfo | None]] = {}
_SESSIONS_LOCK = Lock()


def _forget(user_id: int | None = None, token_id: str | None = None) -> None:
    with _SESSIONS_LOCK:
        if token_id is not None:
            _SESSIONS.pop(token_id, None)
        if user_id is not None:
            for key, (_, info) in list(_SESSIONS.items()):
                if info is not None and info.user.id == user_id:
                    _SESSIONS.pop(key, None)


def session_user(db: Database, token: str | None) -> SessionInfo | None:
    if not token or len(token) > 200:
        return None
    tid = _token_id(token)
    now = monotonic()
    with _SESSIONS_LOCK:
        hit = _SESSIONS.get(tid)
    if hit is not None and now - hit[0] < SESSION_RECHECK and hit[1] is not None:
        info = hit[1]
        return info if info.expires_at >= utcnow() else None
    with db.read() as s:
        row = s.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                        .where(WebSession.id == tid)).first()
    if row is None:
        return None
    sess, user = row
    if sess.expires_at < utcnow() or user.disabled:
        return None
    info = SessionInfo(user=user, csrf=sess.csrf, expires_at=sess.expires_at)
    with _SESSIONS_LOCK:
        if len(_SESSIONS) > 10000:
            _SESSIONS.clear()
        _SESSIONS[tid] = (now, info)
    return info


def end_session(db: Database, token: str | None) -> None:
    if not token:
        return
    _forget(token_id=_token_id(token))
    with db.write() as s:
        s.execute(delete(WebSession).where(WebSession.id == _token_id(token)))


def audit_entries(db: Database, *, page: int = 1, per_page: int = 100,
                  case_id: int | None = None) -> tuple[list[dict], int]:
    with db.read() as s:
        q = select(AuditEntry)
        cq = select(func.count()).select_from(AuditEntry)
        if case_id is not None:
            q = q.where(AuditEntry.case_id == case_id)
            cq = cq.where(AuditEntry.case_id == case_id)
        total = s.execute(cq).scalar_one()
        rows = s.execute(q.order_by(AuditEntry.id.desc()).limit(per_page)
                         .offset((max(page, 1) - 1) * per_page)).scalars().all()
    return [{"id": r.id, "at": r.at, "user": r.user_name, "case_id": r.case_id,
             "action": r.action, "detail": json.loads(r.detail or "{}")} for r in rows], total

