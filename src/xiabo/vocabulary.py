"""The one vocabulary: how a value from a rule or a task parameter reads in a person's language.

Rules, the roadmap, exports and the web all show rule values; they all go through here so a
value reads the same everywhere and never as a Python repr: enum keys become words from the
``vocab`` catalogue, booleans 是/否, durations 「7 个工作日」, tables rows of words.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .i18n import lookup
from .i18n import t as _t

__all__ = ["render_text_param", "say", "word", "yes_no", "duration", "money", "percent",
           "rule_value", "table_rows", "is_table", "source_label", "joined", "label_sep"]

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_MONEY_COLS = {"rate", "quick_deduction"}


def word(value: str, lang: str) -> str | None:
    """The word for an enum key (``fan_profile`` → 粉丝画像), or None when it is not one."""
    if not isinstance(value, str) or not _KEY.match(value):
        return None
    return lookup(f"vocab.words.{value}", lang) or lookup(f"vocab.words.{value}", "zh")


def yes_no(value: bool, lang: str) -> str:
    return _t("vocab.yes" if value else "vocab.no", lang)


def label_sep(lang: str) -> str:
    """The colon between a label and its value (「：」 in Chinese)."""
    return "：" if lang == "zh" else ": "


def joined(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def money(value: Any, lang: str) -> str:
    """``12000`` → 「12,000 元」; two decimals only when there are fen."""
    num = _number(value)
    if num is None:
        return str(value)
    shown = f"{num:,.2f}" if num != num.to_integral_value() else f"{num:,.0f}"
    return _t("vocab.yuan", lang, value=shown)


def percent(value: Any) -> str:
    num = _number(value)
    if num is None:
        return str(value)
    shown = (num * 100).normalize()
    return f"{shown:f}%"


def _unit(key: str, value: Any, lang: str) -> str:
    """「7 个工作日」; English says "1 natural day" for one."""
    if str(value) == "1" and lookup(f"vocab.units.{key}_one", lang):
        key += "_one"
    return _t(f"vocab.units.{key}", lang, value=value)


def duration(days: Any, unit: str, lang: str) -> str:
    """``{'days': 7, 'unit': 'working'}`` → 「7 个工作日」."""
    key = {"working": "working_days", "natural": "natural_days"}.get(unit, "days")
    return _unit(key, days, lang)


def source_label(source: str, lang: str) -> str:
    return _t(f"vocab.sources.{source}", lang)


def is_table(value: Any) -> bool:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return True
    return isinstance(value, dict) and bool(value) and all(
        isinstance(v, dict) and "days" in v for v in value.values())


def _cell(col: str, value: Any, lang: str, money_table: bool) -> str:
    if col == "kind":  # the letters pack's kinds: their names, whom they go to, what they wait by
        return _t(f"letters.kinds.{value}", lang)
    if col == "to":
        return _t(f"vocab.letter_to.{value}", lang)
    if col == "reply":
        return _t(f"vocab.letter_reply.{str(value).rsplit('.', 1)[-1]}", lang)
    if col == "holds_deletion":
        return yes_no(bool(value), lang)
    if col == "needs":  # what the profile must say for the letter (the guild exit's: a guild)
        return _t(f"vocab.letter_needs.{value or 'any'}", lang)
    if value is None:
        return _t("vocab.no_limit", lang)
    if col == "rate":
        return percent(value)
    if col in ("quick_deduction",) or (col == "up_to" and money_table):
        return money(value, lang)
    if col == "days":
        return duration(value, "natural", lang)
    return say(value, lang)


def table_rows(value: Any, lang: str) -> tuple[list[str], list[list[str]]]:
    """A table rule value as (column headers, rows of words), for PDF, web and text."""
    if isinstance(value, dict):  # {kind: {days, unit}}: how long each kind of work takes
        headers = [_t("vocab.columns.work", lang), _t("vocab.columns.duration", lang)]
        rows = [[word(k, lang) or say(k, lang), duration(v.get("days"), v.get("unit", ""), lang)]
                for k, v in value.items()]
        return headers, rows
    cols: list[str] = []
    for row in value:
        cols += [c for c in row if c not in cols]
    money_table = bool(_MONEY_COLS & set(cols))
    headers = [_t(f"vocab.columns.{c}", lang) if _t(f"vocab.columns.{c}", lang) != f"vocab.columns.{c}"
               else (word(c, lang) or c) for c in cols]
    rows = []
    previous = None
    for row in value:
        cells = []
        for c in cols:
            v = row.get(c)
            if c == "up_to":
                if v is None:
                    shown = _t("vocab.above", lang, value=_cell(c, previous, lang, money_table)) \
                        if previous is not None else _t("vocab.no_limit", lang)
                else:
                    shown = _t("vocab.up_to", lang, value=_cell(c, v, lang, money_table))
                previous = v if v is not None else previous
                cells.append(shown)
            else:
                cells.append(_cell(c, v, lang, money_table))
        rows.append(cells)
    return headers, rows


def _table_text(value: Any, lang: str) -> str:
    headers, rows = table_rows(value, lang)
    sep = label_sep(lang)
    parts = []
    for row in rows:
        if len(row) == 2:
            parts.append(f"{row[0]}{sep}{row[1]}")
        else:
            rest = ("，" if lang == "zh" else ", ").join(f"{h} {c}" for h, c in zip(headers[1:], row[1:]))
            parts.append(f"{row[0]}{sep}{rest}")
    return ("；" if lang == "zh" else "; ").join(parts)


_ADDRESSEE = {"channel", "route", "address", "difficulty"}


def _addressee_text(value: dict, lang: str) -> str:
    """Where a letter goes (the letters directory): channel, route, address, difficulty."""
    unknown = _t("letters.unknown", lang)
    parts = []
    for key in ("channel", "route", "address", "difficulty"):
        item = value.get(key, "unknown")
        if item in (None, "unknown"):
            text = unknown
        elif key == "channel":
            text = lookup(f"letters.channels.{item}", lang) or say(item, lang)
        elif key == "difficulty":
            text = _t("letters.difficulty", lang, n=item)
        else:
            text = say(item, lang)
        parts.append(f"{_t(f'vocab.columns.{key}', lang)}{label_sep(lang)}{text}")
    return ("；" if lang == "zh" else "; ").join(parts)


def say(value: Any, lang: str, unit: str | None = None) -> str:
    """Any rule value or task parameter as words in ``lang``."""
    if value is None:
        return _t("vocab.none", lang)
    if isinstance(value, dict) and value.get("unknown") is True:  # rules.model.unknown_value
        check = str(value.get(lang) or value.get("zh", "")).rstrip("。. ")  # the sentence goes on
        return _t("vocab.unknown_check", lang, check=check)
    if isinstance(value, bool):
        return yes_no(value, lang)
    if unit == "ratio":
        return percent(value)
    if unit == "cny":
        return money(value, lang)
    if unit == "count" and isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}"  # 1,000,000 followers, not 1000000
    if unit in ("natural_days", "working_days", "days", "months", "years") and not isinstance(value, dict):
        return _unit(unit, value, lang)
    if isinstance(value, dict):
        if {"start", "end"} <= set(value) and set(value) <= {"start", "end", "years_after"}:
            return _t("vocab.yearly_window", lang, start=value["start"], end=value["end"])
        if "min" in value and "max" in value and len(value) == 2:
            text = f"{value['min']}–{value['max']}"
            return _t(f"vocab.units.{unit}", lang, value=text) if unit in (
                "natural_days", "working_days", "days", "months", "years") else text
        if "days" in value and set(value) <= {"days", "unit"}:
            return duration(value["days"], value.get("unit", ""), lang)
        if "channel" in value and set(value) <= _ADDRESSEE:
            return _addressee_text(value, lang)
        if lang in value:
            return str(value[lang])
        if "zh" in value:
            return str(value["zh"])
        if is_table(value):
            return _table_text(value, lang)
        sep = label_sep(lang)
        return ("；" if lang == "zh" else "; ").join(
            f"{_t(f'vocab.columns.{k}', lang)}{sep}{say(v, lang)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        if is_table(list(value)):
            return _table_text(list(value), lang)
        return joined([say(v, lang) for v in value], lang)
    if isinstance(value, str):
        if value.startswith("tasks."):
            found = lookup(value, lang) or lookup(value, "zh")
            return found if found is not None else value.rsplit(".", 1)[-1]
        found = word(value, lang)
        if found is not None:
            return found
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_SAID: dict[tuple[Any, str], str] = {}  # (text or int, lang) → words; cleared when full
_SAID_MAX = 20_000


def render_text_param(value: Any, lang: str) -> str:
    """A task or message parameter as words (kept name: every caller already uses it).

    Texts and integers are memoised: plans repeat the same parameters (keys, counts, sums).
    """
    kind = type(value)
    if kind is not str and kind is not int:
        return say(value, lang)
    memo = (value, lang)
    text = _SAID.get(memo)
    if text is None:
        text = say(value, lang)
        if len(_SAID) >= _SAID_MAX:
            _SAID.clear()
        _SAID[memo] = text
    return text


def rule_value(rule: Any, lang: str, on: date | None = None) -> str:
    """A rule's (or RuleUse's) value with its unit: 「30 个自然日」, 「20%」, 「是」."""
    value = rule.value_at(on) if on is not None and hasattr(rule, "value_at") else rule.value
    return say(value, lang, getattr(rule, "unit", None))
