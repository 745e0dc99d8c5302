"""Wizard drafts: the answers of a half-filled wizard, kept on the server so that a closed tab
(or a phone that dropped the page) resumes at the step where it stopped.

Single-user mode has one owner (``local``); in agency mode each user has their own drafts.
A draft is small (the form's values, capped) and is deleted when the case is saved.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, utcnow

__all__ = ["MAX_DRAFT", "Draft", "delete_draft", "draft_owner", "load_draft", "save_draft"]

MAX_DRAFT = 64 * 1024  # bytes of JSON; a full wizard is about 2 KB


class Draft(Base):
    __tablename__ = "wizard_drafts"
    __table_args__ = (UniqueConstraint("owner", "target", name="uq_wizard_drafts_owner_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(40))
    step: Mapped[int] = mapped_column(Integer, default=1)
    values_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def draft_owner(actor) -> str:
    """``local`` for the single user, ``user:<id>`` for a logged-in user."""
    return "local" if actor.local or actor.id is None else f"user:{actor.id}"


def load_draft(db, owner: str, target: str) -> tuple[int, dict[str, Any]] | None:
    with db.read() as s:
        row = s.execute(select(Draft.step, Draft.values_json)
                        .where(Draft.owner == owner, Draft.target == target)).first()
    if row is None:
        return None
    try:
        values = json.loads(row.values_json)
    except ValueError:
        return None
    return (row.step, values) if isinstance(values, dict) else None


def save_draft(db, owner: str, target: str, step: int, values: dict[str, Any]) -> None:
    text = json.dumps(values, ensure_ascii=False, default=str)
    if len(text.encode("utf-8")) > MAX_DRAFT:
        return  # never the case for real answers; refuse to store junk rather than fail
    with db.write() as s:
        row = s.execute(select(Draft).where(Draft.owner == owner, Draft.target == target)
                        ).scalar_one_or_none()
        if row is None:
            s.add(Draft(owner=owner, target=target, step=step, values_json=text,
                        updated_at=utcnow()))
        else:
            row.step, row.values_json, row.updated_at = step, text, utcnow()


def delete_draft(db, owner: str, target: str) -> None:
    with db.write() as s:
        s.execute(delete(Draft).where(Draft.owner == owner, Draft.target == target))
