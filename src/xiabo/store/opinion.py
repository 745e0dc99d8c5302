"""The web's record of opinion imports: who brought which export into a case, and what it gave.

The messages themselves stay in the case's opinion store (one SQLite file in the case folder,
the same format ``xiabo opinion`` uses beside a profile), so the web and the CLI share the
ingest, the analysis and the reports; the store keeps the list of imports the case page shows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow

__all__ = ["OpinionImport", "imports", "record_import"]


class OpinionImport(Base):
    __tablename__ = "opinion_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def record_import(db, case_id: int, name: str, sha256: str, rows: int, added: int) -> None:
    with db.write() as session:
        session.add(OpinionImport(case_id=case_id, name=name[:200], sha256=sha256, rows=rows,
                                  added=added, imported_at=utcnow()))


def imports(db, case_id: int, limit: int = 10) -> list[OpinionImport]:
    """The case's latest imports, newest first."""
    with db.read() as session:
        rows = session.execute(select(OpinionImport).where(OpinionImport.case_id == case_id)
                               .order_by(OpinionImport.id.desc()).limit(limit)).scalars().all()
        session.expunge_all()
        return list(rows)
