"""Proof by what courts weigh: the evidence a dispute needs, generated from the dispute profile.

Each item names the point it supports (the penalty as written, the loss, the agency's breach,
the relationship, the account, the exit). An item is *present* when the case's evidence log
holds an entry tagged with it (``xiabo evidence add FILE --task dispute.<item>``; the log is
the existing tamper-evident one, so the tag is the entry's ``task``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .profile import DisputeProfile

__all__ = ["ITEMS", "Item", "checklist", "tag"]


@dataclass(frozen=True)
class Item:
    id: str
    supports: str   # the point: as_written / loss / breach / relationship / account / exit / ...
    kind: str       # the evidence log's kind for files of this item
    needed: Callable[[DisputeProfile], bool]


def _work_facts(d: DisputeProfile) -> bool:
    w = d.work
    return any((w.hours_set_by_agency, w.clock_in, w.fixed_monthly_pay, w.agency_rules_penalties))


ITEMS: tuple[Item, ...] = (
    Item("contract", "as_written", "contract", lambda d: True),
    Item("payouts", "loss", "receipt", lambda d: True),
    Item("guarantee", "breach", "receipt", lambda d: bool(d.contract.guarantee_monthly_cny)),
    Item("traffic", "breach", "chat", lambda d: d.agency.promised_traffic_missing is True),
    Item("licence", "breach", "screenshot", lambda d: d.agency.licensed is not True),
    Item("worktime", "relationship", "screenshot", _work_facts),
    Item("account", "account", "screenshot", lambda d: True),
    Item("exit_chats", "exit", "chat", lambda d: True),
    Item("non_compete_pay", "non_compete", "receipt", lambda d: d.contract.non_compete.has),
    Item("student", "student", "other", lambda d: d.streamer.student is True),
)


@dataclass(frozen=True)
class Row:
    item: Item
    count: int

    @property
    def present(self) -> bool:
        return self.count > 0


def tag(item_id: str) -> str:
    """The evidence log's task tag of a checklist item."""
    return f"dispute.{item_id}"


def checklist(d: DisputeProfile, evidence_dir: Path | None) -> tuple[Row, ...]:
    """The items this profile needs, each with how many logged entries carry its tag."""
    from ..evidence import counts_by_task

    counts = counts_by_task(evidence_dir) if evidence_dir is not None else {}
    return tuple(Row(i, counts.get(tag(i.id), 0)) for i in ITEMS if i.needed(d))
