"""Rules as data: a dated, sourced value, and the book that resolves them per platform."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = ["Rule", "Platform", "RuleBook", "PlatformView", "RuleMissing", "RuleValue",
           "QUALITIES", "DEFAULT_QUALITY", "is_unknown", "unknown_value"]

# How sure a value is (the ``quality`` of a rule), surest first. ``unknown``: no source gives
# the value; the rule's value is null and its ``check`` says what to look for in the app.
QUALITIES = ("official", "official_copy", "secondary", "unknown")
# a rule written without ``quality`` (an old overlay): the statute text is official, the guide
# and practice accounts are secondary (docs/rules.md says why)
DEFAULT_QUALITY = {"law": "official", "guide": "secondary", "practice": "secondary"}


class RuleValue(dict):
    """A mapping value of a rule. Never mutated; hashable by identity so that texts rendered
    from it can be memoised (equal copies just miss the memo; the memo keeps it alive)."""

    __slots__ = ()
    __hash__ = object.__hash__


def unknown_value(check: dict[str, str]) -> RuleValue:
    """The value of an unknown rule: no number, only what to check (``say`` renders it as
    「未知——请在应用里查看：…」)."""
    return RuleValue({"unknown": True, **check})


def is_unknown(value: Any) -> bool:
    """Whether a rule value (or task parameter) is the unknown marker."""
    return isinstance(value, dict) and value.get("unknown") is True


class RuleMissing(LookupError):
    """A rule the code asked for is in no pack (a pack or overlay is incomplete)."""


@dataclass(frozen=True)
class Rule:
    """One parameter: ``values`` maps effective dates to values (OpenFisca style)."""

    id: str
    title: dict[str, str]
    values: tuple[tuple[date, Any], ...]
    unit: str
    source: str
    reference: str
    last_verified: date
    verified: bool
    note: dict[str, str] | None = None
    contrasts: tuple[str, ...] = ()
    section: str | None = None
    file: str = ""
    # where the rule comes from: {kind, title, article, quote, issuer, date, number, read_at}
    # (see rules/quotes.py: a quote from a bundled statute is checked against the article)
    citations: tuple[dict, ...] = ()
    quality: str = "secondary"  # one of QUALITIES
    check: dict[str, str] | None = None  # what to look for in the app (quality unknown)

    @property
    def unknown(self) -> bool:
        return self.quality == "unknown"

    def unknown_at(self, on: date) -> bool:
        """The value on ``on`` is not known: a plan says what to check, never a number."""
        value = self.value_at(on)
        return self.quality == "unknown" or value is None or is_unknown(value)

    def _index(self, on: date) -> int:
        values = self.values
        if len(values) == 1 or on < values[1][0]:
            return 0
        return max(bisect.bisect_right([d for d, _ in values], on) - 1, 0)

    def value_at(self, on: date) -> Any:
        """The value in force on ``on``; before the first date, the first value."""
        return self.values[self._index(on)][1]

    def effective_from(self, on: date) -> date:
        return self.values[self._index(on)][0]

    @property
    def platform(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The id without its platform prefix: ``deletion.review_days``."""
        return self.id.split(".", 1)[1]


@dataclass(frozen=True)
class Platform:
    id: str
    name: dict[str, str]
    extends: str | None = None
    comparison: bool = True
    file: str = ""
    order: int = 100
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        """Every way people write it: id, names in both languages, aliases (lower case)."""
        return {n.strip().lower() for n in (self.id, *self.name.values(), *self.aliases)}


@dataclass
class RuleBook:
    """All rules after overlays, indexed by id."""

    rules: dict[str, Rule]
    platforms: dict[str, Platform]
    overlays: tuple[str, ...] = ()
    _views: dict[str, PlatformView] = field(default_factory=dict, repr=False)
    _memos: dict[str, dict] = field(default_factory=dict, repr=False)

    def memo(self, name: str) -> dict:
        """A named memo table that lives and dies with this book (for values derived from it)."""
        table = self._memos.get(name)
        if table is None:
            table = self._memos[name] = {}
        return table

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RuleMissing(rule_id) from None

    def value(self, rule_id: str, on: date) -> Any:
        return self.rule(rule_id).value_at(on)

    def platform(self, platform_id: str) -> PlatformView:
        view = self._views.get(platform_id)
        if view is None:
            if platform_id not in self.platforms:
                raise RuleMissing(platform_id)
            view = PlatformView(self, platform_id)
            self._views[platform_id] = view
        return view

    def epoch(self, on: date) -> int:
        """Which stretch between effective dates ``on`` falls in: equal epochs, equal values."""
        memo = self.memo("epoch")
        points = memo.get("breakpoints")
        if points is None:
            points = memo["breakpoints"] = sorted(
                {d for rule in self.rules.values() for d, _ in rule.values[1:]})
        return bisect.bisect_right(points, on)

    def platform_ids(self) -> list[str]:
        """Platforms in the guide's order (``order`` in the pack), then by id."""
        return sorted(self.platforms, key=lambda p: (self.platforms[p].order, p))


class PlatformView:
    """Resolves ``key`` for one platform: its own pack, then what it extends, then common."""

    def __init__(self, book: RuleBook, platform_id: str):
        self.book = book
        self.id = platform_id
        chain = []
        seen = set()
        current: str | None = platform_id
        while current and current not in seen:
            seen.add(current)
            chain.append(current)
            current = book.platforms[current].extends if current in book.platforms else None
        chain.append("common")
        self.chain = tuple(chain)
        self._cache: dict[str, Rule | None] = {}
        self._ids: dict[str, str] = {}
        self._values: dict[tuple[str, int], tuple[str, Any]] = {}

    @property
    def meta(self) -> Platform:
        return self.book.platforms[self.id]

    def find(self, key: str) -> Rule | None:
        if key in self._cache:
            return self._cache[key]
        found = None
        for prefix in self.chain:
            found = self.book.rules.get(f"{prefix}.{key}")
            if found is not None:
                break
        self._cache[key] = found
        return found

    def rule(self, key: str) -> Rule:
        found = self.find(key)
        if found is None:
            raise RuleMissing(f"{self.id}.{key}")
        return found

    def value(self, key: str, on: date) -> Any:
        return self.rule(key).value_at(on)

    def resolve(self, key: str) -> str:
        """The id of the rule in force for ``key`` (a full ``common.`` id is returned as is)."""
        rid = self._ids.get(key)
        if rid is None:
            rid = self._ids[key] = key if key.startswith("common.") else self.rule(key).id
        return rid

    def id_and_value(self, key: str, on: date, epoch: int | None = None) -> tuple[str, Any]:
        """(rule id, value on ``on``), memoised per epoch: plans on many dates share it.

        Callers asking many keys for one date pass ``epoch`` (``book.epoch(on)``) once.
        """
        memo = (key, self.book.epoch(on) if epoch is None else epoch)
        found = self._values.get(memo)
        if found is None:
            rule = self.rule(key)
            found = self._values[memo] = (rule.id, rule.value_at(on))
        return found

    def get(self, key: str, on: date, default: Any = None) -> Any:
        found = self.find(key)
        return default if found is None else found.value_at(on)
