"""Settings of one web app instance (kept apart so tests and ``serve`` build them alike)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

__all__ = ["LOOPBACK", "WebConfig"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class WebConfig:
    database_url: str | None = None  # None: XIABO_DATABASE_URL or the SQLite file
    auth: bool = False  # login required (agency mode)
    today: Callable[[], date] = field(default=date.today)
    max_upload_bytes: int = 20 * 1024 * 1024  # one request body
    max_api_json_bytes: int = 1024 * 1024  # one JSON body of /api/ (uploads keep the above)
    max_import_rows: int = 5000
    secure_cookies: bool | None = None  # None: Secure when the request came over https
    check_migrations: bool = True
    pool_size: int = 10
    # Host names the server answers to (None: any). Single-user mode on loopback sets the
    # loopback names, so a web page on a DNS-rebound domain cannot read the local pages.
    allowed_hosts: tuple[str, ...] | None = None
    # Key of the CSRF HMACs (None: read or make web/secret.py's file in the data folder).
    secret: bytes | None = None
    # ``serve --lan``: other devices must be paired phones (web/auth/pairing.py); links and the
    # calendar feed use ``base_url`` when set (else the address the request came to)
    lan: bool = False
    base_url: str | None = None
    clock: Callable[[], datetime] = field(default=utcnow)
