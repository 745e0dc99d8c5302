"""The case questions as a submitted form (the new-case page, one imported row): the typed
answers, the profile, and each error next to the question it belongs to.

Outside the web so that work that parses rows without a request (the ``cases-import`` job)
parses them exactly as the page does; ``xiabo.web.cases.wizard`` re-exports these names.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import UserError
from ..i18n import t

__all__ = ["error_in_place", "load_form_questions", "normalise_number", "parse_answers",
           "parse_form", "question_for_field"]


def load_form_questions():
    from .questions import load_questions

    return load_questions()


def _get(form, key: str) -> str:
    value = form.get(key)
    return "" if value is None else str(value)


def _devices(form, errors, lang) -> list[dict]:
    from .questions import DEVICE_FIELDS

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
    from .questions import (
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
    for q in load_form_questions():
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
    from .questions import answers_to_profile

    return values, answers_to_profile(answers), errors


def question_for_field(field_name: str | None) -> str | None:
    """The question id a profile validation error belongs to (``equipment[0].name`` → equipment)."""
    if not field_name:
        return None
    norm = re.sub(r"\[\d+\]", "", field_name)
    ids = [q.id for q in load_form_questions()]
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
