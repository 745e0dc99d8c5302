"""How each platform counts the length of a text (the methods named in channels.yaml notes).

``chars``  every character counts 1 (Kuaishou/Douyin captions, WeChat digest and body, DMs).
``weibo``  Chinese, full-width and other wide characters count 1, half-width ones 1/2, rounded up.
``wide2``  Chinese and full-width characters count 2, half-width 1 (strict WeChat title reading).
``words``  a run of letters/digits counts 1, and so does each CJK character (English scripts).

Characters are counted after NFC normalisation, as code points.
"""

from __future__ import annotations

import math
import unicodedata

__all__ = ["METHODS", "count"]

METHODS = ("chars", "weibo", "wide2", "words")


def _half(ch: str) -> bool:
    """Half-width: ASCII and the East Asian narrow/half-width classes."""
    return ord(ch) < 0x80 or unicodedata.east_asian_width(ch) in ("Na", "H")


def count(text: str, method: str = "chars") -> int:
    """Length of ``text`` as the platform counts it."""
    text = unicodedata.normalize("NFC", text)
    if method == "chars":
        return len(text)
    if method == "weibo":
        halves = sum(1 if _half(ch) else 2 for ch in text)
        return math.ceil(halves / 2)
    if method == "wide2":
        return sum(1 if _half(ch) else 2 for ch in text)
    if method == "words":
        import re

        return len(re.findall(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’-][A-Za-z0-9\u00c0-\u024f]+)*"
                              r"|[\u2e80-\u9fff\uf900-\ufaff]", text))
    raise ValueError(f"unknown counting method {method!r}")
