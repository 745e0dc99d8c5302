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

__all__ = ["Coverage", "Report", "SpikeDetail", "build_report", "coverage", "report_for_dir"]

_BEHIND = 3   # negative messages shown behind each spike


@dataclass
class SpikeDetail:
    """A spike day with its size and the negative messages people engaged with most that day."""

    day: Bucket
    messages: list[TopMessage]

    @property
    def ratio(self) -> float | None:
        base = self.day.point.baseline if self.day.point else None
        return self.day.negative / base if base else None

    def to_dict(self) -> dict:
        point = self.day.point
        return {"date": self.day.day.isoformat(), "negative": self.day.negative,
                "volume": self.day.volume,
                "baseline": round(point.baseline, 1) if point and point.baseline is not None
                else None,
                "ratio": round(self.ratio, 2) if self.ratio else None,
                "messages": [m.to_dict() for m in self.messages]}


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
    spike_details: list[SpikeDetail] = field(default_factory=list)

    @property
    def spikes(self) -> list[Bucket]:
        return [d for d in self.days if d.spike]

    @property
    def data_days(self) -> int:
        """Days from the first day with messages to the report's last day."""
        first = next((d.day for d in self.days if d.volume), None)
        return (self.until - first).days + 1 if first else 0

    @property
    def unjudged(self) -> list[Bucket]:
        """Days with messages that had too little history before them for a verdict."""
        return [d for d in self.days if d.volume and d.status == "no_history"]

    @property
    def verdict(self) -> str:
        """spikes | none | cannot_judge: no day with messages could be judged at all."""
        if self.spikes:
            return "spikes"
        with_data = [d for d in self.days if d.volume]
        if with_data and all(d.status == "no_history" for d in with_data):
            return "cannot_judge"
        return "none"

    @property
    def hour_verdict(self) -> str:
        """The hourly view's verdict, in the daily one's words: spikes | none | cannot_judge.

        It cannot judge when no hour has messages, when every hour with messages lacked the
        hours of history a comparison needs, or when no hour reached the smallest negative
        count that makes a spike: "no spike" would then only mean "too little to tell".
        """
        return self.hour_judgement[0]

    @property
    def hour_judgement(self) -> tuple[str, str | None]:
        """(verdict, why it cannot judge: no_data | history | few | None)."""
        if any(h.spike for h in self.hours):
            return "spikes", None
        with_data = [h for h in self.hours if h.volume]
        if not with_data:
            return "cannot_judge", "no_data"
        if all(h.status == "no_history" for h in with_data):
            return "cannot_judge", "history"
        if max(h.negative for h in self.hours) < self.rules.hourly_spike.min_value:
            return "cannot_judge", "few"
        return "none", None

    @property
    def hour_standouts(self) -> list[Bucket]:
        """Hours whose negatives stand out without being a spike (no history yet, or too few)."""
        return [h for h in self.hours if h.stands_out and not h.spike]

    @property
    def standouts(self) -> list[Bucket]:
        """Days whose negatives stand out without being a spike (no history yet, or too few)."""
        return [d for d in self.days if d.stands_out and not d.spike]

    def thin(self, day: Bucket) -> bool:
        """Too few messages that day for its shares to mean much (rule day_min_messages)."""
        return day.volume < self.rules.day_min_messages

    def share(self, label: str) -> float:
        total = sum(d.volume for d in self.days)
        return sum(getattr(d, label) for d in self.days) / total if total else 0.0

    def to_dict(self) -> dict:
        return {
            "format": "xiabo.opinion/1",
            "since": self.since.isoformat(), "until": self.until.isoformat(),
            "total": self.total,
            "share": {k: round(self.share(k), 4) for k in ("negative", "neutral", "positive")},
            "days": [{**d.to_dict(), "thin": self.thin(d)} for d in self.days],
            "spikes": [d.day.isoformat() for d in self.spikes],
            "spike_verdict": self.verdict,
            "spike_details": [s.to_dict() for s in self.spike_details],
            "standouts": [d.day.isoformat() for d in self.standouts],
            "judgement_needs": {"history_days": self.rules.spike.min_history,
                                "data_days": self.data_days,
                                "min_negative": self.rules.spike.min_value,
                                "day_min_messages": self.rules.day_min_messages},
            "keywords": [k.to_dict() for k in self.keywords],
            "negative_keywords": [k.to_dict() for k in self.negative_keywords],
            "new_phrases": [k.to_dict() for k in self.new_phrases],
            "most_liked_negative": [m.to_dict() for m in self.most_liked],
            "most_replied_negative": [m.to_dict() for m in self.most_replied],
            "last_live": self.last_live.isoformat() if self.last_live else None,
            "hours": [h.to_dict() for h in self.hours],
            "hour_verdict": self.hour_verdict if self.hours else None,
            "hour_cannot_judge_because": self.hour_judgement[1] if self.hours else None,
            "hour_standouts": [f"{h.day.isoformat()}T{h.hour:02d}" for h in self.hour_standouts],
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
    report.spike_details = [SpikeDetail(d, top_negative(store, d.day, d.day, "likes", _BEHIND)
                                        or top_negative(store, d.day, d.day, "time", _BEHIND))
                            for d in report.spikes[:10]]
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
