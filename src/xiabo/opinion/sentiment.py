"""Label a comment negative / neutral / positive, offline, thousands per second.

Why this combination: SnowNLP's Bayes model (``model``) knows general Chinese praise and
complaint but was trained on shopping reviews and has no neutral class; fans' comments around
an exit have their own words (塌房, 割韭菜, 一路走好) and a lot of spam and questions. A small
lexicon (``data/lexicon.yaml``) decides when it has a hit; the model's log-odds tip the balance
and decide alone, with a wide neutral band, when the lexicon is silent. Results are cached by
normalised text: live comments repeat a lot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .model import load_model, stopwords
from .text import normalise, tokenise

__all__ = ["LABELS", "Scored", "Scorer", "label_name"]

LABELS = (-1, 0, 1)  # negative, neutral, positive (stored as these integers)
_NAMES = {-1: "negative", 0: "neutral", 1: "positive"}
_LEXICON = Path(__file__).parent / "data" / "lexicon.yaml"
_QUESTION = re.compile(r"[?？吗呢]\s*$|^(请问|有人知道|有没有|怎么|为什么|几点|哪里|是不是)")

# Decision constants of the method (not rules of the guide or the law).
_MODEL_WEIGHT = 0.15      # how much the shopping-review model counts next to a lexicon hit
_MODEL_BAND = 2.5         # |log-odds| the model needs alone to leave neutral
_QUESTION_BAND = 5.0      # the same for a question


def label_name(label: int) -> str:
    """'negative' / 'neutral' / 'positive' (JSON and catalogue keys)."""
    return _NAMES[label]


@dataclass(frozen=True, slots=True)
class Scored:
    """A text's label, its score (log-odds-like, < 0 is negative) and its words."""

    label: int
    score: float
    tokens: tuple[str, ...]


@cache
def _lexicon() -> tuple[re.Pattern, dict[str, float], re.Pattern]:
    import yaml

    data = yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))
    weights: dict[str, float] = {}
    for sign, key in ((1.0, "positive"), (-1.0, "negative")):
        for weight, phrases in data[key].items():
            for phrase in phrases:
                weights[normalise(str(phrase))] = sign * float(weight)
    ordered = sorted(weights, key=len, reverse=True)
    phrases = re.compile("|".join(map(re.escape, ordered)))
    spam = re.compile("|".join(map(re.escape, sorted((normalise(str(p)) for p in data["spam"]),
                                                      key=len, reverse=True))))
    return phrases, weights, spam


class Scorer:
    """Scores texts with a per-instance cache (one scorer per ingest or evaluation run).

    The model and the lexicon load on the first text scored, so a file refused on its first
    rows (a year-1 time) is answered without loading them."""

    def __init__(self, cache_size: int = 200_000):
        self._cache: dict[str, Scored] = {}
        self._cache_size = cache_size

    @cached_property
    def _model(self):
        return load_model()

    @cached_property
    def _stop(self):
        return stopwords()

    @cached_property
    def _lex(self):
        return _lexicon()

    def score(self, text: str) -> Scored:
        """Label ``text`` (any form; it is normalised here)."""
        return self.score_normalised(normalise(text))

    def score_normalised(self, norm: str) -> Scored:
        hit = self._cache.get(norm)
        if hit is None:
            hit = self._score(norm)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[norm] = hit
        return hit

    def _score(self, norm: str) -> Scored:
        tokens = tuple(tokenise(norm))
        stop = self._stop
        odds = self._model.log_odds([w for w in tokens if w not in stop and not w.isspace()])
        phrases, weights, spam = self._lex
        if spam.search(norm):
            return Scored(0, 0.0, tokens)
        lex = sum(weights[m.group()] for m in phrases.finditer(norm))
        if lex:
            score = lex + _MODEL_WEIGHT * odds
            return Scored(1 if score > 0 else -1 if score < 0 else 0, score, tokens)
        band = _QUESTION_BAND if _QUESTION.search(norm) else _MODEL_BAND
        label = 1 if odds > band else -1 if odds < -band else 0
        return Scored(label, odds if label else 0.0, tokens)
