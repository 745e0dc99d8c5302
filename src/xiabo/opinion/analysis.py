"""From the store to the report's figures: days, hours, spikes, keywords, loudest complaints.

Why SQL aggregates: the report must take seconds for a million messages, so nothing here reads
messages one by one except the handful of top negative ones. Windows and thresholds come from
the rule pack (``common.opinion.*``), read on the report's day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from .spikes import SpikeParams, SpikePoint, detect
from .store import OpinionStore

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
                                 max(1.0, min_neg / 4), history, ratio),
        hours_before=int(v("common.opinion.hourly_days_before_last_live")),
        hours_after=int(v("common.opinion.hourly_days_after_last_live")),
        transition_days=int(v("common.fans.transition_days")),
        max_gap_days=int(v("common.opinion.coverage_max_gap_days")),
        top_keywords=int(v("common.opinion.top_keywords")),
        new_phrase_days=int(v("common.opinion.new_phrase_days")),
        followers=int(v("common.fans.opinion_monitoring_followers")),
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

    def to_dict(self) -> dict:
        data = {"date": self.day.isoformat(), "volume": self.volume, "negative": self.negative,
                "neutral": self.neutral, "positive": self.positive, "spike": self.spike}
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


def daily(store: OpinionStore, since: date, until: date, params: SpikeParams) -> list[Bucket]:
    """Every day from ``since`` to ``until`` (empty days too), spikes judged on negatives."""
    start = since - timedelta(days=params.window)
    buckets = {d.isoformat(): Bucket(d) for d in _days(start, until)}
    _fill(buckets, store.conn.execute(
        "SELECT day, sentiment, COUNT(*) FROM messages WHERE day BETWEEN ? AND ?"
        " GROUP BY day, sentiment", (start.isoformat(), until.isoformat())))
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


def hourly(store: OpinionStore, since: date, until: date, params: SpikeParams) -> list[Bucket]:
    """Every hour of the days from ``since`` to ``until``."""
    buckets = {(d.isoformat(), h): Bucket(d, h) for d in _days(since, until) for h in range(24)}
    rows = store.conn.execute(
        "SELECT day, hour, sentiment, COUNT(*) FROM messages WHERE day BETWEEN ? AND ?"
        " GROUP BY day, hour, sentiment", (since.isoformat(), until.isoformat()))
    _fill(buckets, (((d, h), s, n) for d, h, s, n in rows))
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


def keywords(store: OpinionStore, since: date, until: date, limit: int,
             negative: bool = False) -> list[Keyword]:
    """The most frequent words (messages containing them); ``negative``: by negative messages."""
    order = "SUM(neg)" if negative else "SUM(n)"
    rows = store.conn.execute(
        f"SELECT term, SUM(n), SUM(neg) FROM terms WHERE day BETWEEN ? AND ? GROUP BY term"
        f" HAVING {order} > 0 ORDER BY {order} DESC, term LIMIT ?",
        (since.isoformat(), until.isoformat(), limit))
    return [Keyword(t, int(n), int(neg)) for t, n, neg in rows]


def new_phrases(store: OpinionStore, since: date, until: date, recent_days: int,
                limit: int) -> list[Keyword]:
    """Words common in the last ``recent_days`` days and (almost) absent before them."""
    recent_start = max(since, until - timedelta(days=recent_days - 1))
    before_days = (recent_start - since).days
    if before_days <= 0:
        return []
    recent_days = (until - recent_start).days + 1
    rows = store.conn.execute(
        "SELECT term, SUM(CASE WHEN day >= ? THEN n ELSE 0 END) AS r,"
        " SUM(CASE WHEN day < ? THEN n ELSE 0 END) AS b,"
        " SUM(CASE WHEN day >= ? THEN neg ELSE 0 END)"
        " FROM terms WHERE day BETWEEN ? AND ? GROUP BY term HAVING r >= ?"
        " ORDER BY r DESC, term",
        (recent_start.isoformat(), recent_start.isoformat(), recent_start.isoformat(),
         since.isoformat(), until.isoformat(), _RECENT_MIN))
    out = []
    for term, recent, before, neg in rows:
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


def top_negative(store: OpinionStore, since: date, until: date, by: str,
                 limit: int = 5) -> list[TopMessage]:
    """The most-liked (``by='likes'``) or most-replied (``'replies'``) negative messages."""
    column = {"likes": "likes", "replies": "replies"}[by]
    # over a long range, walking the (likes DESC) index of negatives and stopping after
    # ``limit`` rows beats sorting every negative message of the range ('+day': no day index)
    day = "+day" if (until - since).days >= 7 else "day"
    rows = store.conn.execute(
        f"SELECT day, source, author, text, likes, replies FROM messages"
        f" WHERE {day} BETWEEN ? AND ? AND sentiment = -1 AND {column} > 0"
        f" ORDER BY {column} DESC, ts LIMIT ?", (since.isoformat(), until.isoformat(), limit))
    return [TopMessage(date.fromisoformat(d), s, mask_author(a), mask_message(t), lk, rp)
            for d, s, a, t, lk, rp in rows]
