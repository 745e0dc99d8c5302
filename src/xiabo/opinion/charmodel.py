"""A linear model over character n-grams, read from a small file shipped in the package.

Why characters: comments are short, full of slang and typos, and jieba splits new words
(塌房, 割韭菜) unpredictably; character 1–3-grams see 不好 in 真不好用 and 好 alone.
Why a linear model in a text file: it is trained offline on third-party labelled Chinese
reviews and posts (``bench/opinion_train.py``; sources and licences in docs/opinion.md), it needs
no numpy at run time, scores ~50,000 short texts a second, and anyone can read its weights.
Each text is a set of n-grams, each worth ``1/sqrt(n)`` so long and short texts score alike.
A model may also weigh jieba's words (keys starting with a space, which no n-gram holds): the
shipped one does, as it did better on the development data (docs/opinion.md); jieba's odd splits
cost little when the characters are there too.
"""

from __future__ import annotations

import gzip
import math
from functools import cache
from pathlib import Path

from ..errors import UserError

__all__ = ["MODEL_FILE", "WORD", "CharModel", "features", "load_char_model", "ngrams"]

MODEL_FILE = Path(__file__).parent / "data" / "charlr.tsv.gz"
ORDERS = (1, 2, 3)
_MAX_CHARS = 400   # the opening of a long text says enough; the cost stays bounded
WORD = " "         # a word feature's key starts with a space: no character n-gram has one


def ngrams(norm: str) -> set[str]:
    """The distinct character 1–3-grams of a normalised text (spaces dropped)."""
    text = norm.replace(" ", "")[:_MAX_CHARS]
    n = len(text)
    grams = set(text)
    grams.update(text[i:i + 2] for i in range(n - 1))
    grams.update(text[i:i + 3] for i in range(n - 2))
    return grams


def features(norm: str, words: bool = False, tokens: list[str] | tuple[str, ...] | None = None
             ) -> set[str]:
    """The n-grams, and with ``words`` the jieba words (keys prefixed with :data:`WORD`);
    ``tokens``: the text's words when the caller has them already (ingest does)."""
    grams = ngrams(norm)
    if words:
        if tokens is None or len(norm) > _MAX_CHARS:
            from .text import tokenise

            tokens = tokenise(norm[:_MAX_CHARS])
        grams.update(WORD + w for w in tokens if w.strip())
    return grams


class CharModel:
    """``logit(norm)``: log-odds that a normalised text is positive rather than negative."""

    __slots__ = ("bias", "weights", "words")

    def __init__(self, bias: float, weights: dict[str, float]):
        self.bias = bias
        self.weights = weights
        self.words = any(g.startswith(WORD) for g in weights)  # a model with word features

    def logit(self, norm: str) -> float:
        return self.judge(norm)[0]

    def judge(self, norm: str, tokens=None) -> tuple[float, float]:
        """(log-odds, the largest single n-gram weight in size): how much the text says at all."""
        grams = features(norm, self.words, tokens)
        if not grams:
            return 0.0, 0.0
        get = self.weights.get
        ws = [get(g, 0.0) for g in grams]
        return self.bias + sum(ws) / math.sqrt(len(grams)), max(map(abs, ws))

    def write(self, path: Path, header: str) -> None:
        lines = [f"# {line}" for line in header.splitlines()]
        lines.append(f"__bias__\t{self.bias:.4f}")
        lines += [f"{g}\t{w:.3f}" for g, w in sorted(self.weights.items())]
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
            fh.write("\n".join(lines) + "\n")

    @classmethod
    def read(cls, path: Path) -> CharModel:
        bias, weights = 0.0, {}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("# "):  # a comment; an n-gram never holds a space, and
                    continue               # n-grams starting with # (Weibo topics) are weights
                gram, _, value = line.rstrip("\n").rpartition("\t")
                if gram == "__bias__":
                    bias = float(value)
                elif gram:
                    weights[gram] = float(value)
        return cls(bias, weights)


@cache
def load_char_model() -> CharModel:
    """The shipped model (~0.2 s to read); a UserError if the file is missing or damaged."""
    try:
        return CharModel.read(MODEL_FILE)
    except (OSError, EOFError, ValueError):
        raise UserError("opinion.err.model_file", {"path": str(MODEL_FILE)}, file=str(MODEL_FILE),
                        fix_key="opinion.fix.model_file") from None
