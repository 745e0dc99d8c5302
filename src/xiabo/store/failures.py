"""Operational failures (read-only store, full disk, database gone) as messages, not crashes.

The web answers them with a 503 page or JSON saying what to do; the CLI prints the same words
and exits 2. Integrity errors (a duplicate row) become a plain 409-style refusal.
"""

from __future__ import annotations

import errno

from ..errors import UserError

__all__ = ["Conflict", "ServiceUnavailable", "classify"]


class ServiceUnavailable(UserError):
    """The store or the disk cannot do the work right now (HTTP 503, exit 2)."""


class Conflict(UserError):
    """The request clashes with what is stored (a duplicate; HTTP 409, exit 2)."""


_READ_ONLY = ("readonly database", "read-only", "read only", "attempt to write a readonly",
              "permission denied", "cannot start a transaction within a read-only")
_FULL = ("disk is full", "no space left", "database or disk is full", "disk full",
         "could not extend file")
_GONE = ("unable to open database", "connection refused", "could not connect",
         "server closed the connection", "connection is closed", "terminating connection",
         "the database system is", "no such host", "name or service not known",
         "connection timed out", "timeout expired", "disk i/o error", "database disk image",
         "file is not a database", "does not exist", "connection to server")
_LOCKED = ("database is locked", "database table is locked", "deadlock",
           "could not obtain lock", "queuepool limit")


def _text(exc: BaseException) -> str:
    return " ".join(str(a) for a in (exc, getattr(exc, "orig", None)) if a).lower()


def classify(exc: BaseException) -> UserError | None:
    """The message for an operational failure ``exc``; None for anything else (a bug)."""
    from sqlalchemy import exc as sa_exc

    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, sa_exc.IntegrityError):
        return Conflict("security.ops.conflict", fix_key="security.ops.conflict_fix")
    if isinstance(exc, OSError) and not isinstance(exc, (sa_exc.SQLAlchemyError,)):
        code = exc.errno
        if code in (errno.ENOSPC, errno.EDQUOT):
            return _unavailable("disk_full")
        if code in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _unavailable("read_only")
        if code == errno.EIO:
            return _unavailable("db_gone")
        return None
    if isinstance(exc, sa_exc.TimeoutError):
        return _unavailable("busy")
    if isinstance(exc, (sa_exc.OperationalError, sa_exc.InterfaceError,
                        sa_exc.DisconnectionError, sa_exc.InternalError)) or \
            (isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated):
        text = _text(exc)
        for words, kind in ((_FULL, "disk_full"), (_READ_ONLY, "read_only"),
                            (_LOCKED, "busy"), (_GONE, "db_gone")):
            if any(w in text for w in words):
                return _unavailable(kind)
        return _unavailable("db_gone")
    return None


def _unavailable(kind: str) -> ServiceUnavailable:
    return ServiceUnavailable(f"security.ops.{kind}", fix_key=f"security.ops.{kind}_fix")
