"""The data classes a bag is filed under, and which of them a platform's rules require.

Shared by bag creation, the inventory and the 3-2-1 status (a leaf module: it imports none of them).
"""

from __future__ import annotations

from datetime import date

from ..errors import UserError

__all__ = ["DATA_CLASSES", "required_classes", "rulebook"]

DATA_CLASSES = ("recordings", "fan_profile", "sales", "other")


def rulebook():
    """The rule book the backup toolkit reads (built-in packs plus overlays)."""
    from ..rules import load_rulebook

    return load_rulebook()


def required_classes(platform: str, today: date) -> list[str]:
    """The data classes the platform's rules say must be backed up before leaving."""
    from ..rules import RuleMissing

    book = rulebook()
    try:
        view = book.platform(platform)
    except RuleMissing:
        raise UserError("backup.errors.bad_platform",
                        {"value": platform, "choices": ", ".join(book.platform_ids())},
                        field="--platform") from None
    return list(view.value("data.classes", on=today))
