"""Letters with clocks: requests to the agency and the platform, tracked to an answer.

A letter is drafted from the profile (templates per kind and language, rules for every legal
basis and period), sent (post with tracking number, email, in-app form, in person), answered or
overdue, followed up, escalated (12315, 12377, a lawsuit checklist) and closed. Modules:
``model`` (the record and its state machine), ``clocks`` (民法典 201/203 periods), ``directory``
(where each kind goes, per platform), ``render`` (Markdown and Word), ``store`` (files),
``proof`` (evidence log), ``service`` (the operations), ``summary`` (rows for lists and the plan).
"""

from __future__ import annotations

from .model import ESCALATIONS, STATES, VIAS, Letter

__all__ = ["STATES", "VIAS", "ESCALATIONS", "Letter", "kinds"]


def kinds() -> tuple[str, ...]:
    """The kinds of letter (the letters rule pack's ``common.letters.kinds``)."""
    from .model import KINDS

    return KINDS
