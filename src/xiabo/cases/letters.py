"""A stored case's letters: the same steps as ``xiabo letters`` (``letters.service``) on the
case's rows, for the web pages and the API alike.

After every step the case is re-planned and its dashboard columns rewritten
(:func:`xiabo.cases.stored.refresh`): a copy request marked sent holds back the deletion
application on the case page, in the API plan, on the dashboard and in the calendar at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["STEPS", "letter_store", "stored_letters", "draft", "step", "rows", "letter_row"]

STEPS = ("sent", "reply", "followup", "escalate", "close")


def letter_store(db, case_id: int):
    """The store of one case's letters, with the interface ``letters.service`` uses."""
    from .letter_store import DbStore

    return DbStore(db, case_id)


def stored_letters(db, case_id: int) -> list:
    with letter_store(db, case_id) as store:
        return store.all()


def _profile(case):
    from .planning import profile_from_json

    return profile_from_json(case.profile_json)


def _proof(case):
    """The case's evidence log, where every step is written."""
    from ..evidence import default_dir
    from ..letters.proof import tsa_url
    from ..letters.service import Proof

    return Proof(default_dir(case.folder), tsa_url())


def letter_row(letter, today: date) -> dict:
    """The keys of ``xiabo letters list --json`` for one letter."""
    from ..letters.summary import row

    return row(letter, today)


def rows(db, case_id: int, today: date) -> list[dict]:
    return [letter_row(x, today) for x in stored_letters(db, case_id)]


def _refresh(db, case, today: date, actor, letter) -> None:
    from .stored import refresh

    refresh(db, case.id, today=today, actor=actor, action="letters.step",
            letter=letter.id, state=letter.state)


def draft(db, case, kind: str, *, today: date, lang: str, actor) -> Any:
    """A new letter of ``kind`` (drafted: it counts for the plan once it is sent)."""
    from ..letters import service
    from .planning import plan_stored, rulebook

    plan = plan_stored(case, db, today, lang)  # the dates the termination notice gives
    with letter_store(db, case.id) as store:
        letter = service.draft(store, kind, _profile(case), rulebook(), today=today, lang=lang,
                               plan=plan)
    _refresh(db, case, today, actor, letter)
    return letter


def step(db, case, letter_id: str, name: str, *, today: date, actor,
         on: date | None = None, via: str | None = None, tracking: str | None = None,
         to: str | None = None, files: list[Path] = ()) -> Any:
    """One step of a letter (sent, reply, followup, escalate, close), logged as proof."""
    from ..errors import UserError
    from ..letters import service
    from .planning import rulebook

    if name not in STEPS:
        raise UserError("letters.err.unknown_step", {"step": str(name)[:40],
                                                     "steps": ", ".join(STEPS)},
                        field="step", fix_key="letters.fix.unknown_step")
    book, proof = rulebook(), _proof(case)
    with letter_store(db, case.id) as store:
        if name == "sent":
            profile = _profile(case)
            letter = service.mark_sent(store, letter_id, on=on or today, today=today, book=book,
                                       via=via, tracking=tracking,
                                       notice_days=profile.contract.notice_days, proof=proof)
        elif name == "reply":
            letter = service.add_reply(store, letter_id, on=on or today, today=today,
                                       files=list(files), proof=proof)
        elif name == "followup":
            letter = service.follow_up(store, letter_id, _profile(case), book, today=today,
                                       proof=proof)
        elif name == "escalate":
            letter = service.escalate(store, letter_id, to or "", _profile(case), book,
                                      today=today, proof=proof)
        else:
            letter = service.close(store, letter_id, today=today, proof=proof)
    if name == "sent" and letter.kind == "termination" and letter.followups == 0:
        from .stored import set_dates

        set_dates(db, case.id, today=today, actor=actor, notice_sent_on=on or today)
    _refresh(db, case, today, actor, letter)
    return letter
