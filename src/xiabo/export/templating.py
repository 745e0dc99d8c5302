"""Jinja2 templates for the letter and the announcement kit (one file per piece per language).

Templates are plain text a non-programmer can edit: ``templates/<lang>/<piece>.j2``. A folder
named by ``XIABO_TEMPLATES`` (same layout) is searched first, so an agency can keep its own
wording without touching the installation.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .common import fmt_date, fmt_md, fmt_weekday, label

__all__ = ["TEMPLATES", "render"]

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=8)
def _env(extra: str | None):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(str(TEMPLATES))]
    if extra:
        loaders.insert(0, FileSystemLoader(extra))
    return Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=False,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(lang: str, template_name: str, /, **context: Any) -> str:
    """Render ``templates/<lang>/<name>.j2`` with date helpers and ``blank(what)``."""
    env = _env(os.environ.get("XIABO_TEMPLATES") or None)
    template = env.get_template(f"{lang}/{template_name}.j2")
    helpers = {
        "date": lambda d: fmt_date(d, lang),
        "md": lambda d: fmt_md(d, lang),
        "weekday": lambda d: fmt_weekday(d, lang),
        "blank": lambda what: label("letter.blank", lang, what=what),
    }
    return template.render(**helpers, **context)
