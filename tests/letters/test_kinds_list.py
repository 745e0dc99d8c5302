"""Letter kinds are one list, in the letters rule pack (``common.letters.kinds``): each has its
names in both catalogues and its templates, and no module of the code lists them again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xiabo.i18n import lookup
from xiabo.letters import kinds
from xiabo.letters.model import AGENCY_KINDS, PLATFORM_KINDS
from xiabo.rules import load_rulebook

SRC = Path(__file__).resolve().parents[2] / "src" / "xiabo"


def test_the_kinds_are_the_rule_packs():
    rows = load_rulebook().rules["common.letters.kinds"].value_at(date(2026, 12, 7))
    assert kinds() == tuple(r["kind"] for r in rows)
    assert set(AGENCY_KINDS) | set(PLATFORM_KINDS) == set(kinds())
    assert not set(AGENCY_KINDS) & set(PLATFORM_KINDS)


def test_every_kind_has_its_words_and_templates():
    from xiabo.letters.render import template_name

    templates = SRC / "export" / "templates"
    for kind in kinds():
        for lang in ("zh", "en"):
            assert lookup(f"letters.kinds.{kind}", lang), (kind, lang)
            if kind != "termination":  # the termination notice is xiabo export's own letter
                assert (templates / lang / f"{template_name(kind)}.j2").is_file(), (kind, lang)


def test_no_module_lists_the_kinds():
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named = [k for k in kinds() if f'"{k}"' in text]
        if len(named) >= 3:
            offenders.append(f"{path.relative_to(SRC)}: {named}")
    templates = [p for p in (SRC / "export" / "templates").rglob("*.j2")
                 if '"termination", "settlement"' in p.read_text(encoding="utf-8")]
    assert offenders == [] and templates == []
