"""The new-case wizard: the ``xiabo init`` questions as one HTML form, parsed the same way.

Question definitions, answer parsing and ``answers_to_profile`` come from ``xiabo.questions``
(the one source for the terminal interview and this page); the profile validation's
UserError (field + fix) is shown next to the question it belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ...errors import UserError
from ...i18n import t

__all__ = [
    "DEVICE_ROWS",
    "Field",
    "device_choices",
    "error_in_place",
    "form_fields",
    "normalise_number",
    "parse_answers",
    "parse_form",
    "profile_to_values",
]

DEVICE_ROWS = 3  # empty device rows shown without JavaScript


@dataclass
class Field:
    id: str
    type: str
    prompt: str
    help: str
    value: Any
    choices: list[tuple[str, str]]
    when: str | None
    platforms: list[str] | None  # platforms whose rules make this question apply (None: all)
    optional: bool
    placeholder: str = ""
    error: str | None = None
    fix: str | None = None
    devices: list[dict] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "q-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.id)


def _questions():
    from ...interview.questions import load_questions

    return load_questions()


def _platform_names(book, lang: str) -> dict[str, str]:
    return {p: book.platforms[p].name.get(lang, book.platforms[p].name.get("zh", p))
            for p in book.platform_ids()}


def device_choices(lang: str) -> dict[str, list[tuple[str, str]]]:
    from ...interview.questions import DEVICE_FIELDS

    out = {}
    for fld, values in DEVICE_FIELDS.items():
        out[fld] = [(v, t(f"web.device.{fld}.{v}", lang) if v else "—") for v in values]
    return out


def form_fields(book, lang: str, today: date, values: dict[str, Any] | None = None,
                errors: dict[str, tuple[str, str | None]] | None = None) -> list[Field]:
    """The questions ready for the template, with current values and in-place errors."""
    from ...interview.questions import default_for, rule_choice_union

    values = values or {}
    errors = errors or {}
    names = _platform_names(book, lang)
    fields = []
    for q in _questions():
        if q.choices == "platforms":
            choices = [(p, names[p]) for p in book.platform_ids()]
        elif isinstance(q.choices, str):  # a rule's list: each platform's own words
            choices = [(c["value"], c.get(lang, c["zh"]))
                       for c in rule_choice_union(q, book, today)]
        else:
            choices = [(c["value"], c.get(lang, c.get("zh", c["value"])))
                       for c in (q.choices or []) if isinstance(c, dict)]
        platforms = None
        if q.needs_rule:
            platforms = [p for p in book.platform_ids()
                         if book.platform(p).find(q.needs_rule) is not None]
        placeholder = ""
        default = q.default
        if isinstance(default, str) and default.startswith("rule:"):
            placeholder = t("web.wizard.rule_default", lang)
            default = None
        elif default == "today":
            default = default_for(q, None, today)
        value = values.get(q.id, default)
        err = errors.get(q.id)
        f = Field(q.id, q.type, q.prompt.get(lang, q.prompt.get("zh", q.id)),
                  (q.help or {}).get(lang, (q.help or {}).get("zh", "")), value, choices,
                  q.when, platforms, bool(q.optional), placeholder,
                  err[0] if err else None, err[1] if err else None)
        if q.type == "devices":
            rows = list(value or [])
            f.devices = rows + [{} for _ in range(max(DEVICE_ROWS - len(rows), 1))]
        fields.append(f)
    return fields


def _get(form, key: str) -> str:
    value = form.get(key)
    return "" if value is None else str(value)


def _devices(form, errors, lang) -> list[dict]:
    from ...interview.questions import DEVICE_FIELDS

    idx = sorted({int(m.group(1)) for k in form.keys()
                  if (m := re.fullmatch(r"equipment\.(\d{1,3})\.name", k))})
    devices = []
    for i in idx:
        name = _get(form, f"equipment.{i}.name").strip()
        if not name:
            continue
        dev = {"name": name[:200]}
        for fld, allowed in DEVICE_FIELDS.items():
            value = _get(form, f"equipment.{i}.{fld}").strip()
            if value and value not in allowed:
                errors["equipment"] = (t("init.err_choice", lang, choices=", ".join(
                    v for v in allowed if v)), None)
            elif value:
                dev[fld] = value
        devices.append(dev)
    return devices


_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000),
          "k": Decimal(1000), "w": Decimal(10_000)}
_NUMBER = re.compile(r"([0-9]+(?:\.[0-9]+)?)(万|亿|千|k|w)?")


def normalise_number(text: str) -> str:
    """How people type amounts → plain digits: 120万, ￥12,000, １２，０００元, 1.5k.

    Anything it does not recognise is returned as typed, so the parser's own message applies.
    """
    plain = unicodedata.normalize("NFKC", text).strip().lower()
    for junk in ("¥", "￥", "元", "rmb", "cny", "人民币", ",", "，", "_", " ", "个", "人", "条", "笔"):
        plain = plain.replace(junk, "")
    m = _NUMBER.fullmatch(plain)
    if not m:
        return text
    value = Decimal(m.group(1)) * _UNITS.get(m.group(2) or "", Decimal(1))
    return format(value.normalize(), "f") if value == value.to_integral_value() \
        else format(value, "f")


def parse_answers(form, book, lang: str, today: date) -> tuple[dict, dict, dict]:
    """(display values, typed answers, errors by question id) from a submitted form."""
    from ...interview.questions import (
        AnswerError,
        applicable,
        default_for,
        parse_answer,
        with_rule_choices,
    )

    answers: dict[str, Any] = {}
    values: dict[str, Any] = {}
    errors: dict[str, tuple[str, str | None]] = {}
    view = None
    platforms = book.platform_ids()
    for q in _questions():
        if q.type == "list":
            raw_items = form.getlist(q.id) if hasattr(form, "getlist") else form.get(q.id, [])
            if isinstance(raw_items, str):
                raw_items = [raw_items]
            text = ",".join(str(i) for i in raw_items if str(i).strip())
            values[q.id] = [s for s in text.split(",") if s]
        elif q.type == "devices":
            values[q.id] = _devices(form, errors, lang)
            text = ""
        else:
            text = _get(form, q.id)[:2000]
            values[q.id] = text
        if not applicable(q, answers, view):
            continue
        q = with_rule_choices(q, view, today)  # the platform's own words
        if q.type == "devices":
            answers[q.id] = values[q.id]
            continue
        try:
            if text.strip() == "" and isinstance(q.default, str) and \
                    (q.default.startswith("rule:") or q.default == "today"):
                if view is None and q.default.startswith("rule:"):
                    continue
                answers[q.id] = default_for(q, view, today)
            else:
                if q.type in ("int", "decimal"):
                    text = normalise_number(text)
                answers[q.id] = parse_answer(q, text, platforms)
        except AnswerError as err:
            errors[q.id] = (t(err.key, lang, **err.params), None)
            continue
        if q.id == "platform" and answers.get("platform") in book.platforms:
            view = book.platform(answers["platform"])
    return values, answers, errors


def parse_form(form, book, lang: str, today: date) -> tuple[dict, dict, dict]:
    """(display values, profile dict or {}, errors by question id) from a submitted form."""
    values, answers, errors = parse_answers(form, book, lang, today)
    if errors:
        return values, {}, errors
    from ...interview.questions import answers_to_profile

    return values, answers_to_profile(answers), errors


def question_for_field(field_name: str | None) -> str | None:
    """The question id a profile validation error belongs to (``equipment[0].name`` → equipment)."""
    if not field_name:
        return None
    norm = re.sub(r"\[\d+\]", "", field_name)
    ids = [q.id for q in _questions()]
    best = None
    for qid in ids:
        if norm == qid or norm.startswith(qid + "."):
            if best is None or len(qid) > len(best):
                best = qid
    return best


def error_in_place(err: UserError, lang: str) -> tuple[str | None, tuple[str, str | None]]:
    """(question id or None, (message, fix)) for a profile UserError."""
    message = t(err.key, lang, **(err.params or {}))
    fix = t(err.fix_key, lang, **(err.params or {})) if err.fix_key else None
    return question_for_field(err.field), (message, fix)


def profile_to_values(profile: dict) -> dict[str, Any]:
    """Flatten a stored profile into the form's dotted values (for the edit page)."""
    values: dict[str, Any] = {}
    for q in _questions():
        node: Any = profile
        for part in q.id.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            continue
        if isinstance(node, bool):
            values[q.id] = "true" if node else "false"
        elif q.type in ("list", "devices"):
            values[q.id] = list(node)
        else:
            values[q.id] = str(node)
    if "shop" in profile:
        values["_has_shop"] = "true"
    return values
