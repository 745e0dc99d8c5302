"""``xiabo letters``: letters with clocks, proof and escalation (thin: parse, call, print)."""

from __future__ import annotations

import functools
import json
import os
from datetime import date
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import normalise_lang, t
from ..letters.model import ESCALATIONS
from ._common import CatalogueCommand, CatalogueGroup, argv_lang, catalogue_option, parse_date

__all__ = ["cli"]


def _opt(*decls, key: str, **kw):
    return catalogue_option(*decls, key=f"letters.cli.{key}", **kw)


def _lang() -> str:
    return normalise_lang(argv_lang())


def _say(key: str, **params) -> None:
    click.echo(t(f"letters.cli.{key}", _lang(), **params))


def _common(func):
    """PROFILE handling shared by every sub-command: --today, --dir, --rules."""

    @_opt("--today", "today", key="opt_today", metavar="YYYY-MM-DD")
    @_opt("--dir", "dir_", key="opt_dir", metavar="DIR")
    @_opt("--rules", "rules", key="opt_rules", metavar="DIR", multiple=True)
    @_opt("--lang", "lang", key="opt_lang", metavar="zh|en")
    @functools.wraps(func)
    def wrapper(today, dir_, rules, lang, **kw):
        from ..letters.store import FileStore, default_dir

        today_d = parse_date(today, "--today") or date.today()
        profile_path = kw["profile"]
        if not Path(profile_path).is_file():
            raise UserError("letters.err.file_missing", {"file": profile_path}, file=profile_path,
                            field="PROFILE", fix_key="letters.fix.file_missing")
        store = FileStore(Path(dir_) if dir_ else default_dir(profile_path))
        return func(store=store, today=today_d, rules=rules,
                    lang=normalise_lang(lang or os.environ.get("XIABO_LANG")), **kw)

    return wrapper


def _proof_opts(func):
    @_opt("--case", "case", key="opt_case", default="default")
    @_opt("--evidence", "evidence", key="opt_evidence", metavar="DIR")
    @_opt("--tsa", "tsa", key="opt_tsa", metavar="URL")
    @functools.wraps(func)
    def wrapper(case, evidence, tsa, **kw):
        from ..evidence import default_dir
        from ..letters.proof import tsa_url
        from ..letters.service import Proof

        folder = Path(evidence) if evidence else default_dir(case)
        return func(proof=Proof(folder, tsa_url(tsa)), **kw)

    return wrapper


def _load(profile_path: str, rules):
    from .. import load_profile, load_rulebook

    return load_profile(profile_path), load_rulebook(list(rules) or None)


def _due(letter) -> str:
    """The due date, marked when it was counted over days no official calendar covers."""
    if letter.due is None:
        return _fmt(None)
    mark = f" ({t('letters.provisional_short', _lang())})" if letter.due_provisional else ""
    return _fmt(letter.due) + mark


def _kind(letter) -> str:
    return t(f"letters.kinds.{letter.kind}", _lang())


def _fmt(d: date | None) -> str:
    from ..export.common import fmt_date

    return fmt_date(d, _lang()) if d else t("letters.cli.none", _lang())


def _wrote_and_logged(store, letter) -> None:
    """The files the last step wrote (one line each), then what the evidence log recorded."""
    for name in letter.events[-1].files:
        _say("wrote", path=store.doc_path(letter, name))
    _logged(letter)


def _logged(letter) -> None:
    last = letter.events[-1]
    if last.evidence:
        _say("logged", entries=", ".join(f"#{i}" for i in last.evidence))
    proof = letter.last_proof
    if proof is not None and proof.timestamped:
        _say("timestamped")
    elif proof is not None and proof.tsa_error:
        _say("tsa_failed", reason=t(f"evidence.{proof.tsa_error}", _lang(), url="", detail=""))


