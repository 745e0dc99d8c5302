"""Click's own words (``Usage:``, ``Options``, ``Show this message and exit.``, its error
messages) in the user's language, and argument names (``TASK``, ``PROFILE``) in words.

Click looks its texts up through :func:`gettext.gettext`, bound as ``_`` in each of its
modules; :func:`install` rebinds those names to the message catalogue ``locales/<lang>/click.yaml``
(English msgid → text). A msgid the catalogue lacks stays English: visible, never a crash.
"""

from __future__ import annotations

import re

from .i18n import catalogue

__all__ = ["install", "metavar_words"]

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui",
            "utils")
_installed: list[str] = []


def metavar_words(name: str, lang: str) -> str:
    """``TASK`` → 「任务」 (the catalogue's ``metavars``); unknown names stay as they are."""
    words = catalogue(lang, "click").get("metavars") or {}
    return words.get(name.strip("[]."), name) if isinstance(words, dict) else name


def _translate(lang: str):
    table = catalogue(lang, "click").get("msgids") or {}

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return table.get(singular if n == 1 else plural, singular if n == 1 else plural)

    return gettext, ngettext


_WORD = re.compile(r"\b[A-Z][A-Z_]+\b")


def install(lang: str) -> None:
    """Make click speak ``lang`` (idempotent; the last language asked for wins)."""
    if _installed == [lang]:
        return
    import importlib

    import click

    gettext, ngettext = _translate(lang)
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    if not _installed:
        original = click.Argument.make_metavar
        pieces = click.Command.collect_usage_pieces

        def make_metavar(self, ctx):
            return _words(original(self, ctx))

        option_metavar = click.Option.make_metavar

        def make_option_metavar(self, ctx):
            return _words(option_metavar(self, ctx))

        def collect_usage_pieces(self, ctx):
            return [_words(piece) for piece in pieces(self, ctx)]

        group_pieces = click.Group.collect_usage_pieces

        def group_usage_pieces(self, ctx):
            return [_words(piece) for piece in group_pieces(self, ctx)]

        click.Argument.make_metavar = make_metavar  # type: ignore[method-assign]
        click.Option.make_metavar = make_option_metavar  # type: ignore[method-assign]
        click.Command.collect_usage_pieces = collect_usage_pieces  # type: ignore[method-assign]
        click.Group.collect_usage_pieces = group_usage_pieces  # type: ignore[method-assign]
    _installed[:] = [lang]


def _words(text: str) -> str:
    """Upper-case names in a usage line (``[OPTIONS]``, ``TASK``) in the current language."""
    lang = _installed[-1] if _installed else "zh"
    return _WORD.sub(lambda m: metavar_words(m.group(0), lang), text)
