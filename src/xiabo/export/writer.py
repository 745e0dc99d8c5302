"""Write the chosen exports into a folder, each file atomically (temp file + rename)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from ..errors import UserError
from .common import atomic_write, file_name

__all__ = ["FORMATS", "Report", "export_to", "parse_only", "write_all"]

FORMATS = ("ics", "xlsx", "pdf", "docx", "kit")


@dataclass
class Report:
    """What an export wrote, what it skipped (with a catalogue key why), and the kit pieces."""

    out_dir: Path
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    pieces: dict[Path, object] = field(default_factory=dict)


def parse_only(only: str | Iterable[str] | None) -> list[str]:
    """``"ics,pdf"`` or ``["ics", "pdf"]`` -> formats in the canonical order; bad names refused."""
    if only is None:
        return list(FORMATS)
    items = only.split(",") if isinstance(only, str) else list(only)
    names = [str(i).strip().lower() for i in items if str(i).strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise UserError("export.err.bad_only", {"value": ", ".join(bad) or str(only),
                                                "choices": ",".join(FORMATS)},
                        field="--only", fix_key="export.fix.bad_only")
    return [f for f in FORMATS if f in names]


def _prepare_dir(out_dir: Path) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError("export.err.out_not_dir", {"path": str(out_dir)}, file=str(out_dir),
                        fix_key="export.fix.out_not_dir")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("export.err.unwritable", {"path": str(out_dir), "error": exc.strerror},
                        file=str(out_dir), fix_key="export.fix.unwritable") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise UserError("export.err.unwritable", {"path": str(out_dir), "error": "permission denied"},
                        file=str(out_dir), fix_key="export.fix.unwritable")
    return out_dir


def export_to(plan, profile, out_dir: str | PathLike, only=None, tone: str = "warm", *,
              rules=None, protect: Iterable[str | PathLike] = (), ics_todo: bool = False) -> Report:
    """Write every chosen format; return a Report (the CLI prints it)."""
    from . import docx, ics, letter_md, pdf, xlsx

    formats = parse_only(only)
    if tone not in ("warm", "formal"):
        raise UserError("export.err.bad_tone", {"tone": tone}, field="--tone",
                        fix_key="export.fix.bad_tone")
    if "pdf" in formats:  # fail before writing anything when the PDF cannot be made
        from .fonts import find_cjk_font

        find_cjk_font()
    out = _prepare_dir(Path(out_dir))
    guard = [Path(p) for p in protect]
    report = Report(out)
    lang = plan.lang
    written: dict[str, list[Path]] = {f: [] for f in FORMATS}

    def put(fmt: str, name: str, data) -> Path:
        path = atomic_write(out / name, data, protect=guard)
        written[fmt].append(path)
        return path

    if "ics" in formats:
        put("ics", file_name("ics", lang), ics(plan, todo=ics_todo))
    if "xlsx" in formats:
        put("xlsx", file_name("xlsx", lang), xlsx(plan))
    if "pdf" in formats:
        put("pdf", file_name("pdf", lang), pdf(plan))
    if "docx" in formats:
        if profile.contract.signed:
            put("docx", file_name("letter_docx", lang), docx(plan, profile))
            put("docx", file_name("letter_md", lang), letter_md(plan, profile))
        else:
            report.skipped.append(("docx", "export.cli.skipped_letter"))
    if "kit" in formats:
        from .announcements import kit_pieces

        folder = file_name("kit_dir", lang)
        for piece in kit_pieces(plan, profile, tone, rules=rules):
            path = put("kit", f"{folder}/{file_name(f'kit.{piece.id}', lang)}", piece.text)
            report.pieces[path] = piece
            if piece.paste != piece.text:  # the article also as text that pastes cleanly
                put("kit", f"{folder}/{file_name(f'kit.{piece.id}_paste', lang)}", piece.paste)
    report.written = [p for f in FORMATS for p in written[f]]
    return report


def write_all(plan, profile, out_dir, only=None, tone: str = "warm", *, rules=None,
              protect=()) -> list[Path]:
    """The paths written (see :func:`export_to` for the full report)."""
    return export_to(plan, profile, out_dir, only, tone, rules=rules, protect=protect).written
