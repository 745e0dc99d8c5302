"""The database: SQLite file by default, PostgreSQL via ``XIABO_DATABASE_URL``.

SQLite runs in WAL mode with a busy timeout; write transactions start with ``BEGIN IMMEDIATE``
so concurrent writers queue instead of failing half-way (PostgreSQL uses row locks instead).
Schema changes are Alembic migrations (``xiabo db upgrade``); the app refuses an unmigrated
database rather than creating tables behind the user's back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from ..errors import UserError
from . import tables as _tables  # noqa: F401 - every table registered before any query

__all__ = ["MIGRATIONS", "Database", "database_url", "default_sqlite_path"]

MIGRATIONS = Path(__file__).parent / "migrations"


def default_sqlite_path() -> Path:
    from ..paths import data_dir

    return data_dir() / "xiabo.sqlite3"


def database_url(url: str | None = None) -> str:
    """``url``, else ``XIABO_DATABASE_URL``, else the SQLite file in the data directory."""
    url = url or os.environ.get("XIABO_DATABASE_URL")
    if url:
        if url.startswith("postgres://") or url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    path = default_sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # pragma: no cover - trivial
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=15000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        options = conn.get_execution_options()
        if options.get("xiabo_single"):
            return  # Database.single_read: the statement is its own transaction
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("xiabo_write", False) else "BEGIN")


class Database:
    """An engine plus read/write session factories."""

    def __init__(self, url: str | None = None, *, echo: bool = False, pool_size: int = 10):
        self.url = database_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict = {"echo": echo, "future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = 20
        else:
            kwargs["pool_size"] = pool_size
            kwargs["max_overflow"] = 20
            kwargs["pool_pre_ping"] = False
        try:
            self.engine = create_engine(self.url, **kwargs)
        except Exception as exc:  # noqa: BLE001 - bad URL text or unknown driver
            raise UserError("web.db.bad_url", {"url": _redact(self.url), "error": str(exc)},
                            fix_key="web.db.bad_url_fix") from None
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(xiabo_write=True),
                                   expire_on_commit=False)
        # one statement outside a transaction: SQLite runs it so when no BEGIN comes (the
        # driver's own transactions are off, above); PostgreSQL's driver is put in autocommit
        # (switching SQLite's isolation level would turn its driver's transactions back on)
        self._single = self.engine.execution_options(
            **({"xiabo_single": True} if self.is_sqlite else {"isolation_level": "AUTOCOMMIT"}))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            yield session

    @contextmanager
    def single_read(self) -> Iterator[Connection]:
        """A connection for one read statement, outside any transaction: the statement sees
        one consistent state on its own, and PostgreSQL is spared the BEGIN and ROLLBACK
        round trips (the case page's load 1.8 -> 0.8 ms there). Not for several statements
        that must agree with each other: use ``read``."""
        with self._single.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success; writers on one case serialise."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()

    # -- migrations -------------------------------------------------------------------
    def alembic_config(self):
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        cfg.attributes["engine"] = self.engine
        return cfg

    def head_revision(self) -> str | None:
        """The newest revision; several feature branches read as their ids joined by ``+``."""
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory.from_config(self.alembic_config()).get_heads()
        return "+".join(sorted(heads)) or None

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        try:
            with self.engine.connect() as conn:
                heads = MigrationContext.configure(conn).get_current_heads()
                return "+".join(sorted(heads)) or None
        except Exception as exc:  # noqa: BLE001 - a boundary: report, never crash
            raise UserError("web.db.unreachable", {"url": _redact(self.url),
                                                    "error": str(exc).splitlines()[0]},
                            fix_key="web.db.unreachable_fix") from None

    def upgrade(self, revision: str = "heads") -> tuple[str | None, str | None]:
        """Apply migrations; returns (before, after) revisions."""
        from alembic import command

        before = self.current_revision()
        command.upgrade(self.alembic_config(), revision)
        return before, self.current_revision()

    def require_current(self) -> None:
        """Raise UserError (exit 2) when the schema is not at the newest migration."""
        current, head = self.current_revision(), self.head_revision()
        if current != head:
            raise UserError("web.db.not_migrated", {"url": _redact(self.url),
                                                     "current": current or "-", "head": head},
                            fix_key="web.db.not_migrated_fix")


def _redact(url: str) -> str:
    """The URL without its password (for messages)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a boundary: report, never crash
        return "<database>"
