"""``xiabo dispute init|show|checklist|bundle``: the dispute kit on the command line (thin).

The dispute profile is ``dispute.yaml`` beside the situation profile; the evidence checklist
reads the case's evidence log (``--case``); the bundle plans the case (when ``profile.yaml``
is beside it) for the timeline and the letters' clocks.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import t
from ._common import (
    CatalogueGroup,
    argv_lang,
    catalogue_option,
    lang_option,
    parse_date,
    today_option,
)


def _dispute_option(func):
    return catalogue_option("--dispute", "dispute_file", default="dispute.yaml", show_default=True,
                            key="dispute.cli.opt_dispute")(func)


def _case_option(func):
    return catalogue_option("--case", default="default", show_default=True,
                            key="dispute.cli.opt_case")(func)


# the interview's helper answers and the profile fields they fill (to ask the right one again)
_HELPERS = {"contract.streamer_share": "_share_pct", "contract.penalty.fixed_cny": "_higher_fixed",
            "contract.penalty.multiple": "_higher_multiple"}


def _payout_shortfall(case: str) -> Decimal | None:
    """What the case's last payouts reconciliation (``xiabo dispute payouts --case``) found
    the agency short: the exposure sets it off against the penalty."""
    from ..dispute.payouts.kept import kept_shortfall
    from ..paths import case_dir

    return kept_shortfall(case_dir(case) / "payouts")


def _report(dispute_file: str, case: str, today: str | None):
    from ..dispute import assess, load_dispute
    from ..evidence import default_dir
    from ..rules import load_rulebook

    on = parse_date(today, "--today") or date.today()
    path = Path(dispute_file)
    d = load_dispute(path)
    return assess(d, load_rulebook(), today=on, evidence_dir=default_dir(case),
                  payout_shortfall=_payout_shortfall(case))


@click.group(cls=CatalogueGroup, help_key="dispute.cli.help",
             context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    pass


@cli.command("init", help=t("dispute.cli.help_init", argv_lang()))
@catalogue_option("--out", default="dispute.yaml", show_default=True, key="dispute.cli.opt_out")
@catalogue_option("--force", is_flag=True, key="cmd.opt.force")
@today_option
@lang_option
def init_cmd(out, force, today, lang):
    import yaml

    from ..dispute.interview import answers_to_dispute, dispute_questions, profile_to_answers
    from ..dispute.profile import DisputeError, dump_dispute, load_dispute
    from ..fsutil import atomic_write
    from ..interview.questions import applicable
    from .init import _ask

    path = Path(out)
    if path.exists() and not force:
        raise UserError("dispute.cli.exists", {"path": str(path)}, file=str(path),
                        fix_key="dispute.cli.fix_exists")
    on = parse_date(today, "--today") or date.today()
    before = profile_to_answers(load_dispute(path)) if path.exists() else {}
    click.echo(t("dispute.cli.welcome", lang))
    answers: dict = {}
    questions = dispute_questions()
    while True:
        for q in questions:
            if q.id in answers or not applicable(q, answers):
                continue
            default = before.get(q.id, q.default)
            try:
                answers[q.id] = _ask(q, lang, default, [], on, allow_back=False)
            except click.Abort:
                click.echo("", err=True)
                raise SystemExit(130) from None
        try:
            d = answers_to_dispute(answers, str(path))
            break
        except DisputeError as err:  # a value the whole profile refuses: ask that one again
            click.echo("  ✗ " + err.render(lang).splitlines()[0])
            field = err.field or ""
            kept = {k: v for k, v in answers.items()
                    if not (field and (field.startswith(k) or _HELPERS.get(field) == k))}
            answers = kept if len(kept) < len(answers) else {}  # never the same answers twice
    text = "# " + t("dispute.cli.header", lang) + "\n" + yaml.safe_dump(
        dump_dispute(d), allow_unicode=True, sort_keys=False)
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise UserError("cmd.cannot_write", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="cmd.fix_write") from None
    click.echo(t("dispute.cli.written", lang, path=str(path)))


def _echo_sections(parts) -> None:
    for heading, lines in parts:
        click.echo(heading)
        click.echo("-" * min(40, len(heading) * 2))
        for line in lines:
            click.echo(line)
        click.echo("")


@cli.command("show", help=t("dispute.cli.help_show", argv_lang()))
@_dispute_option
@_case_option
@today_option
@catalogue_option("--json", "as_json", is_flag=True, key="dispute.cli.opt_json")
@lang_option
def show_cmd(dispute_file, case, today, as_json, lang):
    from ..dispute import report_json, sections

    report = _report(dispute_file, case, today)
    if as_json:
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=1))
        return
    _echo_sections(sections(report, lang))


@cli.command("checklist", help=t("dispute.cli.help_checklist", argv_lang()))
@_dispute_option
@_case_option
@today_option
@catalogue_option("--json", "as_json", is_flag=True, key="dispute.cli.opt_json")
@lang_option
def checklist_cmd(dispute_file, case, today, as_json, lang):
    from ..dispute import report_json, sections

    report = _report(dispute_file, case, today)
    if as_json:
        click.echo(json.dumps(report_json(report)["checklist"], ensure_ascii=False, indent=1))
        return
    _echo_sections([sections(report, lang)[3]])
    click.echo(t("dispute.check.hint", lang))


@cli.command("bundle", help=t("dispute.cli.help_bundle", argv_lang()))
@catalogue_option("--out", required=True, key="dispute.cli.opt_bundle_out")
@_dispute_option
@catalogue_option("--profile", default=None, key="dispute.cli.opt_profile")
@_case_option
@today_option
@lang_option
def bundle_cmd(out, dispute_file, profile, case, today, lang):
    from ..dispute.bundle import write_bundle
    from ..dispute.report import plan_lines
    from ..evidence import default_dir

    report = _report(dispute_file, case, today)
    situation = Path(profile) if profile else Path(dispute_file).with_name("profile.yaml")
    timeline: list[str] = []
    letters: list[str] = []
    title = t("dispute.pdf.untitled", lang)
    if situation.is_file():
        from ..cases import CaseRef, plan_case
        from ..roadmap.profile import load_profile

        prof = load_profile(situation)
        plan = plan_case(prof, CaseRef.for_file(situation, case=case), today=report.today,
                         lang=lang)
        timeline, letters = plan_lines(plan, lang)
        title = prof.name
    files = write_bundle(report, Path(out), lang, title=title, timeline=timeline,
                         letters=letters, evidence_dir=default_dir(case))
    click.echo(t("dispute.cli.bundle_pdf", lang, path=str(files.pdf)))
    if files.evidence is not None:
        click.echo(t("dispute.cli.bundle_evidence", lang, path=str(files.evidence)))
    else:
        click.echo(t("dispute.cli.bundle_no_evidence", lang, case=case))


# the payouts reconciliation (settlement statements against the contract's split and guarantee)
from .dispute_payouts import cli as _payouts_cli  # noqa: E402 - attached after the group exists

cli.add_command(_payouts_cli, "payouts")
