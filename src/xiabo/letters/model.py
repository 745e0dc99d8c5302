"""A letter with a life: drafted → sent → answered or overdue → followed up → escalated → closed.

The record is plain data (it is stored as JSON beside the profile, or in the web store); the
only state that is not stored is *overdue*: it follows from the due date and ``today``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from ..errors import UserError

# (KINDS, AGENCY_KINDS, PLATFORM_KINDS are read from the rule pack on first use: __getattr__)
__all__ = ["VIAS", "ESCALATIONS", "PLATFORM_ESCALATIONS", "AGENCY_ESCALATIONS", "STATES", "Event",
           "Letter", "check_step", "FORMAT"]

FORMAT = "xiabo.letter/1"
# KINDS, AGENCY_KINDS and PLATFORM_KINDS come from the letters rule pack
# (``common.letters.kinds``, the one list), read on first use: see ``__getattr__`` below.
VIAS = ("post", "email", "app", "in-person")
ESCALATIONS = ("12315", "12377", "labour-arbitration", "arbitration", "court")
# where each kind of letter may be escalated. 12315 takes consumer and e-commerce complaints only
# (市场监督管理投诉举报处理暂行办法 Art. 3): a dispute with an agency goes to labour arbitration
# (where a labour relationship is claimed), the contract's arbitration clause, or a court. The
# channels, their texts and sources are rules ``common.letters.escalation.*``.
PLATFORM_ESCALATIONS = ("12315", "12377", "court")
AGENCY_ESCALATIONS = ("labour-arbitration", "arbitration", "court")
# what the user sees; "overdue" is derived from the due date and today
STATES = ("drafted", "sent", "overdue", "unanswered", "answered", "followed_up", "escalated",
          "closed")

# step -> states it may start from
_FROM = {
    "sent": ("drafted", "followed_up"),
    "reply": ("sent", "followed_up", "escalated", "answered"),
    "followup": ("sent", "followed_up"),
    "escalate": ("sent", "followed_up", "answered", "escalated"),
    "close": ("drafted", "sent", "answered", "followed_up", "escalated"),
}
_TO = {"sent": None, "reply": "answered", "followup": "followed_up", "escalate": "escalated",
       "close": "closed"}


@dataclass
class Event:
    """One step in a letter's life, with the evidence-log entries that prove it."""

    step: str
    on: date
    via: str | None = None
    tracking: str | None = None
    to: str | None = None
    files: list[str] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["on"] = self.on.isoformat()
        return {k: v for k, v in out.items() if v not in (None, [])}

    @classmethod
    def from_dict(cls, raw: dict) -> Event:
        return cls(raw["step"], date.fromisoformat(raw["on"]), raw.get("via"), raw.get("tracking"),
                   raw.get("to"), list(raw.get("files", [])), list(raw.get("evidence", [])))


