"""The one vocabulary: how a value from a rule or a task parameter reads in a person's language.

Rules, the roadmap, exports and the web all show rule values; they all go through here so a
value reads the same everywhere (and never as a Python repr).
"""

from __future__ import annotations

from datetime import date
from typing import Any

__all__ = ["render_text_param"]


def render_text_param(value: Any, lang: str) -> str:
    """A parameter as text: {zh, en} mappings pick the language, catalogue keys translate."""
    if isinstance(value, dict):
        if "min" in value and "max" in value and len(value) == 2:
            return f"{value['min']}–{value['max']}"
        if lang in value:
            return str(value[lang])
        if "zh" in value:
            return str(value["zh"])
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, str) and value.startswith("tasks."):
        from .i18n import lookup

        found = lookup(value, lang) or lookup(value, "zh")
        return found if found is not None else value.rsplit(".", 1)[-1]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        sep = "、" if lang == "zh" else ", "
        return sep.join(render_text_param(v, lang) for v in value)
    return str(value)
