"""Who acts on the store, and which cases they may see (the repository and the dashboard ask)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Case

__all__ = ["Actor", "can_see", "visible_condition"]


@dataclass(frozen=True)
class Actor:
    """Who does something: a user, or the single local user (``id`` None)."""

    id: int | None = None
    name: str | None = None
    role: str = "admin"
    case_id: int | None = None

    @property
    def local(self) -> bool:
        return self.id is None


def visible_condition(actor: Actor):
    """SQL condition limiting cases to those ``actor`` may see."""
    if actor.role == "admin":
        return True
    if actor.role == "operator":
        return Case.operator_id == actor.id
    return Case.id == (actor.case_id if actor.case_id is not None else -1)


def can_see(actor: Actor, case: Case) -> bool:
    if actor.role == "admin":
        return True
    if actor.role == "operator":
        return case.operator_id == actor.id
    return actor.case_id == case.id
