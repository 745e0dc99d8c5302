"""From the store to the report's figures: days, hours, spikes, keywords, loudest complaints.

Why aggregates from the store: the report must take seconds for a million messages, so nothing
here reads messages one by one except the handful of top negative ones; the store (the CLI's
SQLite file or the web's database, ``xiabo.opinion.backend``) computes them from its indexes. Windows and thresholds come from
the rule pack (``common.opinion.*``), read on the report's day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import sqrt

from .backend import OpinionBackend
from .spikes import SpikeParams, SpikePoint, detect

__all__ = ["Bucket", "Keyword", "OpinionRules", "TopMessage", "daily", "hourly", "keywords",
           "mask_author", "mask_message", "new_phrases", "opinion_rules", "top_negative"]

_RECENT_MIN = 3          # a new phrase appears at least this often in the recent days
_BEFORE_RATIO = 0.1      # ...and before them at most this share of its recent daily rate


@dataclass(frozen=True)
class OpinionRules:
    """The rule-pack values the analysis uses, with their ids (reports cite them)."""

    spike: SpikeParams
    hourly_spike: SpikeParams
    hours_before: int
    hours_after: int
    transition_days: int
    max_gap_days: int
    top_keywords: int
    new_phrase_days: int
    followers: int
    day_min_messages: int = 30


def opinion_rules(on: date, overlays=None) -> OpinionRules:
    """Read ``common.opinion.*`` and the guide's transition and follower figures on ``on``."""
    from ..rules import load_rulebook

    book = load_rulebook(overlays)

    def v(rule_id: str):
        return book.value(rule_id, on)

    window, k = int(v("common.opinion.spike_window_days")), float(v("common.opinion.spike_mad_k"))
    min_neg = float(v("common.opinion.spike_min_negative"))
    history = int(v("common.opinion.spike_min_history_days"))
    ratio = float(v("common.opinion.spike_min_ratio"))
    return OpinionRules(
        spike=SpikeParams(window, k, min_neg, history, ratio),
        hourly_spike=SpikeParams(int(v("common.opinion.spike_window_hours")), k,
                                 float(v("common.opinion.spike_min_negative_hour")), history,
                                 ratio),
        hours_before=int(v("common.opinion.hourly_days_before_last_live")),
        hours_after=int(v("common.opinion.hourly_days_after_last_live")),
        transition_days=int(v("common.fans.transition_days")),
        max_gap_days=int(v("common.opinion.coverage_max_gap_days")),
        top_keywords=int(v("common.opinion.top_keywords")),
        new_phrase_days=int(v("common.opinion.new_phrase_days")),
        followers=int(v("common.fans.opinion_monitoring_followers")),
        day_min_messages=int(v("common.opinion.day_min_messages")),
    )


@dataclass
class Bucket:
    """One day (or one hour of a day): message counts by sentiment and the spike verdict."""

    day: date
    hour: int | None = None
    negative: int = 0
    neutral: int = 0
    positive: int = 0
    point: SpikePoint | None = None

    @property
    def volume(self) -> int:
        return self.negative + self.neutral + self.positive

    @property
    def spike(self) -> bool:
        return bool(self.point and self.point.spike)

    @property
    def status(self) -> str:
        """spike | quiet | no_history | too_few (see ``spikes.STATUSES``)."""
        return self.point.status if self.point else "quiet"

    @property
    def stands_out(self) -> bool:
        return bool(self.point and self.point.stands_out)

    def share(self, label: str) -> float:
        return getattr(self, label) / self.volume if self.volume else 0.0

    @property
    def margin(self) -> float:
        """How sure the negative share is: half its 95 % interval (normal approximation)."""
        if not self.volume:
            return 0.0
        p = self.share("negative")
        return 1.96 * sqrt(max(p * (1 - p), 0.25 / self.volume) / self.volume)

    def to_dict(self) -> dict:
        data = {"date": self.day.isoformat(), "volume": self.volume, "negative": self.negative,
                "neutral": self.neutral, "positive": self.positive, "spike": self.spike,
                "status": self.status, "stands_out": self.stands_out,
                "negative_share": round(self.share("negative"), 4),
                "abstained_share": round(self.share("neutral"), 4),
                "negative_margin": round(self.margin, 4)}
        if self.hour is not None:
            data["hour"] = self.hour
        if self.point and self.point.threshold is not None:
            data["baseline"] = round(self.point.baseline, 1)
            data["threshold"] = round(self.point.threshold, 1)
        return data


