"""Opinion monitoring in the store: the imports, the messages and the keyword counts per case.

Why in the main database: an agency runs the web on PostgreSQL (or one SQLite file) and backs up
that one database; a case's comments belong there, next to its plan, not in a side file in the
case folder. The rows are the CLI store's (``xiabo.opinion.store``) with a case id in front:
a message per content hash (unique per case, so the same export twice adds nothing), keyword
counts per case and day (kept as messages arrive: tokenising a million texts at report time
would take minutes), and indexes that serve the per-day and per-hour aggregates and the loudest
negative messages. ``xiabo.cases.opinion_store`` reads and writes them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    event,
    exists,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session

from .models import Base, Case, utcnow

__all__ = ["OpinionImport", "OpinionMessage", "OpinionTerm", "case_engine", "imports",
           "opinion_stamp", "record_import", "stamp_columns"]


class OpinionImport(Base):
    """One export brought into a case: its name, content hash, rows read and messages added."""

    __tablename__ = "opinion_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class OpinionMessage(Base):
    """One comment, 弹幕 or Weibo message of a case (Beijing day and hour, sentiment -1/0/1)."""

    __tablename__ = "opinion_messages"

    # (hash, case_id): "which of these hashes are stored" searches by hash alone
    hash: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    ts: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date] = mapped_column(Date)
    hour: Mapped[int] = mapped_column(SmallInteger)
    source: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    replies: Mapped[int] = mapped_column(BigInteger, default=0)
    sentiment: Mapped[int] = mapped_column(SmallInteger)
    score: Mapped[float] = mapped_column(Float)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("opinion_imports.id", ondelete="SET NULL"), nullable=True)

    __table_args__ = (
        Index("ix_opinion_messages_day", "case_id", "day", "sentiment"),
        Index("ix_opinion_messages_hour", "case_id", "day", "hour", "sentiment"),
        Index("ix_opinion_messages_likes", "case_id", "sentiment", "likes"),
        Index("ix_opinion_messages_replies", "case_id", "sentiment", "replies"),
        Index("ix_opinion_messages_import_id", "import_id"),
    )


class OpinionTerm(Base):
    """How many of a case's messages of one day contain a keyword (and how many are negative)."""

    __tablename__ = "opinion_terms"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    neg: Mapped[int] = mapped_column(Integer)


ENGINE_KEY = "_xiabo_engine"


@event.listens_for(Case, "load")
def _remember_engine(case: Case, context) -> None:
    """A case remembers the database it came from, so its plan can read its opinion data
    after the session that loaded it has closed (``case_engine``)."""
    session = getattr(context, "session", None)
    if session is not None and session.bind is not None:
        case.__dict__[ENGINE_KEY] = session.bind


def case_engine(case: Case):
    """The engine ``case`` was loaded from (None for a case never stored)."""
    session = object_session(case)
    if session is not None and session.bind is not None:
        return session.bind
    return case.__dict__.get(ENGINE_KEY)


def stamp_columns(case_id) -> tuple:
    """(newest import id, messages added, any message) of a case: changes with every ingest and
    when an old case folder's file is copied in (its messages may have no import row). The
    opinion facts' cache key; ``case_id`` is a number, or ``Case.id`` inside a case query."""
    return (select(func.max(OpinionImport.id)).where(OpinionImport.case_id == case_id)
            .scalar_subquery(),
            select(func.sum(OpinionImport.added)).where(OpinionImport.case_id == case_id)
            .scalar_subquery(),
            exists().where(OpinionMessage.case_id == case_id))


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


def opinion_stamp(db, case_id: int) -> tuple:
    """``stamp_columns`` of one case, asked on its own (a case loaded without satellites)."""
    with db.engine.connect() as conn:
        newest, added, rows = conn.execute(select(*stamp_columns(case_id))).one()
    return newest, added, bool(rows)
