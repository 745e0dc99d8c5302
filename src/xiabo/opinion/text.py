"""Normalise and tokenise comment text once, for the cache, the sentiment model and keywords.

Why one place: live comments repeat a lot ("666", "主播一路走好"), so the normalised text is
the cache key of every per-text computation; the tokeniser (jieba, loaded lazily: its dictionary
takes ~0.8 s the first time) must be the same for sentiment and keywords.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

__all__ = ["content_terms", "normalise", "tokenise"]

_SPACE = re.compile(r"\s+")
_RUN = re.compile(r"(.)\1{3,}")          # 哈哈哈哈哈哈 -> 哈哈哈
_TERM_OK = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, one space, long runs of one character cut to three."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _SPACE.sub(" ", text).strip()
    return _RUN.sub(r"\1\1\1", text)


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for word in register_words():
        jieba.add_word(word)
    return jieba


@cache
def register_words() -> tuple[str, ...]:
    """The live-stream lexicon's phrases (塌房, 割韭菜 …): jieba's dictionary predates many."""
    import yaml

    data = yaml.safe_load((Path(__file__).parent / "data" / "lexicon.yaml")
                          .read_text(encoding="utf-8"))
    words = {normalise(str(p)) for key in ("positive", "negative") for group in data[key].values()
             for p in group}
    return tuple(sorted(w for w in words if 2 <= len(w) <= 6 and _TERM_OK.match(w)))


def tokenise(norm: str) -> list[str]:
    """Words of a normalised text (jieba with its HMM for unknown words; never paddle)."""
    return _jieba().lcut(norm)


@cache
def _stopwords() -> frozenset[str]:
    from .model import stopwords

    return stopwords() | frozenset({"主播", "直播", "直播间", "就是", "还是", "什么", "这个",
                                    "那个", "一个", "我们", "你们", "他们", "自己", "没有"})


def content_terms(tokens: list[str]) -> list[str]:
    """Tokens worth counting as keywords: two characters or more, words not stop words."""
    stop = _stopwords()
    return [w for w in tokens if len(w) >= 2 and w not in stop and _TERM_OK.match(w)]