@click.group(cls=CatalogueGroup, help_key="letters.cli.help",
             context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    pass


def _kind_help(lang: str) -> dict:
    from ..letters.kinds import kind_names

    return {"kinds": kind_names(lang)}


@cli.command("new", cls=CatalogueCommand, help_key="letters.cli.new", help_params=_kind_help)
@click.argument("kind")
@click.argument("profile")
@_common
def new_cmd(store, today, rules, lang, kind, profile):
    from ..letters import service
    from ..letters.kinds import resolve_kind

    kind = resolve_kind(kind, _lang())  # 「解约」「解约通知函」「个人信息副本」 or an id
    from ..cases import CaseRef, plan_case

    prof, book = _load(profile, rules)
    plan = plan_case(prof, CaseRef.for_file(profile), today=today, lang=lang, book=book)
    letter = service.draft(store, kind, prof, book, today=today, lang=lang, plan=plan)
    click.echo(letter.id)
    click.echo(t("letters.cli.drafted", _lang(), kind=_kind(letter), id=letter.id), err=True)
    for doc in letter.documents:
        click.echo(t("letters.cli.wrote", _lang(), path=store.doc_path(letter, doc["name"])),
                   err=True)
    if letter.blanks:
        click.echo(t("letters.cli.blanks", _lang(), n=len(letter.blanks)), err=True)
        for blank in letter.blanks:
            click.echo(t("letters.cli.blank_line", _lang(), blank=blank), err=True)


@cli.command("sent", cls=CatalogueCommand, help_key="letters.cli.sent")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_opt("--on", "on", key="opt_on", metavar="YYYY-MM-DD", required=True)
@_opt("--via", "via", key="opt_via", type=click.Choice(["post", "email", "app", "in-person"]))
@_opt("--tracking", "tracking", key="opt_tracking")
@_opt("--receipt", "receipts", key="opt_receipt", multiple=True, metavar="FILE")
@_common
@_proof_opts
def sent_cmd(store, today, rules, lang, letter_id, profile, on, via, tracking, receipts, proof):
    from ..letters import service

    on_d = parse_date(on, "--on")
    prof, book = _load(profile, rules)
    letter = service.mark_sent(store, letter_id, on=on_d, today=today, book=book, via=via,
                               tracking=tracking, receipts=[Path(r) for r in receipts],
                               notice_days=prof.contract.notice_days, proof=proof)
    if letter.due:
        _say("sent_done", kind=_kind(letter), id=letter.id, on=_fmt(on_d), due=_due(letter))
    else:
        _say("sent_no_clock", kind=_kind(letter), id=letter.id, on=_fmt(on_d))
    if letter.kind == "termination" and letter.followups == 0:
        from ..letters.profile_edit import set_notice_sent_on

        backup = set_notice_sent_on(profile, on_d)
        if backup is not None:
            _say("profile_updated", date=_fmt(on_d), backup=backup)
    _logged(letter)


@cli.command("reply", cls=CatalogueCommand, help_key="letters.cli.reply")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_opt("--on", "on", key="opt_on", metavar="YYYY-MM-DD", required=True)
@_opt("--file", "files", key="opt_file", multiple=True, metavar="FILE")
@_common
@_proof_opts
def reply_cmd(store, today, rules, lang, letter_id, profile, on, files, proof):
    from ..letters import service

    on_d = parse_date(on, "--on")
    letter = service.add_reply(store, letter_id, on=on_d, today=today,
                               files=[Path(f) for f in files], proof=proof)
    _say("reply_done", kind=_kind(letter), id=letter.id, on=_fmt(on_d))
    _logged(letter)


@cli.command("followup", cls=CatalogueCommand, help_key="letters.cli.followup")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_common
@_proof_opts
def followup_cmd(store, today, rules, lang, letter_id, profile, proof):
    from ..letters import service

    prof, book = _load(profile, rules)
    letter = service.follow_up(store, letter_id, prof, book, today=today, proof=proof)
    _say("followup_done", kind=_kind(letter), id=letter.id, due=_due(letter))
    _wrote_and_logged(store, letter)


@cli.command("escalate", cls=CatalogueCommand, help_key="letters.cli.escalate")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_opt("--to", "to", key="opt_to", required=True, type=click.Choice(list(ESCALATIONS)))
@_common
@_proof_opts
def escalate_cmd(store, today, rules, lang, letter_id, profile, to, proof):
    from ..letters import service

    prof, book = _load(profile, rules)
    letter = service.escalate(store, letter_id, to, prof, book, today=today, proof=proof)
    _say("escalate_done", kind=_kind(letter), id=letter.id,
         to=t(f"letters.escalations.{to}", _lang()))
    _wrote_and_logged(store, letter)


@cli.command("close", cls=CatalogueCommand, help_key="letters.cli.close")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_common
@_proof_opts
def close_cmd(store, today, rules, lang, letter_id, profile, proof):
    from ..letters import service

    letter = service.close(store, letter_id, today=today, proof=proof)
    _say("closed", kind=_kind(letter), id=letter.id)


@cli.command("fill", cls=CatalogueCommand, help_key="letters.cli.fill")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_opt("--set", "pairs", key="opt_set", multiple=True, metavar="空=内容")
@_common
def fill_cmd(store, today, rules, lang, letter_id, profile, pairs):
    from ..letters.fill import blank_label, fill_blanks

    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError("letters.err.fill_pair", {"pair": pair}, field="--set",
                            fix_key="letters.fix.fill_unknown")
        values[key] = value
    letter = fill_blanks(store, letter_id, values, today=today)
    _say("filled", kind=_kind(letter), id=letter.id, n=len(letter.blanks))
    for doc in letter.documents:
        if doc["role"] == "letter":
            click.echo(t("letters.cli.wrote", _lang(), path=store.doc_path(letter, doc["name"])))
    for i, blank in enumerate(letter.blanks, 1):  # what is left, numbered for the next --set
        click.echo(t("letters.cli.blank_numbered", _lang(), n=i, blank=blank_label(blank)))


@cli.command("show", cls=CatalogueCommand, help_key="letters.cli.show")
@click.argument("letter_id", metavar="ID")
@click.argument("profile")
@_opt("--json", "as_json", key="opt_json", is_flag=True)
@_common
def show_cmd(store, today, rules, lang, letter_id, profile, as_json):
    from ..letters.render import _history
    from ..letters.summary import row

    letter = store.load(letter_id)
    if as_json:
        click.echo(json.dumps({**row(letter, today), "record": letter.to_dict()},
                              ensure_ascii=False, indent=2))
        return
    ui = _lang()
    state = letter.shown_state(today)
    _say("show_head", kind=_kind(letter), id=letter.id, state=t(f"letters.states.{state}", ui))
    if letter.sent_on:
        tracking = t("letters.history.tracking", ui, tracking=letter.tracking) \
            if letter.tracking else ""
        _say("show_sent", on=_fmt(letter.sent_on),
             via=t(f"letters.via.{letter.via}", ui) if letter.via else t("letters.via_unknown", ui),
             tracking=tracking)
    if letter.due:
        _, book = _load(profile, rules)
        rule = book.rules.get(letter.due_rule or "")
        _say("show_due", due=_due(letter),
             rule=rule.reference if rule else t(
                 "letters.due_from_contract" if (letter.due_rule or "").startswith("profile:")
                 else "letters.due_no_rule", ui))
    days = letter.overdue_days(today)
    if days:
        _say("show_overdue", days=days)
    step = letter.next_step(today)
    if step:
        click.echo(t(f"letters.next.{step}", ui, id=letter.id))
    _say("show_history")
    for line in _history(letter, ui):
        click.echo(f"  {line}")
    _say("show_docs")
    for doc in letter.documents:
        _say("wrote", path=store.doc_path(letter, doc["name"]))
    if letter.blanks:
        _say("blanks", n=len(letter.blanks))
        for blank in letter.blanks:
            _say("blank_line", blank=blank)


@cli.command("list", cls=CatalogueCommand, help_key="letters.cli.list")
@click.argument("profile")
@_opt("--json", "as_json", key="opt_json", is_flag=True)
@_common
def list_cmd(store, today, rules, lang, profile, as_json):
    from ..letters.summary import row

    letters = store.all()
    if as_json:
        click.echo(json.dumps([row(x, today) for x in letters], ensure_ascii=False, indent=2))
        return
    ui = _lang()
    if not letters:
        _say("list_empty")
        return
    _say("list_head")
    for x in letters:
        _say("list_row", id=x.id, kind=_kind(x), state=t(f"letters.states.{x.shown_state(today)}", ui),
             sent=_fmt(x.sent_on), due=_due(x), overdue=x.overdue_days(today) or "—")
        step = x.next_step(today)
        if step:
            click.echo("  " + t(f"letters.next.{step}", ui, id=x.id))
