"""The interview as data: one definition drives ``xiabo init`` and the web wizard.

Answers are parsed here (text → typed value) so both front ends give the same messages, and
``answers_to_profile`` turns the flat ``{"contract.agency": ...}`` answers into a profile dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["Question", "load_questions", "applicable", "parse_answer", "answers_to_profile",
           "AnswerError", "DEVICE_FIELDS"]

_FILE = Path(__file__).parent / "questions.yaml"

DEVICE_FIELDS = {
    "type": ("phone", "tablet", "computer", "camera", "capture_card", "storage", "light",
             "audio", "stand", "other"),
    "os": ("ios", "android", "windows", "macos", "linux", "other", ""),
    "disposal": ("sell", "donate", "keep", "recycle"),
}


class AnswerError(ValueError):
    """An answer that does not parse; ``key`` is a catalogue key for the message."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: dict[str, str]
    choices: Any = None
    default: Any = None
    when: str | None = None
    needs_rule: str | None = None
    optional: bool = False
    help: dict[str, str] = field(default_factory=dict)
    cli_hint: dict[str, str] = field(default_factory=dict)

    def choice_values(self, platforms: list[str] | None = None) -> list[str]:
        if self.choices == "platforms":
            return list(platforms or [])
        return [c["value"] for c in (self.choices or [])]

    def choice_label(self, value: str, lang: str) -> str:
        for c in self.choices or []:
            if isinstance(c, dict) and c["value"] == value:
                return c.get(lang, c["zh"])
        return value


@lru_cache(maxsize=1)
def load_questions() -> tuple[Question, ...]:
    import yaml

    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return tuple(Question(**item) for item in raw)


def _check_when(expr: str | None, answers: dict[str, Any]) -> bool:
    if not expr:
        return True
    left, _, right = (part.strip() for part in expr.partition("=="))
    expected: Any = {"true": True, "false": False}.get(right, right)
    return answers.get(left) == expected


def applicable(question: Question, answers: dict[str, Any], view=None) -> bool:
    """Whether to ask ``question`` given earlier answers and the platform's rules."""
    if not _check_when(question.when, answers):
        return False
    if question.needs_rule and view is not None and view.find(question.needs_rule) is None:
        return False
    return True


def default_for(question: Question, view=None, today: date | None = None) -> Any:
    value = question.default
    if value == "today":
        return (today or date.today()).isoformat()
    if isinstance(value, str) and value.startswith("rule:") and view is not None:
        return view.value(value[5:], today or date.today())
    return value


def parse_answer(question: Question, text: str, platforms: list[str] | None = None) -> Any:
    """Typed value for ``text``; raises AnswerError with a catalogue key."""
    text = (text or "").strip()
    if text == "":
        if question.optional:
            return None
        if question.default is not None:
            return question.default
        raise AnswerError("init.err_required")
    kind = question.type
    if kind == "text":
        return text
    if kind == "int":
        try:
            value = int(text.replace(",", "").replace("，", ""))
        except ValueError:
            raise AnswerError("init.err_int") from None
        if value < 0:
            raise AnswerError("init.err_negative")
        return value
    if kind == "decimal":
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise AnswerError("init.err_decimal") from None
        if not value.is_finite() or value < 0:
            raise AnswerError("init.err_negative")
        return str(value)
    if kind == "bool":
        lowered = text.lower()
        if lowered in ("y", "yes", "true", "1", "是", "要", "有", "对"):
            return True
        if lowered in ("n", "no", "false", "0", "否", "不", "不要", "没有", "无"):
            return False
        raise AnswerError("init.err_bool")
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise AnswerError("init.err_date") from None
    if kind == "choice":
        values = question.choice_values(platforms)
        if text not in values:
            raise AnswerError("init.err_choice", choices=", ".join(values))
        return text
    if kind == "list":
        items = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
        values = question.choice_values(platforms)
        bad = [i for i in items if values and i not in values]
        if bad:
            raise AnswerError("init.err_choice", choices=", ".join(values))
        return items
    raise AnswerError("init.err_required")


def answers_to_profile(answers: dict[str, Any]) -> dict[str, Any]:
    """Flat dotted answers → nested profile mapping (helpers and empty optionals dropped)."""
    profile: dict[str, Any] = {}
    for key, value in answers.items():
        if key.startswith("_") or value is None:
            continue
        node = profile
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    if answers.get("_has_shop"):
        profile.setdefault("shop", {"open_orders": 0})
    return profile
