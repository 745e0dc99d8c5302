"""The life of a letter as operations: draft, sent, reply, follow-up, escalate, close.

Each operation checks the step against the state machine, refuses dates after ``today``,
writes the documents, records the event and logs its proof. Storage is passed in (files for
the CLI, the database for the web), so both interfaces run the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import UserError
from . import clocks
from .model import ESCALATIONS, KINDS, VIAS, Event, Letter, check_step
from .render import blanks, kind_label, render_escalation, render_followup, render_letter, to_docx

__all__ = ["Proof", "draft", "mark_sent", "add_reply", "follow_up", "escalate", "close"]


@dataclass
class Proof:
    """Where a step's proof goes: the evidence folder and an optional TSA."""

    folder: Path | None
    tsa: str | None = None


def _not_future(on: date, today: date, option: str) -> None:
    if on > today:
        raise UserError("letters.err.future_date", {"date": on.isoformat(),
                                                    "today": today.isoformat()},
                        field=option, fix_key="letters.fix.future_date")


def _docs(store, letter: Letter, stem: str, markdown: str, role: str, today: date,
          docx: bool = True) -> list[dict]:
    """Store the Markdown and (unless a bulk run defers it to the download) the Word file."""
    md = store.write_doc(letter, f"{stem}.md", markdown.encode("utf-8"), role)
    if not docx:
        return [md]
    title = markdown.splitlines()[0].lstrip("# ").strip()
    return [md, store.write_doc(letter, f"{stem}.docx",
                                to_docx(markdown, letter.lang, title, today), role)]


