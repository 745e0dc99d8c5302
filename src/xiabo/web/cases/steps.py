"""Task steps as read in the web: a step that names a command shows the page action instead.

The CLI's step texts stay as they are (``tasks.<group>.<step>``). ``reach.web_steps`` holds a
web variant for each step that sends people to the terminal; a rendered step is matched
against its CLI template (placeholders become captures), and the variant is filled with the
same values. A task with such a step also gets a button to the page that does it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...i18n import _catalogue, lookup

__all__ = ["page_for", "web_steps"]

# group of the step key -> the case page that does it
PAGES = {"evidence_setup": "evidence", "evidence_seal": "evidence", "backup": "backup",
         "mcn_notice": "exports", "last_live": "exports", "announce": "exports",
         "delete_fan_contacts": "privacy", "ship_orders": "orders", "tax_declaration": "tax",
         "opinion_monitoring": "opinion"}
# catalogues holding ``web_steps`` variants (reach: backup, evidence, exports; tools: the rest)
_DOMAINS = ("reach", "tools")
_FIELD = re.compile(r"\{(\w+)\}")


def _regex(template: str) -> re.Pattern:
    parts, last, names = [], 0, set()
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        name = m.group(1)
        parts.append(f"(?P={name})" if name in names else f"(?P<{name}>.+?)")
        names.add(name)
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^" + "".join(parts) + "$", re.S)


@lru_cache(maxsize=4)
def _table(lang: str) -> tuple[tuple[re.Pattern, str, str], ...]:
    found = []
    variants = [(group, steps) for domain in _DOMAINS
                for group, steps in ((_catalogue(lang, domain) or {}).get("web_steps") or {}).items()]
    for group, steps in variants:
        for step, web_text in (steps or {}).items():
            cli = lookup(f"tasks.{group}.{step}", lang)
            if cli and isinstance(web_text, str):
                found.append((_regex(cli), group, web_text))
    return tuple(found)


def _one(step: str, lang: str) -> tuple[str, str | None]:
    for regex, group, web_text in _table(lang):
        m = regex.match(step)
        if m is not None:
            try:
                return web_text.format(**m.groupdict()), group
            except (KeyError, IndexError, ValueError):
                return web_text, group
    return step, None


def web_steps(steps: list[str], lang: str) -> tuple[list[str], str | None]:
    """(the steps as read in the web, the page that does them or None)."""
    out, page = [], None
    for step in steps:
        text, group = _one(step, lang)
        out.append(text)
        if group is not None and page is None:
            page = PAGES.get(group)
    return out, page


def page_for(steps: list[str], lang: str) -> str | None:
    return web_steps(steps, lang)[1]
