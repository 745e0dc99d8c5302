"""Answers as people type them → typed values, shared by ``xiabo init`` and the web wizard.

Forgiving on form (是/否/y/对, 120万, ￥12,000, 12000元, 微信，支付宝, 快手, 第 2 项), strict on
meaning: every value is checked at once against the profile model's own limits (read from the
field constraints in ``roadmap/profile.py``, never repeated here).

API: ``parse_answer(question, text) -> value`` or raises ``AnswerError``; ``err.message(lang)``
is the sentence to show.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

__all__ = ["AnswerError", "parse_answer", "parse_bool", "parse_number", "match_choice",
           "check_limits", "is_back", "choice_options", "BACK_WORDS"]

BACK_WORDS = ("上一题", "上一步", "返回", "back", "b", "<")
_YES = ("是", "是的", "对", "对的", "要", "有", "好", "好的", "y", "yes", "true", "1", "ok", "嗯", "会")
_NO = ("否", "不是", "不", "不要", "没有", "没", "无", "不对", "n", "no", "false", "0", "不会")
_UNITS = {"万": Decimal(10_000), "w": Decimal(10_000), "千": Decimal(1_000), "k": Decimal(1_000),
          "亿": Decimal(100_000_000)}


class AnswerError(ValueError):
    """An answer that cannot be used; ``key``/``params`` name the catalogue sentence."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, lang: str = "zh") -> str:
        from ..i18n import t

        return t(self.key, lang, **self.params)


def _norm(text: str) -> str:
    """Full-width digits and letters to ASCII, trimmed, lower-case (NFKC)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def is_back(text: str) -> bool:
    return _norm(text).lower() in BACK_WORDS


def parse_bool(text: str) -> bool:
    word = _norm(text).lower().rstrip("。.!！")
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError("init.err_bool")


_NONE = ("没有", "没", "无", "零", "没有了", "一个也没有", "none")


def parse_number(text: str, *, integer: bool) -> Decimal:
    """「120万」→ 1200000, 「￥12,000」/「12000元」→ 12000, 「1.5k」→ 1500, 「没有」→ 0."""
    s = _norm(text).lower().replace(",", "").replace("，", "").replace(" ", "")
    if s.rstrip("。.") in _NONE:
        return Decimal(0)
    s = s.lstrip("¥￥").removeprefix("rmb").removeprefix("cny")
    for suffix in ("元", "块", "块钱", "人民币", "个", "条", "笔", "颗", "天", "个月", "月", "人", "粉"):
        s = s.removesuffix(suffix)
    factor = Decimal(1)
    if s and s[-1] in _UNITS:
        factor, s = _UNITS[s[-1]], s[:-1]
    try:
        value = Decimal(s) * factor
    except (InvalidOperation, ValueError):
        raise AnswerError("init.err_int" if integer else "init.err_decimal") from None
    if not value.is_finite():
        raise AnswerError("init.err_decimal")
    if value < 0:
        raise AnswerError("init.err_negative")
    if integer and value != value.to_integral_value():
        raise AnswerError("init.err_int")
    return value


def _parse_date(text: str, today: date | None, past: bool = False) -> str:
    s = _norm(text)
    if s in ("今天", "today") and today is not None:
        return today.isoformat()
    if s in ("明天", "tomorrow") and today is not None:
        return (today + timedelta(days=1)).isoformat()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?", s)
    short = None if m else re.fullmatch(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?", s)
    if not m and not (short and today is not None):
        raise AnswerError("init.err_date")
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        # 「12月8号」: the nearest such day to today (this year, else the next or the last);
        # for a fact (``past``: a signing date) the latest one not after today
        days = [date(today.year + k, int(short[1]), int(short[2])) for k in (0, 1, -1)]
        if past:
            return max(d for d in days if d <= today).isoformat()
        return min(days, key=lambda d: abs((d - today).days)).isoformat()
    except ValueError:
        raise AnswerError("init.err_date") from None


def choice_options(question, platforms: list[str] | None = None) -> list[dict]:
    """Each choice as {value, zh, en, aliases}; platforms and bare values get vocabulary words."""
    from ..vocabulary import word

    if question.choices == "platforms":
        raw = [{"value": p} for p in (platforms or [])]
    elif isinstance(question.choices, str):  # a rule's list not resolved for a platform yet
        raw = []
    else:
        raw = [c if isinstance(c, dict) else {"value": c} for c in (question.choices or [])]
    out = []
    for c in raw:
        v = c["value"]
        out.append({"value": v, "zh": c.get("zh") or word(v, "zh") or v,
                    "en": c.get("en") or word(v, "en") or v, "aliases": list(c.get("aliases", []))})
    return out


def match_choice(options: list[dict], text: str) -> str:
    """The value whose number, key, label (either language) or alias matches ``text``."""
    s = _norm(text).lower()
    m = re.fullmatch(r"(?:第\s*)?(\d+)\s*(?:项|个|号|\.)?", s)
    if m and 1 <= int(m[1]) <= len(options):
        return options[int(m[1]) - 1]["value"]
    for opt in options:
        names = [opt["value"], opt["zh"], opt["en"], *opt["aliases"]]
        if any(s == _norm(n).lower() for n in names):
            return opt["value"]
    prefix = [o for o in options if any(_norm(n).lower().startswith(s) for n in (o["zh"], o["en"]))]
    if s and len(prefix) == 1:  # 「劳动合同」 for 「劳动合同（机构给你交社保、发工资）」
        return prefix[0]["value"]
    raise AnswerError("init.err_choice", choices=_listing(options))


def _listing(options: list[dict]) -> str:
    return "  ".join(f"{i}. {o['zh']}" for i, o in enumerate(options, 1))


@lru_cache(maxsize=256)
def _field(path: str):
    """The profile model's FieldInfo for a dotted question id (None for helper questions)."""
    from ..roadmap.profile import Profile

    model, info = Profile, None
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        model = info.annotation
        args = getattr(model, "__args__", ())
        model = next((a for a in args if hasattr(a, "model_fields")), model)
    return info


