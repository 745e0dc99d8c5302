"""SnowNLP's bundled sentiment model, read as data: word log-odds instead of the snownlp package.

Why not ``import snownlp``: the package loads its segmenter, tagger and every model at import
(2.5–4 s) and classifies ~1,100 texts/s. The sentiment model itself is a naive Bayes table
(``sentiment/sentiment.marshal.3``, gzip + marshal, add-one smoothing) trained on shopping
reviews. Here it is read once into one dict word -> log(P(w|pos)/P(w|neg)) and scored with the
same formula snownlp uses, over jieba tokens: the maths is the same, the cost is a dict lookup.
"""

from __future__ import annotations

import gzip
import importlib.util
import marshal
import math
from functools import cache
from pathlib import Path

from ..errors import UserError

__all__ = ["BayesModel", "load_model", "stopwords"]


def _package_dir() -> Path:
    """Where snownlp is installed, found without importing it (its import is the slow part)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("opinion.err.no_model", fix_key="opinion.fix.no_model")
    return Path(next(iter(spec.submodule_search_locations)))


class BayesModel:
    """Naive Bayes over words: ``log_odds(words)`` is log P(pos|words) - log P(neg|words)."""

    __slots__ = ("llr", "prior", "unseen")

    def __init__(self, pos: dict, neg: dict):
        p_total, n_total = pos["total"], neg["total"]
        p_none, n_none = pos["none"], neg["none"]
        self.prior = math.log(p_total) - math.log(n_total)
        # an unseen word counts ``none`` in both classes, like snownlp's AddOneProb
        self.unseen = math.log(p_none / p_total) - math.log(n_none / n_total)
        p_d, n_d = pos["d"], neg["d"]
        lp, ln = math.log(p_total), math.log(n_total)
        self.llr = {w: (math.log(p_d.get(w, p_none)) - lp) - (math.log(n_d.get(w, n_none)) - ln)
                    for w in set(p_d) | set(n_d)}

    def log_odds(self, words: list[str]) -> float:
        get, unseen = self.llr.get, self.unseen
        return self.prior + sum(get(w, unseen) for w in words)


@cache
def load_model() -> BayesModel:
    """The bundled model (≈30 ms to read); a UserError if snownlp is missing or broken."""
    path = _package_dir() / "sentiment" / "sentiment.marshal.3"
    try:
        with gzip.open(path, "rb") as fh:
            data = marshal.loads(fh.read())
        return BayesModel(data["d"]["pos"], data["d"]["neg"])
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        raise UserError("opinion.err.no_model", fix_key="opinion.fix.no_model") from None


@cache
def stopwords() -> frozenset[str]:
    """SnowNLP's stop-word list (the model was trained without these words)."""
    path = _package_dir() / "normal" / "stopwords.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()
