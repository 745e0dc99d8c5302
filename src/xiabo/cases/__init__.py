"""The case: a profile plus everything the toolkits recorded for it, and the one function that
plans it.

Every front end plans through here — ``xiabo.plan()``, ``xiabo plan``/``export``, the web pages,
the API and the dashboard's stored columns — so they give the same answer for the same case::

    from xiabo.cases import CaseRef, plan_case
    plan = plan_case(profile, CaseRef.for_file("profile.yaml"), today=date(2026, 12, 6))

Layering: this package sits above the toolkits and the store (it reads both) and below the web
and the commands; the store persists and queries, and plans nothing.
"""

from __future__ import annotations

from .baseline import (
    BASELINE_SCHEMA,
    Change,
    baseline_dates,
    baseline_of,
    baseline_summary,
    diff_baseline,
)
from .facts import Facts, gather
from .planning import (
    facts_stored,
    plan_case,
    plan_stored,
    profile_from_json,
    profile_to_json,
    reset_rulebook,
    rulebook,
    validate_profile,
)
from .ref import CaseRef
from .sources import SOURCES, FactSource

__all__ = [
    "BASELINE_SCHEMA",
    "CaseRef",
    "Change",
    "FactSource",
    "Facts",
    "SOURCES",
    "baseline_dates",
    "baseline_of",
    "baseline_summary",
    "diff_baseline",
    "facts_stored",
    "gather",
    "plan_case",
    "plan_stored",
    "profile_from_json",
    "profile_to_json",
    "reset_rulebook",
    "rulebook",
    "validate_profile",
]
