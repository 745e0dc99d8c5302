"""The life of a letter as operations: draft, sent, reply, follow-up, escalate, close.

Each operation checks the step against the state machine, refuses dates after ``today``,
writes the documents, records the event and logs its proof. Storage is passed in (files for
the CLI, the database for the web), so both interfaces run the same code.

A step is atomic and idempotent: it runs under the store's lock for that letter
(``store.step``: a file lock for the CLI's folder, a locked row for the web), so its evidence
entries and its event are written by one writer; a step that repeats the letter's last one
(a double click, a retried request) answers with the first result and logs nothing, and one
that contradicts it is refused in words. The timestamp authority is asked after the lock is
released (it can take seconds).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import UserError
from ..i18n import t
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


def _not_before_sent(on: date, letter: Letter, option: str) -> None:
    """A reply, follow-up or escalation cannot predate the letter leaving."""
    if letter.sent_on is not None and on < letter.sent_on:
        raise UserError("letters.err.before_sent", {"date": on.isoformat(),
                                                    "sent": letter.sent_on.isoformat()},
                        field=option, fix_key="letters.fix.before_sent")


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
    logged = log_step(proof.folder, letter.id, on, paths)
    letter.last_proof = logged
    return logged.indexes


def _stamp(letter: Letter, proof: Proof | None) -> Letter:
    """Ask the timestamp authority for the new checkpoint, outside the letter's lock."""
    if proof is not None and proof.folder is not None and proof.tsa and letter.last_proof:
        from .proof import timestamp

        timestamp(proof.folder, proof.tsa, letter.last_proof)
    return letter


@contextmanager
def _held(store, letter_id: str, letter: Letter | None = None) -> Iterator[Letter]:
    """The letter loaded under the store's lock (a bulk run passes the letter it holds)."""
    if letter is not None:
        yield letter
        return
    with store.step(letter_id) as held:
        yield held


def _digests(paths) -> list[str]:
    return sorted(hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths
                  if Path(p).is_file())


def _file_digests(letter: Letter, names: list[str]) -> list[str]:
    known = {d["name"]: d["sha256"] for d in letter.documents}
    return sorted(known.get(n, "") for n in names)


def _repeats(letter: Letter, step: str, **fields) -> bool:
    """Whether the letter's last event is this very step (answer it, log nothing)."""
    last = letter.events[-1] if letter.events else None
    return (last is not None and last.step == step
            and all(getattr(last, k) == v for k, v in fields.items() if k != "digests")
            and ("digests" not in fields
                 or _file_digests(letter, last.files) == fields["digests"]))


def _this_round_sent(letter: Letter) -> Event | None:
    """The "sent" event of the letter's current round (the letter, or its latest follow-up)."""
    for event in reversed(letter.events):
        if event.step == "sent":
            return event
        if event.step == "followup":
            return None
    return None


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
    with store.step(None):  # two drafts at once get two ids
        letter = Letter(store.new_id(kind), kind, lang, profile.platform, profile.name, today)
        _docs(store, letter, "letter", markdown, "letter", today)
        letter.blanks = blanks(markdown)
        letter.events.append(Event("drafted", today))
        store.save(letter)
    return letter


def mark_sent(store, letter_id: str, *, on: date, today: date, book, via: str | None = None,
              tracking: str | None = None, receipts: list[Path] = (), notice_days: int | None = None,
              proof: Proof | None = None) -> Letter:
    """Record how and when the letter (or its latest follow-up) left; the clock starts.

    Marking the same round sent again with the same date, way and number answers with the
    first record; with other details it is refused (the first record stands)."""
    _not_future(on, today, "--on")
    if via is not None and via not in VIAS:
        raise UserError("letters.err.bad_via", {"via": via, "choices": ", ".join(VIAS)},
                        field="--via", fix_key="letters.fix.bad_via")
    if tracking is not None:
        tracking = tracking.strip()
        if not tracking or len(tracking) > 64 or any(ord(c) < 32 for c in tracking):
            raise UserError("letters.err.bad_tracking", field="--tracking",
                            fix_key="letters.fix.bad_tracking")
    with store.step(letter_id) as letter:
        done = _this_round_sent(letter)
        if done is not None:
            same = (done.on, done.via, done.tracking) == (on, via, tracking) and (
                not receipts or _file_digests(letter, done.files) == _digests(receipts))
            if same:
                return letter
            raise UserError("letters.err.already_sent",
                            {"id": letter.id, "on": done.on.isoformat(),
                             "tracking": done.tracking or "—"},
                            field=letter.id, fix_key="letters.fix.already_sent")
        was = letter.state
        check_step(letter, "sent", on)
        if was == "drafted":
            letter.sent_on, letter.via, letter.tracking = on, via, tracking
            clock = clocks.reply_clock(letter.kind, on, book, letter.platform, notice_days)
            sent_docs = [d["name"] for d in letter.documents if d["role"] == "letter"]
        else:  # the latest follow-up left
            clock = clocks.followup_clock(on, book)
            prefix = f"followup-{letter.followups}."
            sent_docs = [d["name"] for d in letter.documents
                         if d["role"] == "followup" and d["name"].startswith(prefix)]
        letter.due, letter.due_rule = clock.due, clock.rule
        letter.answer_due, letter.due_provisional = clock.due, clock.provisional
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
    return _stamp(letter, proof)


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
    """Record an answer (a second identical one, same date and files, is the first)."""
    _not_future(on, today, "--on")
    with store.step(letter_id) as letter:
        if _repeats(letter, "reply", on=on, digests=_digests(files)):
            return letter
        check_step(letter, "reply")
        _not_before_sent(on, letter, "--on")
        n = sum(1 for e in letter.events if e.step == "reply") + 1
        names = _attach(store, letter, files, "reply", f"reply-{n}-")
        letter.state = "answered"
        event = Event("reply", on, files=names)
        letter.events.append(event)
        event.evidence = _log(store, letter, proof, on,
                              [("other", _say("evidence_reply", letter, on=on.isoformat()), names)])
        store.save(letter)
    return _stamp(letter, proof)


