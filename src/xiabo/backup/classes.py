"""The data classes a bag is filed under, and which of them a platform's rules require.

Shared by bag creation, the inventory and the 3-2-1 status (a leaf module: it imports none of them).
"""

from __future__ import annotations

from datetime import date

from ..errors import UserError

__all__ = ["DATA_CLASSES", "book", "required_classes"]

DATA_CLASSES = ("recordings", "fan_profile", "sales", "other")


def book():
    from ..rules import load_rulebook

    return load_rulebook()


def required_classes(platform: str, today: date) -> list[str]:
    """The data classes the platform's rules say must be backed up before leaving."""
    from ..rules import RuleMissing

    book_ = book()
    try:
        view = book_.platform(platform)
    except RuleMissing:
        raise UserError("backup.errors.bad_platform",
                        {"value": platform, "choices": ", ".join(book_.platform_ids())},
                        field="--platform") from None
    return list(view.value("data.classes", on=today))
