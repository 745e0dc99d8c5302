"""``xiabo init``: a short, forgiving interview in plain Chinese that writes a profile file.

Numbered choices, 是/否, 120万 and ￥12,000 are understood (interview/answers.py, shared with the
web wizard); each answer is checked at once; 「上一题」 goes back; every answer is kept in
``<name>.partial.yaml`` so Ctrl-C or a failure loses nothing and ``--resume`` continues.
"""

from __future__ import annotations

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


class _Back(Exception):
    """The person asked for the previous question."""


def _partial_path(out: Path) -> Path:
    return out.with_name(out.stem + ".partial" + (out.suffix or ".yaml"))


def _save_partial(path: Path, answers: dict) -> None:
    import yaml

    from ..fsutil import atomic_write

    try:
        atomic_write(path, yaml.safe_dump({"answers": answers}, allow_unicode=True, sort_keys=False))
    except OSError:
        pass  # keeping a draft must never stop the interview


def _load_partial(path: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError, ValueError, OverflowError, RecursionError):
        return {}  # a damaged draft (2026-02-30, 100k brackets): start afresh rather than fail
    answers = data.get("answers") if isinstance(data, dict) else None
    return _plain_answers(answers) if isinstance(answers, dict) else {}


def _plain_answers(answers: dict) -> dict:
    """Only what the questions could have stored: known ids, each value of its question's shape."""
    from ..interview.questions import load_questions

    kinds = {q.id: q.type for q in load_questions()}
    scalar = (str, int, float, bool, date, type(None))

    def fits(key: str, value) -> bool:
        if key.startswith("_") or kinds.get(key) not in ("list", "devices"):
            return isinstance(value, scalar) and (key.startswith("_") or key in kinds)
        items = value if isinstance(value, list) else [None]
        if kinds[key] == "list":
            return all(isinstance(x, str) for x in items)
        return all(isinstance(x, dict) and all(isinstance(v, scalar) for v in x.values()) for x in items)

    return {k: v for k, v in answers.items() if isinstance(k, str) and fits(k, v)}


def _shown(value, question, lang, platforms) -> str:
    from ..vocabulary import say

    if isinstance(value, bool):
        return t("init.yes" if value else "init.no", lang)
    if question.choices and isinstance(value, str):
        return question.choice_label(value, lang, platforms)
    if isinstance(value, list):
        return say([question.choice_label(v, lang, platforms) for v in value], lang) if value else ""
    return "" if value is None else str(value)


def _prompt_text(question, lang, default, platforms, progress: str | None,
                 previous: bool = False) -> str:
    from ..interview.answers import choice_options

    prompt = question.prompt.get(lang, question.prompt["zh"])
    if prompt.startswith("init."):
        prompt = t(prompt, lang)
    head = f"{progress}　{prompt}" if progress else prompt
    lines = [head]
    # the terminal's own hint says what the help says, for typing: one of them, not both
    hint = question.cli_hint or question.help
    if hint:
        lines.append("  " + hint.get(lang, hint["zh"]))
    if question.type == "bool":
        lines.append("  " + t("init.choices", lang, choices=f"{t('init.yes', lang)} / {t('init.no', lang)}"))
    elif question.choices:
        opts = choice_options(question, platforms)
        lines.append("  " + "　".join(f"{i}. {o[lang] if lang in o else o['zh']}" for i, o in enumerate(opts, 1)))
    hints = []
    shown = _shown(default, question, lang, platforms)
    if shown:
        hints.append(t("init.previous_hint" if previous else "init.default_hint", lang,
                       value=shown))
    if progress:
        hints.append(t("init.back_hint", lang))
    if hints:
        lines.append("  " + t("init.hints", lang, hints=("；" if lang == "zh" else "; ").join(hints)))
    return "\n".join(lines)


def _ask(question, lang, default, platforms, today, progress=None, allow_back=True,
         previous: bool = False):
    """Ask until the answer parses and fits the profile's limits; raise _Back on 「上一题」.
    ``previous``: the default is the answer given before going back (shown as such)."""
    from ..interview.answers import AnswerError, is_back, parse_answer

    prompt = _prompt_text(question, lang, default, platforms, progress, previous)
    while True:
        text = click.prompt(prompt, default="", show_default=False, prompt_suffix="\n> ")
        if allow_back and is_back(text):
            raise _Back
        if text.strip() == "" and default not in (None, ""):
            return default
        try:
            return parse_answer(question, text, platforms, today=today)
        except AnswerError as err:
            click.echo("  ✗ " + err.message(lang))