def follow_up(store, letter_id: str, profile, book, *, today: date,
              proof: Proof | None = None, docx: bool = True, letter: Letter | None = None
              ) -> Letter:
    """Draft the follow-up (reminder) of an unanswered letter; its own clock starts today.

    The agency's bulk action passes ``proof=None`` and ``docx=False``: a draft is not proof
    (the reminder is logged when it is marked sent) and the Word file is made on download.
    A second follow-up asked the same day is the first one.
    """
    with _held(store, letter_id, letter) as letter:
        if _repeats(letter, "followup", on=today):
            return letter
        check_step(letter, "followup")
        _not_before_sent(today, letter, "--today")
        markdown = render_followup(letter, profile, book, today=today, lang=letter.lang)
        letter.followups += 1
        stem = f"followup-{letter.followups}"
        docs = _docs(store, letter, stem, markdown, "followup", today, docx)
        clock = clocks.followup_clock(today, book)
        letter.state, letter.due, letter.due_rule = "followed_up", clock.due, clock.rule
        letter.answer_due, letter.due_provisional = clock.due, clock.provisional
        event = Event("followup", today, files=[d["name"] for d in docs])
        letter.events.append(event)
        event.evidence = _log(store, letter, proof, today,
                              [("other", _say("evidence_followup", letter), event.files)])
        store.save(letter)
    return _stamp(letter, proof)


def escalate(store, letter_id: str, to: str, profile, book, *, today: date,
             proof: Proof | None = None) -> Letter:
    """Draft the 12315 complaint, the 12377 report or the lawsuit checklist, with the history
    (the same escalation asked again the same day is the first one)."""
    if to not in ESCALATIONS:
        raise UserError("letters.err.bad_to", {"to": to, "choices": ", ".join(ESCALATIONS)},
                        field="--to", fix_key="letters.fix.bad_to")
    with store.step(letter_id) as letter:
        if _repeats(letter, "escalated", on=today, to=to):
            return letter
        check_step(letter, "escalate")
        _not_before_sent(today, letter, "--today")
        if to not in letter.escalations():
            raise UserError("letters.err.wrong_channel",
                            {"to": t(f"letters.escalations.{to}", letter.lang),
                             "kind": kind_label(letter.kind, letter.lang),
                             "choices": ", ".join(letter.escalations())},
                            field="--to", fix_key="letters.fix.wrong_channel")
        markdown = render_escalation(letter, to, profile, book, today=today, lang=letter.lang)
        docs = _docs(store, letter, f"escalation-{to}", markdown, "escalation", today)
        clock = clocks.escalation_clock(to, today, book)
        letter.state = "escalated"
        letter.escalated_to = list(dict.fromkeys([*letter.escalated_to, to]))
        letter.due, letter.due_rule = (clock.due, clock.rule) if clock else (None, None)
        letter.due_provisional = bool(clock and clock.provisional)
        event = Event("escalated", today, to=to, files=[d["name"] for d in docs])
        letter.events.append(event)
        event.evidence = _log(store, letter, proof, today,
                              [("other", _say("evidence_escalation", letter), event.files)])
        store.save(letter)
    return _stamp(letter, proof)


def close(store, letter_id: str, *, today: date, proof: Proof | None = None) -> Letter:
    """Close the letter; closing a closed letter again answers with the first close."""
    with store.step(letter_id) as letter:
        if letter.state == "closed" and _repeats(letter, "closed"):
            return letter
        check_step(letter, "close")
        letter.state = "closed"
        letter.due = None
        event = Event("closed", today)
        letter.events.append(event)
        event.evidence = _log(store, letter, proof, today, [])
        store.save(letter)
    return _stamp(letter, proof)
