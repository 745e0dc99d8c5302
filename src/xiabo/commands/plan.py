"""``xiabo plan``: the exit roadmap as text, JSON or Markdown; ``--batch`` for agencies."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import t
from ._common import (
    CatalogueCommand,
    catalogue_option,
    lang_option,
    parse_date,
    rules_option,
    today_option,
)


def _dump(plan) -> str:
    return json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    from ..fsutil import atomic_write

    try:
        atomic_write(path, text)
    except OSError as exc:
        raise UserError("cmd.cannot_write", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="cmd.fix_write") from None


def _baseline(path: str) -> dict:
    """A plan saved earlier (``--save-json``): what this plan is compared with."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UserError("errors.file_missing", {"path": path}, file=path, field="--baseline",
                        fix_key="errors.file_missing_fix") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("tasks"), list):
        raise UserError("replan.bad_baseline", {"path": path}, file=path, field="--baseline",
                        fix_key="replan.fix.bad_baseline")
    return data


@click.command(name="plan", cls=CatalogueCommand, help_key="cmd.help.plan")
@click.argument("profile", required=False)
@today_option
@rules_option
@catalogue_option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text",
                  key="cmd.opt.format")
@lang_option
@catalogue_option("--save-json", "save_json", default=None, metavar="FILE", key="cmd.opt.save_json")
@catalogue_option("--case", default="default", key="cmd.opt.case")
@catalogue_option("--evidence-dir", default=None, metavar="DIR", key="cmd.opt.evidence_dir")
@catalogue_option("--sources", "show_sources", is_flag=True, key="cmd.opt.sources")
@catalogue_option("--verbose", "-v", "verbose", is_flag=True, key="cmd.opt.verbose")
@catalogue_option("--no-sources", is_flag=True, hidden=True, key="cmd.opt.no_sources")
@catalogue_option("--builtin-rules-on-error", "fallback", is_flag=True, key="cmd.opt.fallback")
@catalogue_option("--batch", default=None, metavar="FILE.jsonl", key="cmd.opt.batch")
@catalogue_option("--out", default=None, metavar="FILE.jsonl", key="cmd.opt.out")
@catalogue_option("--baseline", default=None, metavar="PLAN.json", key="replan.cli.opt_baseline")
def cli(profile, today, rules, fmt, lang, save_json, case, evidence_dir, show_sources, verbose,
        no_sources, fallback, batch, out, baseline):
    from .. import load_rulebook
    from ..cases import CaseRef, plan_case
    from ..roadmap.profile import load_profile
    from ..roadmap.render import to_markdown, to_text

    today_d = parse_date(today, "--today") or date.today()
    try:
        book = load_rulebook(rules)
    except UserError as err:
        if not fallback:
            raise
        from ..rules import load_rulebook as load_builtin

        click.echo(err.render(lang) + "\n" + t("cmd.fallback_rules", lang), err=True)
        book = load_builtin(None, use_env=False)
    if batch:
        if not out:
            raise UserError("cmd.batch_needs_out", field="--out", fix_key="cmd.fix_batch_out")
        from .plan_batch import run_batch

        bad = run_batch(Path(batch), Path(out), book, today_d, lang)
        sys.exit(2 if bad else 0)
    if not profile:
        raise UserError("cmd.profile_missing", field="PROFILE", fix_key="cmd.fix_profile_missing")
    prof = load_profile(profile)
    plan = plan_case(prof, CaseRef.for_file(profile, case, evidence_dir), today=today_d,
                     lang=lang, book=book)
    base = _baseline(baseline) if baseline else None
    if fmt == "json":
        click.echo(_dump(plan), nl=False)
    elif fmt == "md":
        click.echo(to_markdown(plan, sources=show_sources, verbose=verbose, baseline=base), nl=False)
    else:
        click.echo(to_text(plan, sources=show_sources and not no_sources, verbose=verbose,
                           baseline=base), nl=False)
    if save_json:
        _write_atomic(Path(save_json), _dump(plan))
        click.echo(t("cmd.saved", lang, path=save_json), err=True)
