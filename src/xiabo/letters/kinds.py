"""A letter kind from what a person types: its name in Chinese or English (「解约通知函」),
any unambiguous part of it (「解约」), one of its other names in the catalogue
(``letters.kind_aliases``: 「个人信息副本」), or its id (``termination``).

The kinds themselves are :data:`model.KINDS`; their names live in the message catalogue.
"""

from __future__ import annotations

import difflib
import re

from ..errors import UserError
from ..i18n import LANGS, t
from .model import KINDS

__all__ = ["kind_names", "resolve_kind"]

_SPACE = re.compile(r"[\s　]+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text).strip("「」“”\"'").casefold()


def kind_names(lang: str) -> str:
    """「解约通知函、结算催告函、…」: every kind by its name, for help texts and errors."""
    return ("、" if lang == "zh" else ", ").join(t(f"letters.kinds.{k}", lang) for k in KINDS)


def _names(kind: str) -> list[str]:
    names = [kind] + [t(f"letters.kinds.{kind}", lang) for lang in LANGS]
    for lang in LANGS:
        aliases = t(f"letters.kind_aliases.{kind}", lang)
        if aliases != f"letters.kind_aliases.{kind}":
            names += [a for a in re.split(r"[、,，]\s*", aliases) if a]
    return [_norm(n) for n in names]


def resolve_kind(text: str, lang: str = "zh") -> str:
    """The kind id ``text`` names, or a UserError listing the kinds by name."""
    want = _norm(text)
    names = {kind: _names(kind) for kind in KINDS}
    exact = [kind for kind, found in names.items() if want in found]
    if len(exact) == 1:
        return exact[0]
    part = [kind for kind, found in names.items() if want and any(want in n for n in found)]
    if len(part) == 1:
        return part[0]
    if not part:
        flat = {n: kind for kind, found in names.items() for n in found}
        close = {flat[n] for n in difflib.get_close_matches(want, list(flat), n=3, cutoff=0.6)}
        if len(close) == 1:
            return close.pop()
    if len(part) > 1:
        sep = "、" if lang == "zh" else ", "
        raise UserError("letters.err.ambiguous_kind", {"kind": text, "kinds": sep.join(
            t(f"letters.kinds.{k}", lang) for k in part)}, field="KIND",
            fix_key="letters.fix.unknown_kind")
    raise UserError("letters.err.unknown_kind", {"kind": text, "kinds": kind_names(lang)},
                    field="KIND", fix_key="letters.fix.unknown_kind")
