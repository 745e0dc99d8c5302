"""The letters of stored cases: their rows and documents, and the questions the dashboard and
the case page ask of them. The records are the letters toolkit's (``letters/`` beside a
profile, as JSON); ``xiabo.cases.letter_store`` turns them into the toolkit's letters.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow

__all__ = ["LetterRow", "LetterDoc", "OPEN_STATES", "letters_stamp", "overdue_letters"]


class LetterRow(Base):
    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("case_id", "letter_id", name="uq_letters_case_letter"),
                      Index("ix_letters_open_due", "state", "due"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    letter_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    state: Mapped[str] = mapped_column(String(20))
    sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    record_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LetterDoc(Base):
    __tablename__ = "letter_docs"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    letter_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    data: Mapped[bytes] = mapped_column(LargeBinary)


OPEN_STATES = ("sent", "followed_up", "escalated")  # a letter waiting for an answer

def letters_stamp(db, case_id: int) -> tuple:
    """(how many letters, newest change) of a case: moves with every letter step."""
    from sqlalchemy import func

    with db.engine.connect() as conn:
        count, changed = conn.execute(select(func.count(), func.max(LetterRow.updated_at))
                                      .where(LetterRow.case_id == case_id)).one()
    return int(count or 0), changed


def overdue_letters(case_id_column, today: date):
    """A column for a list of cases: each case's overdue letters (open, due before ``today``;
    a termination notice that was sent needs no answer). Correlated on ``case_id_column`` so the
    dashboard's page query brings it along instead of asking once more."""
    from sqlalchemy import and_, func, not_

    return (select(func.count()).select_from(LetterRow)
            .where(LetterRow.case_id == case_id_column, LetterRow.state.in_(OPEN_STATES),
                   LetterRow.due < today,
                   not_(and_(LetterRow.kind == "termination", LetterRow.state == "sent")))
            .scalar_subquery())


