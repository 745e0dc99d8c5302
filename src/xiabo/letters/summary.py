"""Letters as rows (``xiabo letters list``, the web) and as facts for the plan.

The plan reads only plain dicts (``xiabo.cases``' letters source): kind, state, due date, the next step;
the roadmap core stays free of this package.
"""

from __future__ import annotations

from datetime import date

from .model import Letter, kind_row

__all__ = ["row", "plan_facts"]


def row(letter: Letter, today: date) -> dict:
    """The JSON row of ``xiabo letters list --json``."""
    return {"id": letter.id, "kind": letter.kind, "state": letter.shown_state(today),
            "sent_on": letter.sent_on.isoformat() if letter.sent_on else None,
            "due": letter.due.isoformat() if letter.due else None,
            "due_provisional": letter.due_provisional,
            "overdue_days": letter.overdue_days(today), "next": letter.next_step(today),
            "tracking": letter.tracking, "escalated_to": list(letter.escalated_to)}


def plan_facts(letters: list[Letter], today: date) -> list[dict]:
    """What the planner needs to show open letters among tasks and blockers."""
    out = []
    for letter in letters:
        out.append({"id": letter.id, "kind": letter.kind, "state": letter.shown_state(today),
                    "open": letter.is_open(), "sent_on": letter.sent_on, "due": letter.due,
                    "overdue_days": letter.overdue_days(today), "next": letter.next_step(today),
                    "due_rule": letter.due_rule, "to": kind_row(letter.kind)["to"],
                    "holds_deletion": bool(kind_row(letter.kind).get("holds_deletion")),
                    "answered_on": next((e.on for e in reversed(letter.events)
                                         if e.step == "reply"), None),
                    "closed_on": next((e.on for e in reversed(letter.events)
                                       if e.step == "closed"), None)})
    return out