def _log(store, letter: Letter, proof: Proof | None, on: date, groups) -> list[int]:
    """Log the step's groups plus the letter's record (its history) as it stands now."""
    if proof is None or proof.folder is None:
        return []
    import json

    from .proof import log_step

    record = json.dumps(letter.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
    entry = store.write_doc(letter, "history.json", record, "history")
    del entry
    paths = [(kind, note, [store.doc_path(letter, n) for n in names]) if names else
             (kind, note, []) for kind, note, names in groups]
    paths.append(("other", _say("evidence_history", letter), [store.doc_path(letter, "history.json")]))
    logged = log_step(proof.folder, letter.id, on, paths, proof.tsa)
    letter.last_proof = logged
    return logged.indexes


def _say(key: str, letter: Letter, **params) -> str:
    from ..i18n import t

    return t(f"letters.{key}", letter.lang, kind=kind_label(letter.kind, letter.lang),
             id=letter.id, **params)


def draft(store, kind: str, profile, book, *, today: date, lang: str, plan=None) -> Letter:
    """Draft a letter of ``kind`` from the profile; its documents are written, nothing sent."""
    if kind not in KINDS:
        raise UserError("letters.err.unknown_kind", {"kind": kind, "kinds": ", ".join(KINDS)},
                        field="KIND", fix_key="letters.fix.unknown_kind")
    markdown = render_letter(kind, profile, book, today=today, lang=lang, plan=plan)
    letter = Letter(store.new_id(kind), kind, lang, profile.platform, profile.name, today)
    _docs(store, letter, "letter", markdown, "letter", today)
    letter.blanks = blanks(markdown)
    letter.events.append(Event("drafted", today))
    store.save(letter)
    return letter


def mark_sent(store, letter_id: str, *, on: date, today: date, book, via: str | None = None,
              tracking: str | None = None, receipts: list[Path] = (), notice_days: int | None = None,
              proof: Proof | None = None) -> Letter:
    """Record how and when the letter (or its latest follow-up) left; the clock starts."""
    _not_future(on, today, "--on")
    if via is not None and via not in VIAS:
        raise UserError("letters.err.bad_via", {"via": via, "choices": ", ".join(VIAS)},
                        field="--via", fix_key="letters.fix.bad_via")
    letter = store.load(letter_id)
    was = letter.state
    check_step(letter, "sent", on)
    if tracking is not None:
        tracking = tracking.strip()
        if not tracking or len(tracking) > 64 or any(ord(c) < 32 for c in tracking):
            raise UserError("letters.err.bad_tracking", field="--tracking",
                            fix_key="letters.fix.bad_tracking")
    if was == "drafted":
        letter.sent_on, letter.via, letter.tracking = on, via, tracking
        clock = clocks.reply_clock(letter.kind, on, book, letter.platform, notice_days)
        sent_docs = [d["name"] for d in letter.documents if d["role"] == "letter"]
    else:  # the latest follow-up left
        clock = clocks.followup_clock(on, book)
        sent_docs = [d["name"] for d in letter.documents
                     if d["role"] == "followup" and d["name"].startswith(f"followup-{letter.followups}.")]
    letter.due, letter.due_rule = clock.due, clock.rule
    letter.state = "sent" if was == "drafted" else "followed_up"
    names = _attach(store, letter, receipts, "receipt", "receipt-")
    event = Event("sent", on, via, tracking, files=names)
    letter.events.append(event)
    groups = [("other", _say("evidence_sent", letter), sent_docs)]
    if tracking:
        groups.append(("receipt", _say("evidence_tracking", letter, tracking=tracking), []))
    if names:
        groups.append(("receipt", _say("evidence_receipt", letter), names))
    event.evidence = _log(store, letter, proof, on, groups)
    store.save(letter)
    return letter


def _attach(store, letter: Letter, files, role: str, prefix: str) -> list[str]:
    """The user's files copied into the letter's folder as ``<prefix><name>``; their new names.

    A missing file is refused naming it as the user typed it (receipts and replies alike).
    """
    names = []
    for source in files:
        source = Path(source)
        if not source.is_file():
            raise UserError("letters.err.file_missing", {"file": str(source)}, file=str(source),
                            fix_key="letters.fix.file_missing")
        names.append(store.write_doc(letter, f"{prefix}{source.name}", source.read_bytes(),
                                     role)["name"])
    return names


def add_reply(store, letter_id: str, *, on: date, today: date, files: list[Path] = (),
              proof: Proof | None = None) -> Letter:
    _not_future(on, today, "--on")
    letter = store.load(letter_id)
    check_step(letter, "reply")
    n = sum(1 for e in letter.events if e.step == "reply") + 1
    names = _attach(store, letter, files, "reply", f"reply-{n}-")
    letter.state = "answered"
    event = Event("reply", on, files=names)
    letter.events.append(event)
    event.evidence = _log(store, letter, proof, on,
                          [("other", _say("evidence_reply", letter, on=on.isoformat()), names)])
    store.save(letter)
    return letter


def follow_up(store, letter_id: str, profile, book, *, today: date,
              proof: Proof | None = None, docx: bool = True, letter: Letter | None = None
              ) -> Letter:
    """Draft the follow-up (reminder) of an unanswered letter; its own clock starts today.

    The agency's bulk action passes ``proof=None`` and ``docx=False``: a draft is not proof
    (the reminder is logged when it is marked sent) and the Word file is made on download.
    """
    letter = letter or store.load(letter_id)
    check_step(letter, "followup")
    markdown = render_followup(letter, profile, book, today=today, lang=letter.lang)
    letter.followups += 1
    stem = f"followup-{letter.followups}"
    docs = _docs(store, letter, stem, markdown, "followup", today, docx)
    clock = clocks.followup_clock(today, book)
    letter.state, letter.due, letter.due_rule = "followed_up", clock.due, clock.rule
    event = Event("followup", today, files=[d["name"] for d in docs])
    letter.events.append(event)
    event.evidence = _log(store, letter, proof, today,
                          [("other", _say("evidence_followup", letter), event.files)])
    store.save(letter)
    return letter


def escalate(store, letter_id: str, to: str, profile, book, *, today: date,
             proof: Proof | None = None) -> Letter:
    """Draft the 12315 complaint, the 12377 report or the lawsuit checklist, with the history."""
    if to not in ESCALATIONS:
        raise UserError("letters.err.bad_to", {"to": to, "choices": ", ".join(ESCALATIONS)},
                        field="--to", fix_key="letters.fix.bad_to")
    letter = store.load(letter_id)
    check_step(letter, "escalate")
    markdown = render_escalation(letter, to, profile, book, today=today, lang=letter.lang)
    docs = _docs(store, letter, f"escalation-{to}", markdown, "escalation", today)
    clock = clocks.escalation_clock(to, today, book)
    letter.state = "escalated"
    letter.escalated_to = list(dict.fromkeys([*letter.escalated_to, to]))
    letter.due, letter.due_rule = (clock.due, clock.rule) if clock else (None, None)
    event = Event("escalated", today, to=to, files=[d["name"] for d in docs])
    letter.events.append(event)
    event.evidence = _log(store, letter, proof, today,
                          [("other", _say("evidence_escalation", letter), event.files)])
    store.save(letter)
    return letter


def close(store, letter_id: str, *, today: date, proof: Proof | None = None) -> Letter:
    letter = store.load(letter_id)
    check_step(letter, "close")
    letter.state = "closed"
    letter.due = None
    event = Event("closed", today)
    letter.events.append(event)
    event.evidence = _log(store, letter, proof, today, [])
    store.save(letter)
    return letter
