"""Message catalogues: every sentence a user reads lives in ``locales/<lang>/<domain>.yaml``.

A key is ``<domain>.<path>``: ``plan.heading`` is the entry ``heading`` in
``locales/zh/plan.yaml``. Missing keys fall back to Chinese, then to the key itself, so a
missing translation is visible but never a crash.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

LANGS = ("zh", "en")
_LOCALES = Path(__file__).parent / "locales"


@cache
def _catalogue(lang: str, domain: str) -> dict:
    path = _LOCALES / lang / f"{domain}.yaml"
    if not path.exists():
        return {}
    import yaml

    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


@lru_cache(maxsize=8192)
def lookup(key: str, lang: str) -> str | None:
    """Return the raw template for ``key`` in ``lang`` (no fallback), or None."""
    domain, _, rest = key.partition(".")
    node: object = _catalogue(lang, domain)
    for part in rest.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) else None


def catalogue(lang: str, domain: str) -> dict:
    """A whole catalogue file (for tables whose keys are not dotted paths, such as click's
    English msgids)."""
    found = _catalogue(normalise_lang(lang), domain)
    return found if isinstance(found, dict) else {}


def t(key: str, lang: str = "zh", /, **params: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{name}`` placeholders."""
    template = lookup(key, lang) or lookup(key, "zh") or key
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def normalise_lang(lang: str | None) -> str:
    """Map 'zh-CN', 'en_US', None … onto a supported language code."""
    if not lang:
        return "zh"
    code = lang.lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else "zh"