@dataclass
class Letter:
    id: str
    kind: str
    lang: str
    platform: str
    case_name: str
    created_on: date
    state: str = "drafted"
    sent_on: date | None = None
    via: str | None = None
    tracking: str | None = None
    due: date | None = None
    due_rule: str | None = None
    followups: int = 0
    # the counterpart's own answer deadline (the letter's or the latest follow-up's): an
    # escalation moves ``due`` to the body's clock but never this
    answer_due: date | None = None
    due_provisional: bool = False  # ``due`` was counted over days no official calendar covers
    escalated_to: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)  # {name, role, sha256}
    blanks: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # how the last step's proof went (not stored): see xiabo.letters.proof.Logged
    last_proof: object = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------ the clock
    def shown_state(self, today: date) -> str:
        """The state a user sees: an open letter past its due date is overdue; a termination
        notice past its period without an answer is unanswered (not "waiting")."""
        if self.overdue_days(today) > 0:
            return "overdue"
        if (self.kind == "termination" and self.state == "sent" and self.due is not None
                and today > self.due):
            return "unanswered"
        return self.state

    def overdue_days(self, today: date) -> int:
        """Days past the due date of an unanswered letter (a termination notice simply takes
        effect at the end of its notice period: it is never overdue by itself)."""
        if self.state not in ("sent", "followed_up", "escalated") or self.due is None:
            return 0
        if self.kind == "termination" and self.state == "sent":
            return 0
        return max((today - self.due).days, 0)

    def answer_overdue_days(self, today: date) -> int:
        """Days past the counterpart's own answer deadline (what an escalation reports)."""
        due = self.answer_due or self.due
        return max((today - due).days, 0) if due else 0

    def escalations(self) -> tuple[str, ...]:
        """The channels that fit this letter: agency disputes never go to 12315."""
        return (AGENCY_ESCALATIONS if self.kind in _kind_lists()["AGENCY_KINDS"]
                else PLATFORM_ESCALATIONS)

    def is_open(self) -> bool:
        return self.state not in ("answered", "closed")

    def next_step(self, today: date) -> str | None:
        """What the letter offers next: send it, follow it up, escalate, or nothing."""
        if self.state == "drafted":
            return "send"
        if self.overdue_days(today) > 0:
            return "followup" if self.state == "sent" else (
                "escalate" if self.state == "followed_up" else None)
        return None

    # ------------------------------------------------------------ storage shape
    def to_dict(self) -> dict:
        return {
            "format": FORMAT, "id": self.id, "kind": self.kind, "lang": self.lang,
            "platform": self.platform, "case_name": self.case_name,
            "created_on": self.created_on.isoformat(), "state": self.state,
            "sent_on": self.sent_on.isoformat() if self.sent_on else None, "via": self.via,
            "tracking": self.tracking, "due": self.due.isoformat() if self.due else None,
            "due_rule": self.due_rule, "followups": self.followups,
            "answer_due": self.answer_due.isoformat() if self.answer_due else None,
            "due_provisional": self.due_provisional,
            "escalated_to": list(self.escalated_to), "documents": list(self.documents),
            "blanks": list(self.blanks), "events": [e.to_dict() for e in self.events],
        }

    @classmethod
    def from_dict(cls, raw: dict, source: str = "<letter>") -> Letter:
        try:
            if raw.get("format") != FORMAT or raw["kind"] not in _kind_lists()["KINDS"]:
                raise ValueError(raw.get("format"))

            def day(key):
                return date.fromisoformat(raw[key]) if raw.get(key) else None

            # a record from before ``answer_due``: its due is the answer's unless escalated
            answer = day("answer_due") or (day("due") if raw["state"] != "escalated" else None)
            return cls(raw["id"], raw["kind"], raw["lang"], raw["platform"], raw["case_name"],
                       date.fromisoformat(raw["created_on"]), raw["state"], day("sent_on"),
                       raw.get("via"), raw.get("tracking"), day("due"), raw.get("due_rule"),
                       int(raw.get("followups", 0)), answer, bool(raw.get("due_provisional")),
                       list(raw.get("escalated_to", [])),
                       list(raw.get("documents", [])), list(raw.get("blanks", [])),
                       [Event.from_dict(e) for e in raw.get("events", [])])
        except (KeyError, ValueError, TypeError, AttributeError):
            raise UserError("letters.err.bad_record", {"file": source}, file=source,
                            fix_key="letters.fix.bad_record") from None


def check_step(letter: Letter, step: str, on: date | None = None) -> str | None:
    """Refuse a step the letter's state does not allow, or dated before the letter was
    drafted (a letter cannot leave before it was written); return the state it leads to."""
    if letter.state not in _FROM[step]:
        raise UserError(f"letters.err.cannot_{step}", {"id": letter.id}, field=letter.id,
                        fix_key=f"letters.fix.cannot_{step}")
    if on is not None and on < letter.created_on:
        raise UserError("letters.err.before_draft", {"date": on.isoformat(),
                                                     "drafted": letter.created_on.isoformat()},
                        field="--on", fix_key="letters.fix.before_draft")
    return _TO[step]


_KIND_LISTS: dict[str, tuple[str, ...]] = {}


def _kind_lists() -> dict[str, tuple[str, ...]]:
    """The kinds of letter, from the built-in letters pack (each kind has templates, so an
    overlay cannot add one)."""
    if not _KIND_LISTS:
        from datetime import date

        from ..rules import load_rulebook

        book = load_rulebook(use_env=False)
        rows = book.rules["common.letters.kinds"].value_at(date.max)
        _KIND_LISTS["KINDS"] = tuple(r["kind"] for r in rows)
        _KIND_LISTS["AGENCY_KINDS"] = tuple(r["kind"] for r in rows if r["to"] == "agency")
        _KIND_LISTS["PLATFORM_KINDS"] = tuple(r["kind"] for r in rows if r["to"] == "platform")
        _KIND_LISTS["ROWS"] = {r["kind"]: dict(r) for r in rows}
    return _KIND_LISTS


def kind_row(kind: str) -> dict:
    """The rule pack's row for ``kind``: whom it goes to, the rule its answer waits by, and
    whether account deletion waits for that answer."""
    return _kind_lists()["ROWS"][kind]


def __getattr__(name: str):
    if name in ("KINDS", "AGENCY_KINDS", "PLATFORM_KINDS"):
        return _kind_lists()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
