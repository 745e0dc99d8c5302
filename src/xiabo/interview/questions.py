"""The interview as data: one definition drives ``xiabo init`` and the web wizard.

Answers are parsed here (text → typed value) so both front ends give the same messages, and
``answers_to_profile`` turns the flat ``{"contract.agency": ...}`` answers into a profile dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .answers import AnswerError, choice_options

__all__ = ["Question", "load_questions", "applicable", "parse_answer", "answers_to_profile",
           "AnswerError", "DEVICE_FIELDS", "with_rule_choices", "rule_choice_union"]

_FILE = Path(__file__).parent / "questions.yaml"
_DEVICE_ALIASES = {"phone": ["手机", "iphone"], "computer": ["笔记本", "台式机", "电脑"],
                   "ios": ["苹果", "苹果系统", "iphone", "ipad"], "android": ["安卓", "小米"],
                   "other": ["鸿蒙", "鸿蒙系统", "harmonyos", "华为鸿蒙"],
                   "sell": ["卖", "卖掉", "二手"], "donate": ["捐", "捐掉"], "keep": ["留着", "自用", "保留"],
                   "recycle": ["回收", "扔"]}

DEVICE_FIELDS = {
    "type": ("phone", "tablet", "computer", "camera", "capture_card", "storage", "light",
             "audio", "stand", "other"),
    "os": ("ios", "android", "windows", "macos", "linux", "other", ""),
    "disposal": ("sell", "donate", "keep", "recycle"),
}


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

    def choice_label(self, value: str, lang: str, platforms: list[str] | None = None) -> str:
        """The choice's words in ``lang`` (platforms and bare keys from the vocabulary)."""
        for opt in choice_options(self, platforms or ([value] if self.choices == "platforms" else [])):
            if opt["value"] == value:
                return opt.get(lang, opt["zh"])
        return value


def device_questions() -> tuple[Question, ...]:
    """The per-device questions, as Questions so the same parser and labels apply."""
    from ..i18n import t

    out = []
    for fld, values in DEVICE_FIELDS.items():  # the web wizard's words (web.device.*)
        choices = [{"value": v, "zh": t(f"web.device.{fld}.{v}", "zh"),
                    "en": t(f"web.device.{fld}.{v}", "en"),
                    "aliases": _DEVICE_ALIASES.get(v, [])} for v in values if v]
        out.append(Question(id=f"equipment.{fld}", type="choice", choices=choices,
                            prompt={"zh": f"init.device_{fld}", "en": f"init.device_{fld}"},
                            default=None if fld == "os" else values[0], optional=fld == "os"))
    return tuple(out)


@lru_cache(maxsize=1)
def load_questions() -> tuple[Question, ...]:
    import yaml

    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return tuple(Question(**item) for item in raw)


def _rows(rows) -> list[dict]:
    return [{"value": r["code"], "zh": r["zh"], "en": r["en"]} for r in rows or ()
            if isinstance(r, dict) and "code" in r]


def with_rule_choices(question: Question, view, on: date | None = None) -> Question:
    """The question with its choices in the platform's own words, where they are a rule's
    list (``choices: "rule:guild.exit.levels"`` → 白金公会, 其他公会)."""
    choices = question.choices
    if not (isinstance(choices, str) and choices.startswith("rule:")):
        return question
    rows = view.get(choices[5:], on or date.today()) if view is not None else None
    return replace(question, choices=_rows(rows if isinstance(rows, (list, tuple)) else ()))


def rule_choice_union(question: Question, book, on: date) -> list[dict]:
    """Every platform's choices for a rule-backed question, once each (the web form is one
    page for every platform; the platforms without the rule never show the question)."""
    seen: dict[str, dict] = {}
    for pid in book.platform_ids():
        for row in with_rule_choices(question, book.platform(pid), on).choices:
            seen.setdefault(row["value"], row)
    return list(seen.values())


def _check_when(expr: str | None, answers: dict[str, Any]) -> bool:
    if not expr:
        return True
    op = "!=" if "!=" in expr else "=="
    left, _, right = (part.strip() for part in expr.partition(op))
    expected: Any = {"true": True, "false": False, "null": None}.get(right, right)
    got = answers.get(left)
    got = None if got == "" else got
    # "!=" holds only for a question that was answered (not for one never asked)
    return got == expected if op == "==" else (got is not None and got != expected)


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


def parse_answer(question: Question, text: str, platforms: list[str] | None = None, *,
                 today: date | None = None) -> Any:
    """Typed value for ``text`` (see :mod:`xiabo.interview.answers`); raises AnswerError."""
    from .answers import parse_answer as parse

    return parse(question, text, platforms, today=today)


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
