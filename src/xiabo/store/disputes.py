"""A stored case's dispute profile, and who may read it.

One row per case: the dispute profile as JSON (the same document as ``dispute.yaml``) and
whether the agency is the counter-party. When it is, only the streamer and their adviser (the
users bound to that case) and the single local user may read or change the dispute data; the
agency's own admins and operators get the same 404 as for a case they cannot see.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from .actors import Actor
from .models import Base, utcnow

__all__ = ["CASE_BOUND_ROLES", "DisputeDoc", "can_read_dispute", "load_dispute_doc",
           "save_dispute_doc"]

# the users bound to one case (``User.case_id``): the streamer, and an adviser they chose
CASE_BOUND_ROLES = ("streamer", "adviser")


class DisputeDoc(Base):
    __tablename__ = "case_disputes"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    counterparty: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_json: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def can_read_dispute(actor: Actor, case_id: int, counterparty: bool) -> bool:
    """Whether ``actor`` (who may already see the case) may read its dispute data."""
    if not counterparty or actor.local:
        return True
    return actor.role in CASE_BOUND_ROLES and actor.case_id == case_id


def load_dispute_doc(db, case_id: int) -> tuple[bool, dict[str, Any] | None]:
    """(the agency is the counter-party, the stored profile or None)."""
    with db.read() as s:
        row = s.execute(select(DisputeDoc.counterparty, DisputeDoc.profile_json)
                        .where(DisputeDoc.case_id == case_id)).first()
    if row is None:
        return False, None
    try:
        data = json.loads(row.profile_json)
    except ValueError:
        data = None
    return bool(row.counterparty), data if isinstance(data, dict) else None


def save_dispute_doc(db, case_id: int, data: dict[str, Any] | None = None, *,
                     counterparty: bool | None = None) -> None:
    """Store the profile (``None``: keep it) and/or the counter-party mark (``None``: keep it)."""
    with db.write() as s:
        row = s.get(DisputeDoc, case_id)
        if row is None:
            row = DisputeDoc(case_id=case_id, counterparty=False, profile_json="{}")
            s.add(row)
        if data is not None:
            row.profile_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
        if counterparty is not None:
            row.counterparty = counterparty
        row.updated_at = utcnow()
