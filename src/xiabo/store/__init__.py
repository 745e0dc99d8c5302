"""The store: cases, their plans and progress, users and the audit log (SQLite or PostgreSQL).

    from xiabo.store import Database, cases
    db = Database()            # XIABO_DATABASE_URL or the SQLite file in the data directory
    db.upgrade()               # Alembic migrations (``xiabo db upgrade``)
    case = cases.create_case(db, profile_dict, today=date.today())
"""

from __future__ import annotations

from .db import Database, database_url

__all__ = ["Database", "database_url"]