@lru_cache(maxsize=256)
def _adapter(path: str):
    from typing import Annotated

    from pydantic import TypeAdapter

    info = _field(path)
    if info is None:
        return None
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])


def check_limits(question_id: str, value: Any) -> Any:
    """Check ``value`` against the model's own limits for that field; AnswerError if outside."""
    if value is None:
        return value
    adapter = _adapter(question_id)
    if adapter is None:
        return value
    from pydantic import ValidationError

    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        ctx = err.get("ctx") or {}
        kind = err["type"]
        if kind in ("less_than_equal", "less_than"):
            raise AnswerError("init.err_too_large", max=ctx.get("le", ctx.get("lt"))) from None
        if kind in ("greater_than_equal", "greater_than"):
            raise AnswerError("init.err_too_small", min=ctx.get("ge", ctx.get("gt"))) from None
        if kind in ("string_too_long", "too_long"):
            raise AnswerError("init.err_too_long", max=ctx.get("max_length")) from None
        if kind == "string_pattern_mismatch":
            raise AnswerError("init.err_control") from None
        if kind.startswith("decimal_max"):
            raise AnswerError("init.err_decimal") from None
        raise AnswerError("init.err_invalid") from None
    return value


def parse_answer(question, text: str, platforms: list[str] | None = None, *,
                 today: date | None = None) -> Any:
    """Typed value for ``text``, checked against the profile's limits; AnswerError if not usable."""
    raw = _norm(text)
    if raw == "":
        if question.optional:
            return None
        if question.default is not None:
            return question.default
        raise AnswerError("init.err_required")
    kind = question.type
    if kind == "text":
        value: Any = raw
    elif kind == "int":
        value = int(parse_number(raw, integer=True))
    elif kind == "decimal":
        value = format(parse_number(raw, integer=False).normalize(), "f")
    elif kind == "bool":
        value = parse_bool(raw)
    elif kind == "date":
        value = _parse_date(raw, today, past=question.id.endswith("_on"))
    elif kind == "choice":
        value = match_choice(choice_options(question, platforms), raw)
    elif kind == "list":
        if raw.lower() in ("无", "没有", "none", "no", "-"):
            return []
        options = choice_options(question, platforms)
        parts = [p for p in re.split(r"[,，、;；/\s]+|和|及", raw) if p]
        value = []
        for part in parts:
            picked = match_choice(options, part) if options else part
            if picked not in value:
                value.append(picked)
    else:
        raise AnswerError("init.err_required")
    return check_limits(question.id, value)
