"""``xiabo backup``: create and verify BagIt bags, label destinations, show the 3-2-1 status.

Thin: parse options, call ``xiabo.backup``, print. Heavy modules load inside the commands.
"""

from __future__ import annotations

import json
from datetime import date

import click

from ..cli import cli_lang
from ..i18n import t

_L = cli_lang()
_CLASSES = ("recordings", "fan_profile", "sales", "other")
_MEDIA = ("local", "nas", "cloud")


def _h(key: str) -> str:
    return t(f"backup.help.{key}", _L)


def _lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), envvar="XIABO_LANG",
                        default="zh", show_default=True, help=_h("lang"))(f)


def _case_option(f):
    return click.option("--case", "case", default="default", show_default=True,
                        help=_h("case"))(f)


def _json_option(f):
    return click.option("--json", "as_json", is_flag=True, help=_h("json"))(f)


def _shown(path: str) -> str:
    """A path as one readable line: CR and LF in file names are shown as \\r and \\n."""
    path = path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return path.replace("\r", "\\r").replace("\n", "\\n")


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(help=_h("group"), context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    pass


@cli.command(help=_h("create"))
@click.argument("sources", nargs=-1, required=True)
@click.option("--to", "dests", multiple=True, required=True, help=_h("to"))
@click.option("--class", "data_class", type=click.Choice(_CLASSES), default="other",
              show_default=True, help=_h("class"))
@click.option("--name", default=None, help=_h("name"))
@_case_option
@click.option("--platform", default=None, help=_h("platform"))
@click.option("--description", default=None, help=_h("description"))
@click.option("--sha512", is_flag=True, help=_h("sha512"))
@_json_option
@_lang_option
def create(sources, dests, data_class, name, case, platform, description, sha512, as_json,
           lang) -> None:
    from ..backup import create_bag
    from ..backup.progress import progress_bar
    from ..backup.util import human_bytes

    with progress_bar(t("backup.create.progress", lang), t("backup.create.files", lang)) as (
            on_start, advance):
        result = create_bag(list(sources), list(dests), data_class=data_class, name=name,
                            case=case, platform=platform, description=description,
                            sha512=sha512, lang=lang, progress=advance, on_start=on_start)
    if as_json:
        from dataclasses import asdict

        _echo_json(asdict(result))
        return
    for path in result.cleaned:
        click.echo(t("backup.create.cleaned", lang, path=path), err=True)
    for path in result.skipped:
        click.echo(t("backup.create.skipped", lang, path=_shown(path)), err=True)
    if result.resumed_files:
        click.echo(t("backup.create.resumed", lang, files=result.resumed_files))
    for bag in result.bags:
        click.echo(t("backup.create.done", lang, path=bag))
    click.echo(t("backup.create.summary", lang, files=result.files,
                 size=human_bytes(result.bytes), algorithms=", ".join(result.algorithms)))
    click.echo(t("backup.create.next", lang))


@cli.command(help=_h("verify"))
@click.argument("bag")
@click.option("--fast", is_flag=True, help=_h("fast"))
@click.option("--class", "data_class", type=click.Choice(_CLASSES), default=None,
              help=_h("verify_class"))
@_case_option
@_json_option
@_lang_option
def verify(bag, fast, data_class, case, as_json, lang) -> None:
    from ..backup import record_verified, verify_bag
    from ..backup.progress import progress_bar
    from ..backup.util import human_bytes
    from ..errors import VerificationFailed

    with progress_bar(t("backup.verify.progress", lang), t("backup.verify.files", lang),
                      enabled=None if not fast else False) as (on_start, advance):
        result = verify_bag(bag, fast=fast, progress=advance, on_start=on_start)
    record_verified(case, result, data_class=data_class)
    mode = t(f"backup.verify.mode_{result.mode}", lang)
    if as_json:
        _echo_json(result.as_dict())
    elif result.ok:
        click.echo(t("backup.verify.ok", lang, path=result.path, version=result.version,
                     files=result.files, size=human_bytes(result.bytes), mode=mode))
        if fast:
            click.echo(t("backup.verify.fast_note", lang))
    else:
        click.echo(t("backup.verify.failed", lang, path=result.path, version=result.version,
                     mode=mode))
        for p in result.problems:
            click.echo("  " + t(f"backup.verify.kinds.{p.kind}", lang, path=_shown(p.path),
                                detail=p.detail).rstrip())
    if not result.ok:
        raise VerificationFailed("backup.verify.failed_summary",
                                 {"path": result.path, "count": result.problem_count},
                                 fix_key="backup.verify.failed_fix")


def _status_lines(st, lang: str) -> list[str]:
    th = st.thresholds
    out = [t("backup.status.heading", lang, case=st.case, platform=st.platform,
             today=st.today.isoformat(), **th)]
    for cs in st.classes:
        media_names = [t(f"backup.media.{m}", lang) for m in cs.media]
        out.append(t(
            "backup.status.class_line", lang, mark="✓" if cs.ok else "✗",
            label=t(f"backup.classes.{cs.data_class}", lang),
            required=t("backup.status.required", lang) if cs.required else "",
            copies=cs.copies, need_copies=th["copies"],
            media_list="、".join(media_names) if lang == "zh" and media_names else
            (", ".join(media_names) or t("backup.status.none_media", lang)),
            media=len(cs.media), need_media=th["media"],
            offsite=cs.offsite_copies, need_offsite=th["offsite"],
            last=(cs.last_verified or t("backup.status.never", lang)).replace("T", " "),
        ))
        if not cs.backups:
            out.append(t("backup.status.no_backup", lang))
        newest = [c for c in cs.backups if (c.set_id or c.path) == cs.newest_set]
        for c in newest:
            out.append(t(
                "backup.status.copy_line", lang, path=c.path,
                media=t(f"backup.media.{c.media or 'none'}", lang),
                offsite=t("backup.status.offsite_mark", lang) if c.offsite else "",
                state=t(f"backup.status.states.{c.state}", lang,
                        when=(c.last_verified or "").replace("T", " ")),
                absent="" if c.present else t("backup.status.absent", lang),
            ))
        if len(cs.backups) > len(newest):
            out.append(t("backup.status.older", lang, count=len(cs.backups) - len(newest)))
    if st.missing_classes:
        sep = "、" if lang == "zh" else ", "
        out.append(t("backup.status.missing", lang, classes=sep.join(
            t(f"backup.classes.{c}", lang) for c in st.missing_classes)))
    elif st.ok:
        out.append(t("backup.status.all_ok", lang))
    if st.unlabelled:
        out.append(t("backup.status.unlabelled", lang, paths=", ".join(st.unlabelled)))
        out.append(t("backup.status.unlabelled_fix", lang))
    return out


def _default_platform(case: str) -> str:
    from ..backup import load_inventory

    bags = load_inventory(case)["bags"].values()
    dated = sorted(((b.get("created_at") or b.get("bagging_date") or ""), b.get("platform"))
                   for b in bags if b.get("platform"))
    return dated[-1][1] if dated else "kuaishou"


@cli.command(help=_h("status"))
@_case_option
@click.option("--platform", default=None, help=_h("platform"))
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=_h("today"))
@_json_option
@_lang_option
def status(case, platform, today, as_json, lang) -> None:
    from ..backup import status as backup_status

    day = today.date() if today else date.today()
    st = backup_status(case, platform or _default_platform(case), day)
    if as_json:
        _echo_json(st.as_dict())
        return
    for line in _status_lines(st, lang):
        click.echo(line)


