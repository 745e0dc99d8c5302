"""Follow-ups for many cases at once (the dashboard's "draft follow-ups for the selected
cases", run as a ``letters-followup`` job): one case at a time, each in its own short read and
write, so no transaction holds the store for the whole selection.

A rerun does not draft twice: a letter followed up today no longer waits for a follow-up
(``Letter.next_step``), so ``bulk_follow_up`` passes it by.
"""

from __future__ import annotations

import json
from datetime import date

__all__ = ["draft_followups", "followed_up_since"]


def draft_followups(db, case_ids: list[int], actor, today: date, *, book=None) -> int:
    """Draft a follow-up for every overdue letter of the given cases (those ``actor`` may
    see); how many were drafted.

    Drafts only: the reminder goes into each case's evidence log when it is marked sent, and
    its Word file is made when it is downloaded (see ``follow_up``)."""
    from ..letters import service
    from ..roadmap.profile import profile_from_dict
    from . import rulebook
    from .letter_store import bulk_follow_up
    from .stored import refresh

    book = book or rulebook()

    def draft(store, letter, profile_json: str) -> None:
        profile = profile_from_dict(json.loads(profile_json))
        service.follow_up(store, letter.id, profile, book, today=today, proof=None,
                          docx=False, letter=letter)

    touched = bulk_follow_up(db, actor, case_ids, today, draft)
    for case_id in sorted(set(touched)):  # the dashboard's next item and late count follow
        refresh(db, case_id, today=today, actor=actor, action="letters.bulk_followup")
    return len(touched)


def followed_up_since(db, case_id: int, today: date, since: str) -> int:
    """How many of the case's letters were followed up on ``today`` in a write at or after
    ``since`` (an ISO time from ``store.models.utcnow``): what a follow-up job drafted for the
    case before its worker died, so a resumed job counts them once."""
    from datetime import datetime

    from sqlalchemy import select

    from ..letters.model import Letter
    from ..store.letters import LetterRow

    with db.read() as s:
        records = s.scalars(select(LetterRow.record_json).where(
            LetterRow.case_id == case_id,
            LetterRow.updated_at >= datetime.fromisoformat(since))).all()
    return sum(1 for r in records
               if any(e.step == "followup" and e.on == today
                      for e in Letter.from_dict(json.loads(r)).events))
