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
         case: str | None = None, evidence_dir: str | PathLike | None = None) -> Plan:
    """Build the exit roadmap. ``today`` defaults to the real date (pass it for reproducibility).

    Given a profile *path*, it folds in what the toolkits recorded for the case exactly as
    ``xiabo plan`` does (letters and comments beside the profile; the evidence log, backups and
    a kept order export of ``case``, default "default"). Given a Profile or a dict, only the
    case named by ``case`` (if any) is read.
    """
    from .cases import CaseRef, plan_case
    from .roadmap.profile import Profile, profile_from_dict
    from .rules import RuleBook

    path = None
    if isinstance(profile, dict):
        profile = profile_from_dict(profile)
    elif not isinstance(profile, Profile):
        path = profile
        profile = load_profile(profile)
    book = rules if isinstance(rules, RuleBook) else load_rulebook(rules)
    if path is not None or case is not None or evidence_dir is not None:
        ref = CaseRef.for_file(path, case or "default", evidence_dir)
    else:
        ref = CaseRef(folder="")
    return plan_case(profile, ref, today=today or date.today(), lang=lang, book=book)
