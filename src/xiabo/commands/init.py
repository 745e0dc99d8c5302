"""``xiabo init``: a short interview in plain Chinese that writes a profile file."""

from __future__ import annotations

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


def _ask(question, lang, default, platforms):
    from ..interview.questions import AnswerError, parse_answer

    shown_default = None
    if default not in (None, [], ""):
        shown_default = ", ".join(default) if isinstance(default, list) else str(default)
        if isinstance(default, bool):
            shown_default = t("init.yes" if default else "init.no", lang)
    prompt = question.prompt.get(lang, question.prompt["zh"])
    if question.cli_hint:
        prompt += ("（%s）" if lang == "zh" else " (%s)") % question.cli_hint.get(lang, question.cli_hint["zh"])
    if question.help:
        prompt += "\n  " + question.help.get(lang, question.help["zh"])
    if question.choices:
        values = question.choice_values(platforms)
        labels = [f"{v}={question.choice_label(v, lang)}" if question.choices != "platforms" else v
                  for v in values]
        prompt += "\n  " + t("init.choices", lang, choices="  ".join(labels))
    while True:
        text = click.prompt(prompt, default=shown_default or "", show_default=bool(shown_default),
                            prompt_suffix="\n> ")
        if isinstance(default, bool) and text == shown_default:
            return default
        try:
            value = parse_answer(question, text if text != "" else "", platforms)
        except AnswerError as err:
            click.echo("  ✗ " + t(err.key, lang, **err.params))
            continue
        if value == question.default and default is not None and text == "":
            return default
        return value


def _ask_devices(lang):
    from ..interview.questions import DEVICE_FIELDS

    devices = []
    while True:
        name = click.prompt(t("init.device_name", lang), default="", show_default=False,
                            prompt_suffix="\n> ").strip()
        if not name:
            return devices
        device = {"name": name}
        for fld, values in DEVICE_FIELDS.items():
            while True:
                value = click.prompt(t(f"init.device_{fld}", lang, choices=", ".join(v for v in values if v)),
                                     default="" if fld == "os" else values[0], prompt_suffix="\n> ").strip()
                if value in values:
                    break
                click.echo("  ✗ " + t("init.err_choice", lang, choices=", ".join(v for v in values if v)))
            if value:
                device[fld] = value
        devices.append(device)


@click.command(name="init", cls=CatalogueCommand, help_key="cmd.help.init")
@catalogue_option("--out", default="profile.yaml", show_default=True, key="cmd.opt.init_out")
@catalogue_option("--force", is_flag=True, key="cmd.opt.force")
@today_option
@rules_option
@lang_option
def cli(out, force, today, rules, lang):
    import yaml

    from ..interview.questions import answers_to_profile, applicable, default_for, load_questions
    from ..roadmap.profile import profile_from_dict
    from ..rules import load_rulebook

    path = Path(out)
    if path.exists() and not force:
        raise UserError("init.exists", {"path": str(path)}, file=str(path), fix_key="init.fix_exists")
    on = parse_date(today, "--today") or date.today()
    book = load_rulebook(rules)
    platforms = book.platform_ids()
    click.echo(t("init.welcome", lang))
    answers: dict = {}
    view = None
    for question in load_questions():
        if not applicable(question, answers, view):
            continue
        if question.type == "devices":
            if click.confirm(t("init.devices_intro", lang), default=False):
                answers[question.id] = _ask_devices(lang)
            continue
        answers[question.id] = _ask(question, lang, default_for(question, view, on), platforms)
        if question.id == "platform":
            view = book.platform(answers["platform"])
    data = answers_to_profile(answers)
    profile_from_dict(data, str(path))  # same validation as every other entry point
    text = "# " + t("init.header", lang) + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from ..fsutil import atomic_write

    try:
        atomic_write(path, text)
    except OSError as exc:
        raise UserError("cmd.cannot_write", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="cmd.fix_write") from None
    click.echo(t("init.written", lang, path=str(path)))
