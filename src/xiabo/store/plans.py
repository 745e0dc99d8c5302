"""Plans for stored cases: build from a profile dict, cache, and compare with the baseline.

Re-planning is the planner's job: a done date or an edited date in the profile moves the
downstream tasks. Here we only build, cache and diff.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..roadmap.plan import Plan
    from ..roadmap.profile import Profile

__all__ = [
    "BASELINE_SCHEMA",
    "Change",
    "baseline_of",
    "baseline_summary",
    "build",
    "build_case",
    "case_facts",
    "diff_baseline",
    "orders_close",
    "profile_from_json",
    "profile_to_json",
    "rulebook",
    "validate_profile",
]

_BOOK = None
_BOOK_LOCK = Lock()
_CACHE: OrderedDict = OrderedDict()
_CACHE_LOCK = Lock()
_CACHE_SIZE = 512


def rulebook():
    """The rule book (built-in packs + ``XIABO_RULES`` overlays), loaded once per process."""
    global _BOOK
    with _BOOK_LOCK:
        if _BOOK is None:
            from ..rules import load_rulebook

            _BOOK = load_rulebook()
        return _BOOK


def reset_rulebook() -> None:
    global _BOOK
    with _BOOK_LOCK:
        _BOOK = None
    with _CACHE_LOCK:
        _CACHE.clear()


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


def profile_from_json(text: str) -> dict:
    return json.loads(text)


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


_FACTS: dict = {}
_FACTS_TTL = 10.0


def case_facts(case_key: str, platform: str, today: date) -> tuple[dict | None, dict | None]:
    """(evidence entries per task, backup facts) the toolkits recorded for a case.

    Through ``xiabo.case_facts`` (the same facts ``xiabo plan`` folds in); the backup part is
    re-read at most every few seconds per case. (None, None) when that module is absent.
    """
    try:
        from ..case_facts import backups, evidence_counts
    except ImportError:
        return None, None
    from time import monotonic

    try:
        evidence = evidence_counts(case_key)
    except Exception:  # noqa: BLE001 - a damaged log must not stop the page
        evidence = None
    from ..paths import case_dir

    if not (case_dir(case_key) / "backup").exists():
        return evidence, None  # no backup made for this case yet: nothing to fold in
    key = (case_key, platform, today)
    hit = _FACTS.get(key)
    now = monotonic()
    if hit is not None and now - hit[0] < _FACTS_TTL:
        found = hit[1]
    else:
        try:
            found = backups(case_key, platform, today)
        except Exception:  # noqa: BLE001 - a boundary: report, never crash
            found = None
        if len(_FACTS) > 2000:
            _FACTS.clear()
        _FACTS[key] = (now, found)
    return evidence, found


def build_case(case, today: date, lang: str = "zh") -> Plan:
    """The plan of a stored case, with its evidence log and backups folded in."""
    evidence, found = (case_facts(case.folder, case.platform, today) if case.id is not None
                       else (None, None))  # a case being created has no folder yet
    return build(case.profile_json, today, lang, evidence=evidence, backups=found,
                 opinion=opinion_facts(case) if case.id is not None else None,
                 orders_close=orders_close(case.folder, today) if case.id is not None else None)


def orders_close(case_key: str, today: date) -> date | None:
    """Earliest shop-closing date from the order export kept in the case folder, if any."""
    from ..case_facts import stored_orders_close

    return stored_orders_close(case_key, today)


def opinion_facts(case) -> dict | None:
    """Days with comments of a stored case (``xiabo.opinion``): its rows in the store, or the
    case folder's file while the web has not copied that in yet."""
    from ..opinion.facts import plan_facts, store_facts
    from ..paths import case_dir
    from .opinion import case_engine
    from .satellites import satellites

    folder = case_dir(case.folder) / "opinion"
    engine = case_engine(case)
    known = satellites(case)  # loaded with the case: no question when there is nothing
    found = None
    if engine is not None and not (known is not None and known.no_opinion):
        found = store_facts(engine, case.id, folder,
                            stamp=known.opinion_key if known is not None else None)
    return found if found is not None else plan_facts(folder)


