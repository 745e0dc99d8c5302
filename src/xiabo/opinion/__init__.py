"""Opinion monitoring: comment ingest, sentiment, spikes and the daily report.

``label(text)`` is the one public way to ask what a comment says: "negative", "neutral" or
"positive"; ``label_many(texts)`` does the same for many (sharing one cache). Ingest, the
reports and ``bench/opinion_eval.py`` all label through the same ``sentiment.Scorer``.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["label", "label_many"]

_scorer = None


def _shared():
    global _scorer
    if _scorer is None:
        from .sentiment import Scorer

        _scorer = Scorer(tokens=False)
    return _scorer


def label(text: str) -> str:
    """"negative" | "neutral" | "positive" for one comment (offline; no download)."""
    from .sentiment import label_name

    return label_name(_shared().score(text).label)


def label_many(texts: Iterable[str]) -> list[str]:
    """The labels of many comments, in order (repeats are scored once)."""
    from .sentiment import label_name

    score = _shared().score
    return [label_name(score(t).label) for t in texts]
