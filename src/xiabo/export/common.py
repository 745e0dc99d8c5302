"""Shared pieces of every export: labels, date wording, rule values, safe text, atomic files.

Everything here reads a Plan; nothing computes a rule.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from .. import fsutil
from ..errors import UserError
from ..i18n import lookup, t

__all__ = [
    "atomic_write",
    "case_of",
    "clean_text",
    "display_width",
    "figure_label",
    "file_name",
    "fmt_date",
    "fmt_md",
    "fmt_weekday",
    "label",
    "milestone_label",
    "module_label",
    "normalise_zip",
    "rule_value",
    "rule_value_text",
    "source_label",
    "status_label",
]


def label(key: str, lang: str, **params: Any) -> str:
    """A catalogue entry in ``lang`` (export.<key>)."""
    return t(f"export.{key}", lang, **params)


def _other(domain_key: str, lang: str, fallback: str) -> str:
    found = lookup(domain_key, lang) or lookup(domain_key, "zh")
    return found if found is not None else fallback


def module_label(module: str, lang: str) -> str:
    return _other(f"plan.modules.{module}", lang, module)


def milestone_label(name: str, lang: str) -> str:
    return _other(f"plan.milestones.{name}", lang, name)


def figure_label(name: str, lang: str) -> str:
    return _other(f"plan.figures.{name}", lang, name)


def source_label(source: str, lang: str) -> str:
    return _other(f"rules.sources.{source}", lang, source)


def status_label(status: str, lang: str) -> str:
    return label(f"status.{status}", lang)


def fmt_date(d: date | None, lang: str) -> str:
    """A date the way a letter writes it: 2026年12月1日 / 1 December 2026."""
    if d is None:
        return ""
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {label(f'months.m{d.month}', lang)} {d.year}"


def fmt_md(d: date | None, lang: str) -> str:
    """Month and day only: 1月15日 / 15 January."""
    if d is None:
        return ""
    if lang == "zh":
        return f"{d.month}月{d.day}日"
    return f"{d.day} {label(f'months.m{d.month}', lang)}"


def fmt_weekday(d: date | None, lang: str) -> str:
    if d is None:
        return ""
    return label(f"weekdays.d{d.isoweekday()}", lang)


def rule_value(plan, rule_id: str, default: Any = None) -> Any:
    """The value a plan recorded for ``rule_id`` (no rule is recomputed)."""
    for use in plan.rules_used:
        if use.id == rule_id:
            return use.value
    return default


def rule_value_text(value: Any, unit: str, lang: str) -> str:
    """A rule value as words, with its unit (the one vocabulary, same as ``xiabo plan``)."""
    from ..vocabulary import say

    return say(value, lang, unit)


# Characters XML 1.0 cannot carry (openpyxl and python-docx refuse them).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """Text safe for XML-based formats: control characters (other than tab/LF/CR) dropped."""
    return _ILLEGAL.sub("", "" if value is None else str(value))


def case_of(plan) -> str:
    """The case slug UIDs and folders use (xiabo.paths.case_slug of the profile name)."""
    from ..paths import case_slug

    return case_slug(plan.name)


def display_width(text: str) -> int:
    """Width in 'Latin columns': East Asian wide/full-width characters count 2."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def file_name(key: str, lang: str) -> str:
    """The localised output file name (export.files.<key>)."""
    return label(f"files.{key}", lang)


def atomic_write(path: Path, data: bytes | str, protect: Iterable[Path] = ()) -> Path:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    A reader never sees half a file, and a failure leaves the old file in place. Paths in
    ``protect`` (the user's own profile) are never overwritten.
    """
    path = Path(path)
    target = path.resolve()
    for p in protect:
        try:
            if Path(p).resolve() == target:
                raise UserError("export.err.would_overwrite", {"path": str(path)}, file=str(path),
                                fix_key="export.fix.would_overwrite")
        except OSError:
            continue
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fsutil.atomic_write(path, data)
    except OSError as exc:
        raise UserError("export.err.unwritable", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="export.fix.unwritable") from None
    return path




def normalise_zip(data: bytes, when: date) -> bytes:
    """Rewrite a zip (xlsx/docx) with fixed timestamps so the same plan gives the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=stamp)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()
