"""``xiabo export``: calendar, spreadsheet, printable roadmap, letter and announcement kit.

Thin layer: check the options (bad input → UserError, exit 2), build the plan exactly as
``xiabo plan`` does, call ``xiabo.export``, print what was written.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import normalise_lang, t
from ._common import argv_lang as _argv_lang
from ._common import catalogue_option

__all__ = ["cli"]


class _Cmd(click.Command):
    def format_help_text(self, ctx, formatter):
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(t("export.cli.help", _argv_lang()))


def _opt(*decls, key: str, **kw):
    return catalogue_option(*decls, key=f"export.cli.opt.{key}", **kw)


def _parse_today(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError("export.err.bad_today", {"value": value}, field="--today",
                        fix_key="export.fix.bad_today") from None


def _build_plan(profile, profile_path: str, book, today: date, lang: str, case: str):
    """The same Plan ``xiabo plan`` prints (evidence, backups and the order export included)."""
    from ..cases import CaseRef, plan_case

    return plan_case(profile, CaseRef.for_file(profile_path, case), today=today, lang=lang,
                     book=book)


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


@click.command(name="export", cls=_Cmd, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("profile", required=False)
@_opt("--out", "out", key="out", metavar="DIR")
@_opt("--today", "today", key="today", metavar="YYYY-MM-DD")
@_opt("--lang", "lang", key="lang", metavar="zh|en",
      default=lambda: os.environ.get("XIABO_LANG", "zh"))
@_opt("--only", "only", key="only", metavar="ics,xlsx,pdf,docx,kit")
@_opt("--tone", "tone", key="tone", metavar="warm|formal", default="warm")
@_opt("--rules", "rules", key="rules", metavar="DIR", multiple=True)
@_opt("--case", "case", key="case", default="default")
@_opt("--json", "as_json", key="json", is_flag=True)
@_opt("--ics-todo", "ics_todo", key="ics_todo", is_flag=True)
def cli(profile, out, today, lang, only, tone, rules, case, as_json, ics_todo):
    """导出日历、表格、PDF 路线图、解约通知函和告别文案。"""
    lang = normalise_lang(lang)
    from ..export.writer import export_to, parse_only

    if not profile:
        raise UserError("export.err.no_profile", field="PROFILE", fix_key="export.fix.no_profile")
    if not out:
        raise UserError("export.err.no_out", field="--out", fix_key="export.fix.no_out")
    formats = parse_only(only)
    tone = (tone or "warm").strip().lower()
    if tone not in ("warm", "formal"):
        raise UserError("export.err.bad_tone", {"tone": tone}, field="--tone",
                        fix_key="export.fix.bad_tone")
    today_d = _parse_today(today)
    from .. import load_profile, load_rulebook

    prof = load_profile(profile)
    book = load_rulebook(list(rules) or None)
    plan = _build_plan(prof, profile, book, today_d, lang, case)
    out_dir = Path(out)
    report = export_to(plan, prof, out_dir, formats, tone, rules=book, protect=[Path(profile)],
                       ics_todo=ics_todo)
    if as_json:
        data = {
            "out": str(out_dir),
            "written": [_display(p, out_dir) for p in report.written],
            "skipped": [{"format": f, "reason": t(k, lang)} for f, k in report.skipped],
            "kit": {_display(p, out_dir): {"piece": piece.id, "shortened": piece.short,
                                           "cut": piece.cut,
                                           "parts": [{"part": part.name, "length": part.length,
                                                      "limit": part.limit, "rule": part.rule,
                                                      "method": part.method}
                                                     for part in piece.parts]}
                    for p, piece in report.pieces.items()},
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    lines = [t("export.cli.wrote", lang, n=len(report.written), out=str(out_dir))]
    for path in report.written:
        line = "  " + _display(path, out_dir)
        piece = report.pieces.get(path)
        if piece is not None:
            sizes = [t("export.cli.length" if p.limit is not None else
                       "export.cli.length_unknown", lang,
                       part=t(f"export.kit.parts.{p.name}", lang), n=p.length, limit=p.limit)
                     for p in piece.parts]
            line += "  （" + "；".join(sizes) + "）" if lang == "zh" else \
                "  (" + "; ".join(sizes) + ")"
            if piece.cut:
                line += "  " + t("export.cli.cut", lang)
        lines.append(line)
    for _fmt, key in report.skipped:
        lines.append(t(key, lang))
    click.echo("\n".join(lines))
