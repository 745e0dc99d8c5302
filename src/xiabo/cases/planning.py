"""The one function that plans a case: its profile and every fact the toolkits recorded.

``xiabo.plan()``, ``xiabo plan``/``export``, every web page, the API and the stored dashboard
columns call :func:`plan_case`; so a letter marked sent in the web moves the same tasks and
blockers everywhere. One cache, keyed by the profile, the day, the language, the rule book and
the facts' own keys (:mod:`xiabo.cases.facts`).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from datetime import date
from threading import Lock
from typing import TYPE_CHECKING, Any

from .facts import Facts, gather
from .ref import CaseRef

if TYPE_CHECKING:  # pragma: no cover
    from ..roadmap.plan import Plan
    from ..roadmap.profile import Profile
    from ..rules import RuleBook

__all__ = ["facts_stored", "plan_case", "plan_stored", "profile_from_json", "profile_to_json", "rulebook",
           "reset_rulebook", "validate_profile"]

_BOOK = None
_BOOK_LOCK = Lock()
_PLANS: OrderedDict = OrderedDict()
_PROFILES: OrderedDict = OrderedDict()
_LOCK = Lock()
# plans (and parsed profiles) kept per process: enough for the views that follow one another
# on a case (its page, a fold, a task opened), while every case still in the cache is more
# objects for each full garbage collection to walk: 512 plans were ~80,000 objects and pauses
# of 50-85 ms every few hundred case pages; 64 gave 17 ms (web/settle.py, bench/web.py)
_SIZE = 64


def rulebook() -> RuleBook:
    """The rule book (built-in packs + ``XIABO_RULES`` overlays), loaded once per process."""
    global _BOOK
    with _BOOK_LOCK:
        if _BOOK is None:
            from ..rules import load_rulebook

            _BOOK = load_rulebook()
        return _BOOK


def reset_rulebook() -> None:
    """Forget the rule book, the plans and the facts (an overlay changed; tests)."""
    global _BOOK
    from .facts import forget_facts

    with _BOOK_LOCK:
        _BOOK = None
    with _LOCK:
        _PLANS.clear()
        _PROFILES.clear()
    forget_facts()


def _default(obj: Any) -> Any:
    from decimal import Decimal

    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, tuple):
        return list(obj)
    raise TypeError(type(obj).__name__)


def profile_to_json(profile: Profile) -> str:
    """Canonical JSON of a validated profile (defaults dropped, so it stays short)."""
    data = profile.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("name", profile.name)
    data.setdefault("platform", profile.platform)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_default)


def profile_from_json(text: str) -> Profile:
    """The validated profile of a stored case (parsed once per distinct text)."""
    with _LOCK:
        hit = _PROFILES.get(text)
        if hit is not None:
            _PROFILES.move_to_end(text)
            return hit
    from ..roadmap.profile import profile_from_dict

    profile = profile_from_dict(json.loads(text))
    with _LOCK:
        _PROFILES[text] = profile
        while len(_PROFILES) > _SIZE:
            _PROFILES.popitem(last=False)
    return profile


def validate_profile(data: dict, source: str = "<web>") -> Profile:
    """Validate a profile dict and check its platform has a rule pack (UserError if not)."""
    from ..errors import UserError
    from ..roadmap.profile import profile_from_dict

    profile = profile_from_dict(data, source)
    book = rulebook()
    if profile.platform not in book.platforms:
        raise UserError("profile.unknown_platform",
                        {"platform": profile.platform, "choices": ", ".join(book.platform_ids())},
                        file=source, field="platform", fix_key="profile.fix.platform")
    return profile


def plan_case(profile: Profile | str, ref: CaseRef, *, today: date, lang: str = "zh",
              book: RuleBook | None = None, facts: Facts | None = None) -> Plan:
    """The Plan of the case at ``ref`` on ``today``: ``profile`` (a Profile, or a stored case's
    profile JSON) with every fact its toolkits recorded folded in (``facts``: what
    :func:`gather` already returned for this ref and day, so a page reads them once)."""
    text = profile if isinstance(profile, str) else None
    prof = profile_from_json(text) if text is not None else profile
    book = book if book is not None else rulebook()
    if facts is None:
        facts = gather(ref, prof, today)
    from ..roadmap.assemble import build_plan

    if text is None:  # a profile object is planned once (the CLI, xiabo.plan, a batch)
        return build_plan(prof, book, today=today, lang=lang, **facts.values)
    key = (text, today, lang, id(book), facts.key)
    with _LOCK:
        hit = _PLANS.get(key)
        if hit is not None and hit[0] is book:
            _PLANS.move_to_end(key)
            return hit[1]
    plan = build_plan(prof, book, today=today, lang=lang, **facts.values)
    with _LOCK:
        _PLANS[key] = (book, plan)
        while len(_PLANS) > _SIZE:
            _PLANS.popitem(last=False)
    return plan


def facts_stored(case: Any, db: Any, today: date):
    """What the toolkits recorded for a stored case (the same, cached, facts its plan uses)."""
    return gather(CaseRef.for_stored(case, db), profile_from_json(case.profile_json), today)


def plan_stored(case: Any, db: Any, today: date, lang: str = "zh", facts: Facts | None = None) -> Plan:
    """The plan of a stored case (``store.models.Case``) with its facts, from ``db``
    (``facts``: what :func:`facts_stored` returned for it on ``today``)."""
    return plan_case(case.profile_json, CaseRef.for_stored(case, db), today=today, lang=lang,
                     facts=facts)
