"""The new-case wizard: the ``xiabo init`` questions as one HTML form, parsed the same way.

Question definitions, answer parsing and ``answers_to_profile`` come from ``xiabo.questions``
(the one source for the terminal interview and this page); the profile validation's
UserError (field + fix) is shown next to the question it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...i18n import t
from ...interview.form import (  # noqa: F401 - the page's names, parsed outside the web
    error_in_place,
    load_form_questions,
    normalise_number,
    parse_answers,
    parse_form,
    question_for_field,
)

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
    return load_form_questions()


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
