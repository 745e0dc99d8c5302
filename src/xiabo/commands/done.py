"""``xiabo done TASK PROFILE``: record a task as done in the profile, then re-plan.

The profile is the user's file: it is changed in place, safely. YAML keeps its comments and
layout (ruamel.yaml round trip), the new content is validated before anything is written, the
old file is kept beside it as ``PROFILE.bak``, and both are written atomically.
"""

from __future__ import annotations

import io
import json
import re
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


def _load_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UserError("errors.file_missing", {"path": str(path)}, file=str(path),
                        fix_key="errors.file_missing_fix") from None
    except (OSError, UnicodeDecodeError):
        raise UserError("profile.not_utf8", file=str(path), fix_key="profile.fix.utf8") from None


def _edit_yaml(text: str, change) -> str:
    """Apply ``change`` to the YAML document, keeping comments, order and flow style."""
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    if re.search(r"^\S[^\n]*:[ \t]*\n {2}- ", text, re.M):  # lists indented under their key
        yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text)
    if not isinstance(data, dict):
        raise UserError("profile.not_mapping", fix_key="profile.fix.mapping_top")
    change(data, date.fromisoformat)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _edit_json(text: str, change) -> str:
    data = json.loads(text)
    change(data, str)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _plain(node):
    """A round-trip YAML tree as plain dicts and lists (for validation)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


@click.command(name="done", cls=CatalogueCommand, help_key="replan.cli.help")
@click.argument("task", metavar="TASK")
@click.argument("profile", metavar="PROFILE")
@catalogue_option("--on", "on", default=None, metavar="YYYY-MM-DD", key="replan.cli.opt_on")
@catalogue_option("--undo", is_flag=True, key="replan.cli.opt_undo")
@today_option
@rules_option
@lang_option
def cli(task, profile, on, undo, today, rules, lang):
    from .. import load_rulebook
    from ..cases import CaseRef, plan_case
    from ..fsutil import atomic_write
    from ..roadmap.lookup import find_task
    from ..roadmap.profile import _parse, load_profile, profile_from_dict
    from ..roadmap.progress import FACTS, check_done_date, record_done

    today_d = parse_date(today, "--today") or date.today()
    when = None if undo else (parse_date(on, "--on") or today_d)
    if when is not None:
        check_done_date(when, today_d, field="--on")
    path = Path(profile)
    prof = load_profile(path)
    book = load_rulebook(rules)
    ref = CaseRef.for_file(path)  # the plan xiabo plan prints (letters beside it included)
    before = plan_case(prof, ref, today=today_d, lang=lang, book=book)
    titles = {x.id: x.title for x in before.tasks}
    task = find_task(before, task, file=str(path)).id  # a title, part of one, a number, an id

    def change(data, as_date):
        record_done(data, task, when, today=today_d)
        if when is not None:  # dates as dates in YAML (unquoted), as text in JSON
            data["progress"][task]["done"] = as_date(when.isoformat())
            section, name = FACTS.get(task, (None, None))
            if name:
                (data if section is None else data[section])[name] = as_date(when.isoformat())

    text = _load_text(path)
    new_text = (_edit_json if path.suffix.lower() == ".json" else _edit_yaml)(text, change)
    new_prof = profile_from_dict(_plain(_parse(path, new_text)), str(path))  # never write junk
    backup = path.with_name(path.name + ".bak")
    try:
        atomic_write(backup, text)
        atomic_write(path, new_text)
    except OSError as exc:
        raise UserError("cmd.cannot_write", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="cmd.fix_write") from None
    after = plan_case(new_prof, ref, today=today_d, lang=lang, book=book)
    lines = [t("replan.cli.undone" if when is None else "replan.cli.recorded", lang,
               title=titles[task], done=when.isoformat() if when else "")]
    if task in FACTS and when is not None:  # the fact in words, not a YAML path
        lines.append(t(f"replan.cli.facts.{task}", lang, value=when.isoformat()))
    lines.append(t("replan.cli.backup", lang, backup=str(backup)))
    lines.append(t("replan.cli.next", lang, end=after.end.isoformat()))
    click.echo("\n".join(lines))