def build(profile_json: str, today: date, lang: str = "zh", *,
          evidence: dict[str, int] | None = None, backups: dict | None = None,
          opinion: dict | None = None, orders_close: date | None = None) -> Plan:
    """The plan of a stored profile on ``today`` (cached by exact inputs)."""
    facts = (json.dumps(evidence, sort_keys=True) if evidence is not None else None,
             json.dumps(backups, sort_keys=True, default=str) if backups else None,
             (opinion["messages"], tuple(sorted(opinion["days"]))) if opinion else None,
             orders_close)
    key = (profile_json, today, lang, facts)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    from ..roadmap.assemble import build_plan
    from ..roadmap.profile import profile_from_dict

    plan = build_plan(profile_from_dict(json.loads(profile_json)), rulebook(), today=today,
                      lang=lang, evidence_counts=evidence, backups=backups, opinion=opinion,
                      orders_earliest_close=orders_close)
    with _CACHE_LOCK:
        _CACHE[key] = plan
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return plan


@dataclass
class Change:
    """One task whose dates differ from the baseline (or that is new / gone)."""

    task_id: str
    title: str
    kind: str  # moved | added | removed
    baseline_start: date | None
    baseline_due: date | None
    start: date | None
    due: date | None

    @property
    def start_days(self) -> int:
        if self.start and self.baseline_start:
            return (self.start - self.baseline_start).days
        return 0

    @property
    def due_days(self) -> int:
        if self.due and self.baseline_due:
            return (self.due - self.baseline_due).days
        return 0

    def to_dict(self) -> dict:
        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        return {"task": self.task_id, "title": self.title, "kind": self.kind,
                "baseline_start": iso(self.baseline_start), "baseline_due": iso(self.baseline_due),
                "start": iso(self.start), "due": iso(self.due),
                "start_days": self.start_days, "due_days": self.due_days}


BASELINE_SCHEMA = "xiabo.baseline/1"


def baseline_of(plan: Plan) -> str:
    """The baseline kept for a case: each task's dates and title (not the whole plan)."""
    return json.dumps({"schema": BASELINE_SCHEMA, "start": plan.start.isoformat(),
                       "end": plan.end.isoformat(),
                       "tasks": [{"id": t.id, "title": t.title, "start": t.start.isoformat(),
                                  "due": t.due.isoformat()} for t in plan.tasks]},
                      ensure_ascii=False, separators=(",", ":"))


def baseline_dates(baseline: dict) -> dict[str, tuple[date, date, str]]:
    out = {}
    for task in baseline.get("tasks", []):
        out[task["id"]] = (date.fromisoformat(task["start"]), date.fromisoformat(task["due"]),
                           task.get("title", task["id"]))
    return out


def baseline_summary(plan: Plan, baseline: dict) -> str:
    """One line on what changed since the baseline (「比原计划晚 9 天，因为 3 项逾期。」)."""
    from ..roadmap.baseline import summarise, summary_line

    return summary_line(summarise(plan, baseline), plan.lang)


def diff_baseline(plan: Plan, baseline: dict) -> list[Change]:
    """Tasks that moved since the baseline, most-moved first; plus added/removed tasks."""
    base = baseline_dates(baseline)
    changes: list[Change] = []
    seen = set()
    for task in plan.tasks:
        seen.add(task.id)
        old = base.get(task.id)
        if old is None:
            changes.append(Change(task.id, task.title, "added", None, None, task.start, task.due))
        elif old[0] != task.start or old[1] != task.due:
            changes.append(Change(task.id, task.title, "moved", old[0], old[1], task.start,
                                  task.due))
    for task_id, (start, due, title) in base.items():
        if task_id not in seen:
            changes.append(Change(task_id, title, "removed", start, due, None, None))
    changes.sort(key=lambda c: (c.kind != "moved", -abs(c.due_days), c.task_id))
    return changes
