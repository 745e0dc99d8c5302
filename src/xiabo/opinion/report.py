"""The opinion report as plain data: what the terminal, JSON, HTML, PDF and web pages show.

Why one structure: the CLI summary, the files and the case page must say the same thing, so
they all render one ``Report`` built here from the store and the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..errors import UserError
from .analysis import (
    Bucket,
    Keyword,
    OpinionRules,
    TopMessage,
    daily,
    hourly,
    keywords,
    new_phrases,
    opinion_rules,
    top_negative,
)
from .backend import OpinionBackend
from .store import open_store

__all__ = ["Coverage", "Report", "build_report", "coverage", "report_for_dir"]


@dataclass
class Coverage:
    """Whether monitoring ran from the last live through the transition period."""

    last_live: date
    until: date                     # last live + transition days
    missing: list[date]             # days in that span without any message
    first: date | None
    last: date | None
    complete: bool

    def to_dict(self) -> dict:
        return {"last_live": self.last_live.isoformat(), "until": self.until.isoformat(),
                "first": self.first.isoformat() if self.first else None,
                "last": self.last.isoformat() if self.last else None,
                "missing_days": [d.isoformat() for d in self.missing], "complete": self.complete}


def coverage(store: OpinionBackend, last_live: date, rules: OpinionRules) -> Coverage:
    """Days with data from the last live to the end of the transition period (guide §四)."""
    end = last_live + timedelta(days=rules.transition_days)
    have = store.days(last_live, end)
    span = store.span()
    missing = [last_live + timedelta(days=i) for i in range((end - last_live).days + 1)
               if last_live + timedelta(days=i) not in have]
    complete = bool(span) and span[1] >= end and len(missing) <= rules.max_gap_days
    return Coverage(last_live, end, missing, span[0] if span else None,
                    span[1] if span else None, complete)


@dataclass
class Report:
    since: date
    until: date
    total: int
    days: list[Bucket]
    keywords: list[Keyword]
    negative_keywords: list[Keyword]
    new_phrases: list[Keyword]
    most_liked: list[TopMessage]
    most_replied: list[TopMessage]
    rules: OpinionRules
    hours: list[Bucket] = field(default_factory=list)
    last_live: date | None = None
    coverage: Coverage | None = None

    @property
    def spikes(self) -> list[Bucket]:
        return [d for d in self.days if d.spike]

    def share(self, label: str) -> float:
        total = sum(d.volume for d in self.days)
        return sum(getattr(d, label) for d in self.days) / total if total else 0.0

    def to_dict(self) -> dict:
        return {
            "format": "xiabo.opinion/1",
            "since": self.since.isoformat(), "until": self.until.isoformat(),
            "total": self.total,
            "share": {k: round(self.share(k), 4) for k in ("negative", "neutral", "positive")},
            "days": [d.to_dict() for d in self.days],
            "spikes": [d.day.isoformat() for d in self.spikes],
            "keywords": [k.to_dict() for k in self.keywords],
            "negative_keywords": [k.to_dict() for k in self.negative_keywords],
            "new_phrases": [k.to_dict() for k in self.new_phrases],
            "most_liked_negative": [m.to_dict() for m in self.most_liked],
            "most_replied_negative": [m.to_dict() for m in self.most_replied],
            "last_live": self.last_live.isoformat() if self.last_live else None,
            "hours": [h.to_dict() for h in self.hours],
            "coverage": self.coverage.to_dict() if self.coverage else None,
            "rules": {"spike_window_days": self.rules.spike.window,
                      "spike_mad_k": self.rules.spike.k,
                      "spike_min_negative": self.rules.spike.min_value},
        }


def build_report(store: OpinionBackend, *, since: date | None = None, until: date | None = None,
                 today: date | None = None, last_live: date | None = None,
                 overlays=None) -> Report:
    """The report over ``since``..``until`` (default: all stored days up to ``today``)."""
    span = store.span()
    if since and until and since > until:
        raise UserError("opinion.err.bad_range", {"since": since.isoformat(),
                        "until": until.isoformat()}, field="--since", fix_key="opinion.fix.bad_range")
    until = until or (span[1] if span else today or date.today())
    if today and until > today:
        until = today
    since = since or (span[0] if span else until)
    if since > until:
        since = until
    rules = opinion_rules(today or until, overlays)
    days = daily(store, since, until, rules.spike)
    report = Report(
        since, until, sum(d.volume for d in days), days,
        keywords(store, since, until, rules.top_keywords),
        keywords(store, since, until, rules.top_keywords // 2 or 1, negative=True),
        new_phrases(store, since, until, rules.new_phrase_days, rules.top_keywords // 2 or 1),
        top_negative(store, since, until, "likes"),
        top_negative(store, since, until, "replies"),
        rules,
    )
    if last_live:
        report.last_live = last_live
        start = max(since, last_live - timedelta(days=rules.hours_before))
        end = min(until, last_live + timedelta(days=rules.hours_after))
        if start <= end:
            report.hours = hourly(store, start, end, rules.hourly_spike)
        report.coverage = coverage(store, last_live, rules)
    return report


def report_for_dir(directory: str | Path, **kw) -> Report:
    """Open the store in ``directory`` (it must exist) and build its report."""
    with open_store(directory, create=False) as store:
        return build_report(store, **kw)