def _ask_devices(lang, today, existing, progress=None):
    from ..interview.questions import Question, device_questions

    devices = list(existing or [])
    yes_no = Question(id="_more", type="bool", prompt={"zh": "init.devices_intro", "en": "init.devices_intro"},
                      default=False)
    if not _ask(yes_no, lang, False, None, today, progress, allow_back=True):  # numbered too
        return devices
    name_q = Question(id="equipment.name", type="text", optional=True,
                      prompt={"zh": "init.device_name", "en": "init.device_name"})
    while True:
        name = _ask(name_q, lang, None, None, today, allow_back=False)
        if not name:
            return devices
        device = {"name": name}
        for q in device_questions():
            value = _ask(q, lang, q.default, None, today, allow_back=False)
            if value:
                device[q.id.split(".")[1]] = value
        devices.append(device)


def _question_for(field: str | None, ids: list[str]) -> str | None:
    """The question a profile error belongs to (``equipment[0].name`` → equipment)."""
    import re

    if not field:
        return None
    norm = re.sub(r"\[\d+\]", "", field)
    found = [qid for qid in ids if norm == qid or norm.startswith(qid + ".")]
    return max(found, key=len) if found else None


def _interview(book, lang, on, answers: dict, partial: Path) -> dict:
    from ..interview.questions import applicable, default_for, load_questions, with_rule_choices

    questions = load_questions()
    platforms = book.platform_ids()
    earlier: dict = {}  # answers taken back with 「上一题」: offered again as the default
    i = 0
    while i < len(questions):
        view = book.platform(answers["platform"]) if answers.get("platform") in book.platforms else None
        question = questions[i]
        if not applicable(question, answers, view) or question.id in answers:
            i += 1
            continue
        question = with_rule_choices(question, view, on)  # the platform's words
        total = sum(1 for q in questions if applicable(q, answers, view))
        # answered and still asked (an answer to a question no longer asked does not count)
        before = [j for j in range(i) if questions[j].id in answers
                  and applicable(questions[j], answers, view)]
        n = len(before) + 1
        progress = t("init.progress", lang, n=n, total=max(total, n))
        try:
            if question.type == "devices":
                value = _ask_devices(lang, on, earlier.pop(question.id, []), progress)
            else:
                again = question.id in earlier
                default = earlier.pop(question.id) if again else default_for(question, view, on)
                value = _ask(question, lang, default, platforms, on, progress, previous=again)
        except _Back:
            if not before:
                click.echo("  " + t("init.back_first", lang))
                continue
            i = before[-1]  # the previous answered question, also after --resume
            earlier[questions[i].id] = answers.pop(questions[i].id, None)
            _save_partial(partial, answers)
            continue
        answers[question.id] = value
        _save_partial(partial, answers)
        i += 1
    return answers


@click.command(name="init", cls=CatalogueCommand, help_key="cmd.help.init")
@catalogue_option("--out", default="profile.yaml", show_default=True, key="cmd.opt.init_out")
@catalogue_option("--force", is_flag=True, key="cmd.opt.force")
@catalogue_option("--resume", is_flag=True, key="cmd.opt.resume")
@today_option
@rules_option
@lang_option
def cli(out, force, resume, today, rules, lang):
    import yaml

    from ..interview.questions import answers_to_profile, load_questions
    from ..roadmap.profile import profile_from_dict
    from ..rules import load_rulebook

    path = Path(out)
    if path.exists() and not force:
        raise UserError("init.exists", {"path": str(path)}, file=str(path), fix_key="init.fix_exists")
    on = parse_date(today, "--today") or date.today()
    book = load_rulebook(rules)
    partial = _partial_path(path)
    answers: dict = {}
    if resume:
        answers = _load_partial(partial)
        click.echo(t("init.resumed", lang, n=len(answers)) if answers
                   else t("init.no_partial", lang, path=str(partial)))
    else:
        click.echo(t("init.welcome", lang))
    while True:
        try:
            answers = _interview(book, lang, on, answers, partial)
            data = answers_to_profile(answers)
            profile_from_dict(data, str(path))  # same validation as every other entry point
            break
        except click.Abort:
            _save_partial(partial, answers)
            click.echo("\n" + t("init.saved_partial", lang, path=str(partial)), err=True)
            sys.exit(130)
        except UserError as err:
            # an answer the whole profile refuses: say why, ask that question again, keep the rest
            qid = _question_for(err.field, [q.id for q in load_questions()])
            _save_partial(partial, answers)
            if qid is None or qid not in answers:
                click.echo(t("init.saved_partial", lang, path=str(partial)), err=True)
                raise
            click.echo("  ✗ " + err.render(lang).splitlines()[0] + "\n  " + t("init.fix_answer", lang))
            answers.pop(qid)
    text = "# " + t("init.header", lang) + "\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    from ..fsutil import atomic_write

    try:
        atomic_write(path, text)
    except OSError as exc:
        raise UserError("cmd.cannot_write", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="cmd.fix_write") from None
    partial.unlink(missing_ok=True)
    click.echo(t("init.written", lang, path=str(path)))