@cli.command(help=_h("label"))
@click.argument("dest", required=False)
@click.option("--media", type=click.Choice(_MEDIA), default=None, help=_h("media"))
@click.option("--offsite/--onsite", default=None, help=_h("offsite"))
@_case_option
@_json_option
@_lang_option
def label(dest, media, offsite, case, as_json, lang) -> None:
    from ..backup import label_destination, load_media
    from ..errors import UserError

    if dest is None:
        labels = load_media(case)["destinations"]
        if as_json:
            _echo_json(labels)
            return
        if not labels:
            click.echo(t("backup.label.none", lang))
        for path, entry in sorted(labels.items()):
            click.echo(t("backup.label.line", lang, path=path,
                         media=t(f"backup.media.{entry['media']}", lang),
                         offsite=t(f"backup.label.{'offsite' if entry['offsite'] else 'onsite'}",
                                   lang)))
        return
    if media is None:
        raise UserError("backup.errors.bad_media", {"value": "", "choices": ", ".join(_MEDIA)},
                        field="--media")
    entry = label_destination(case, dest, media, offsite)
    if as_json:
        _echo_json({"path": dest, **entry})
        return
    click.echo(t("backup.label.done", lang, path=dest, media=t(f"backup.media.{media}", lang),
                 offsite=t(f"backup.label.{'offsite' if entry['offsite'] else 'onsite'}", lang)))
