"""The roadmap core: a profile and the rule packs in, a dated Plan out. Pure: no I/O, no store.

    from xiabo.roadmap import build_plan, load_profile
    plan = build_plan(load_profile("profile.yaml"), book, today=date(2026, 12, 6))

Names are loaded when first used (PEP 562), so importing one module of the core stays cheap.
Callers that hold a *case* (its letters, evidence, backups …) plan through ``xiabo.cases``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "SCHEMA",
    "Blocker",
    "Plan",
    "Profile",
    "ProfileError",
    "RuleUse",
    "Task",
    "Warning",
    "build_plan",
    "check_done_date",
    "legal_period_end",
    "load_profile",
    "profile_from_dict",
    "record_done",
    "to_markdown",
    "to_text",
]

_WHERE = {
    "SCHEMA": "plan", "Blocker": "plan", "Plan": "plan", "RuleUse": "plan", "Task": "plan",
    "Warning": "plan", "Profile": "profile", "ProfileError": "profile",
    "load_profile": "profile", "profile_from_dict": "profile", "build_plan": "assemble",
    "check_done_date": "progress", "record_done": "progress",
    "legal_period_end": "calendar", "to_markdown": "render", "to_text": "render",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'xiabo.roadmap' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
