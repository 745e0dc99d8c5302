"""xiabo (下播): a dated, sourced exit roadmap and the tools to carry it out.

Public API (imports are lazy so ``xiabo --help`` stays fast)::

    import xiabo
    profile = xiabo.load_profile("examples/kuaishou.yaml")
    plan = xiabo.plan(profile, today=date(2026, 11, 25))
    plan.to_dict()   # JSON schema "xiabo.plan/1"
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from os import PathLike
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .roadmap.plan import Plan
    from .roadmap.profile import Profile
    from .rules import RuleBook

__all__ = ["plan", "load_profile", "load_rulebook", "__version__"]
__version__ = "0.1.0"


def load_profile(path: str | PathLike) -> Profile:
    """Read and validate a profile (YAML or JSON)."""
    from .roadmap.profile import load_profile as _load

    return _load(path)


def load_rulebook(overlays: Iterable[str | PathLike] | None = None) -> RuleBook:
    """The built-in rule packs plus overlays (``XIABO_RULES`` and ``overlays``)."""
    from .rules import load_rulebook as _load

    return _load(overlays)


def plan(profile: Profile | dict | str | PathLike, *, today: date | None = None,
         rules: RuleBook | Iterable[str | PathLike] | None = None, lang: str = "zh",
         evidence_counts: dict[str, int] | None = None) -> Plan:
    """Build the exit roadmap. ``today`` defaults to the real date (pass it for reproducibility)."""
    from .roadmap.assemble import build_plan
    from .roadmap.profile import Profile, profile_from_dict
    from .rules import RuleBook

    if isinstance(profile, dict):
        profile = profile_from_dict(profile)
    elif not isinstance(profile, Profile):
        profile = load_profile(profile)
    book = rules if isinstance(rules, RuleBook) else load_rulebook(rules)
    return build_plan(profile, book, today=today or date.today(), lang=lang,
                      evidence_counts=evidence_counts)