def _days(since: date, until: date) -> list[date]:
    return [since + timedelta(days=i) for i in range((until - since).days + 1)]


def _fill(buckets: dict, rows) -> None:
    names = {-1: "negative", 0: "neutral", 1: "positive"}
    for key, sentiment, n in rows:
        bucket = buckets.get(key)
        if bucket is not None:
            setattr(bucket, names[sentiment], getattr(bucket, names[sentiment]) + n)


def daily(store: OpinionBackend, since: date, until: date, params: SpikeParams) -> list[Bucket]:
    """Every day from ``since`` to ``until`` (empty days too), spikes judged on negatives."""
    start = since - timedelta(days=params.window)
    buckets = {d.isoformat(): Bucket(d) for d in _days(start, until)}
    _fill(buckets, ((d.isoformat(), s, n) for d, s, n in store.day_counts(start, until)))
    ordered = list(buckets.values())
    lead = (since - start).days
    first = store.span()
    # days before the first message are unknown, not quiet: they are no baseline
    history = [b.negative for b in ordered[:lead] if first and b.day >= first[0]]
    shown = ordered[lead:]
    for bucket, point in zip(shown, detect([b.negative for b in shown], params, history),
                             strict=True):
        bucket.point = point
    return shown


def hourly(store: OpinionBackend, since: date, until: date, params: SpikeParams) -> list[Bucket]:
    """Every hour of the days from ``since`` to ``until``."""
    buckets = {(d.isoformat(), h): Bucket(d, h) for d in _days(since, until) for h in range(24)}
    _fill(buckets, (((d.isoformat(), h), s, n) for d, h, s, n in store.hour_counts(since, until)))
    ordered = list(buckets.values())
    for bucket, point in zip(ordered, detect([b.negative for b in ordered], params), strict=True):
        bucket.point = point
    return ordered


@dataclass(frozen=True)
class Keyword:
    term: str
    count: int
    negative: int

    def to_dict(self) -> dict:
        return {"term": self.term, "count": self.count, "negative": self.negative}


def keywords(store: OpinionBackend, since: date, until: date, limit: int,
             negative: bool = False) -> list[Keyword]:
    """The most frequent words (messages containing them); ``negative``: by negative messages."""
    return [Keyword(t, n, neg) for t, n, neg in store.term_totals(since, until, limit, negative)]


def new_phrases(store: OpinionBackend, since: date, until: date, recent_days: int,
                limit: int) -> list[Keyword]:
    """Words common in the last ``recent_days`` days and (almost) absent before them."""
    recent_start = max(since, until - timedelta(days=recent_days - 1))
    before_days = (recent_start - since).days
    if before_days <= 0:
        return []
    recent_days = (until - recent_start).days + 1
    out = []
    for term, recent, before, neg in store.term_split(since, until, recent_start, _RECENT_MIN):
        if before / before_days <= _BEFORE_RATIO * recent / recent_days:
            out.append(Keyword(term, int(recent), int(neg)))
            if len(out) >= limit:
                break
    return out


@dataclass
class TopMessage:
    """A negative message people engaged with, personal information masked."""

    day: date
    source: str
    author: str
    text: str
    likes: int
    replies: int
    masked: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"date": self.day.isoformat(), "source": self.source, "author": self.author,
                "text": self.text, "likes": self.likes, "replies": self.replies}


def mask_message(text: str) -> str:
    """``text`` with every identifier ``xiabo.privacy`` finds replaced by its mask."""
    from ..privacy.detect import find_spans
    from ..privacy.purge import mask_text

    return mask_text(text, find_spans(text))


def mask_author(name: str) -> str:
    """A nickname reduced to its first character (enough to recognise, not to look up)."""
    name = name.strip()
    if not name:
        return ""
    return mask_message(name[0]) + "**"


def top_negative(store: OpinionBackend, since: date, until: date, by: str,
                 limit: int = 5) -> list[TopMessage]:
    """The most-liked (``by='likes'``) or most-replied (``'replies'``) negative messages."""
    return [TopMessage(d, s, mask_author(a), mask_message(t), lk, rp)
            for d, s, a, t, lk, rp in store.top_negative(since, until, by, limit)]
