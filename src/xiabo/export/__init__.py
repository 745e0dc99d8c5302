"""Exports people open: calendar, spreadsheet, printable roadmap, letter, announcement kit.

Every export renders a Plan (``xiabo.plan(...)``); nothing here recomputes a rule. Each format is
one call, for the CLI and the web app alike::

    from xiabo import export
    export.ics(plan) -> bytes          export.xlsx(plan) -> bytes      export.pdf(plan) -> bytes
    export.docx(plan, profile) -> bytes                export.letter_md(plan, profile) -> str
    export.kit(plan, profile, tone="warm") -> dict[str, str]
    export.write_all(plan, profile, out_dir, only=None, tone="warm") -> list[Path]

Heavy libraries (icalendar, openpyxl, fpdf2, python-docx) load inside each call.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..roadmap.plan import Plan
    from ..roadmap.profile import Profile
    from ..rules import RuleBook

__all__ = ["FORMATS", "TONES", "docx", "ics", "kit", "letter_md", "pdf", "write_all", "xlsx"]

FORMATS = ("ics", "xlsx", "pdf", "docx", "kit")
TONES = ("warm", "formal")


def ics(plan: Plan, todo: bool = False) -> bytes:
    """RFC 5545 calendar: an all-day VEVENT per task and key date (VTODO tasks with ``todo``)."""
    from .ical import ics as _ics

    return _ics(plan, todo=todo)


def xlsx(plan: Plan) -> bytes:
    """Workbook: tasks, key dates, money, rule sources, notes."""
    from .workbook import xlsx as _xlsx

    return _xlsx(plan)


def pdf(plan: Plan) -> bytes:
    """Printable A4 roadmap with a Gantt chart (needs a CJK font, see docs/export.md)."""
    from .printable import pdf as _pdf

    return _pdf(plan)


def letter_md(plan: Plan, profile: Profile) -> str:
    """The written termination notice to the agency, as Markdown."""
    from .letter import letter_md as _md

    return _md(plan, profile)


def docx(plan: Plan, profile: Profile) -> bytes:
    """The termination notice as a Word document."""
    from .letter import letter_docx

    return letter_docx(plan, profile)


def kit(plan: Plan, profile: Profile, tone: str = "warm",
        rules: RuleBook | None = None) -> dict[str, str]:
    """The announcement kit: piece id -> text, each within its channel's length limit."""
    from .announcements import kit as _kit

    return _kit(plan, profile, tone, rules=rules)


def write_all(plan: Plan, profile: Profile, out_dir: str | PathLike,
              only: Iterable[str] | None = None, tone: str = "warm", *,
              rules: RuleBook | None = None,
              protect: Iterable[str | PathLike] = ()) -> list[Path]:
    """Write the chosen formats into ``out_dir`` atomically; return the paths written."""
    from .writer import write_all as _write_all

    return _write_all(plan, profile, out_dir, only=only, tone=tone, rules=rules, protect=protect)
