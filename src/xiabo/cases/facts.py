"""Gather a case's facts from every source, reading a source again only when its stamp moved.

One cache for all front ends: the key is the source's own stamp (file sizes and times, row
counts and newest changes), so the CLI, the web and the stored dashboard columns read the same
values for the same state, and an unchanged case costs a few ``stat`` calls.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from threading import Lock
from typing import Any

from .ref import CaseRef
from .sources import SOURCES, FactSource

__all__ = ["Facts", "gather", "forget_facts"]

_CACHE: OrderedDict[tuple, tuple[Any, str]] = OrderedDict()
_LOCK = Lock()
_SIZE = 4096


@dataclass(frozen=True)
class Facts:
    """The facts of one case on one day: ``values`` by the planner's keyword, and ``key``, a
    string that is equal exactly when the values are (the plan cache's key part)."""

    values: dict[str, Any]
    key: tuple[str, ...]

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


def _value_key(value: Any) -> str:
    if value is None:
        return ""

    def default(obj: Any) -> Any:
        if isinstance(obj, (set, frozenset)):
            return sorted(obj, key=str)
        return str(obj)

    return json.dumps(value, sort_keys=True, default=default, ensure_ascii=False)


def _one(source: FactSource, ref: CaseRef, profile: Any, today: date) -> tuple[Any, str]:
    stamp: Hashable | None = source.stamp(ref, profile, today)
    if stamp is None:
        return None, ""
    key = (source.name, stamp)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    value = source.read(ref, profile, today)
    found = (value, _value_key(value))
    with _LOCK:
        _CACHE[key] = found
        while len(_CACHE) > _SIZE:
            _CACHE.popitem(last=False)
    return found


def gather(ref: CaseRef, profile: Any, today: date,
           sources: tuple[FactSource, ...] = SOURCES) -> Facts:
    """Every source's facts for ``ref`` (a source with nothing recorded gives None)."""
    values: dict[str, Any] = {}
    keys = []
    for source in sources:
        value, key = _one(source, ref, profile, today)
        values[source.name] = value
        keys.append(key)
    return Facts(values, tuple(keys))


def forget_facts() -> None:
    """Drop every cached fact (tests, and after the rule book changed)."""
    with _LOCK:
        _CACHE.clear()
