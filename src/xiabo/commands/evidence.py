"""``xiabo evidence``: the tamper-evident evidence log (guide §8 "区块链存证").

Thin layer: parse options, call ``xiabo.evidence``, print through the message catalogue.
Heavy imports (cryptography, asn1crypto) happen inside the commands that need them.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import click

from xiabo.cli import cli_lang
from xiabo.errors import UserError, VerificationFailed
from xiabo.i18n import normalise_lang, t

_L = cli_lang()
KINDS = ("screenshot", "chat", "recording", "receipt", "contract", "other")

# LogError keys that mean "a check found damage" (exit 1) rather than bad input (exit 2).
_DAMAGE = {
    "err.head_bad",
    "err.config_bad",
    "err.entries_short",
    "err.entries_magic",
    "err.record_torn",
    "err.record_crc",
    "err.root_mismatch",
    "err.checkpoint_bad",
    "err.checkpoint_ahead",
    "err.history_rewritten",
    "err.object_missing",
    "err.object_changed",
    "err.key_mismatch",
    "err.private_key_bad",
    "err.proof_failed",
    "err.tsa_garbled",
    "err.ts_imprint",
    "err.ts_nonce",
    "err.ts_signature",
    "err.ts_algorithm",
    "err.ts_signers",
    "err.ts_no_cert",
    "err.ts_not_tsa_cert",
    "err.ts_attrs",
    "err.ts_content_digest",
    "err.ts_cert_hash",
    "err.ts_cert_expired",
}


def _h(key: str) -> str:
    return t(f"evidence.help.{key}", _L)


def _common(func):
    """--dir, --case and --lang on every sub-command; passes ``folder`` and ``lang``."""

    @click.option(
        "--dir", "dir_", type=click.Path(path_type=Path), default=None, help=_h("opt_dir")
    )
    @click.option("--case", default="default", show_default=True, help=_h("opt_case"))
    @click.option("--lang", default=None, help=_h("opt_lang"))
    @functools.wraps(func)
    def wrapper(dir_: Path | None, case: str, lang: str | None, **kw):
        from xiabo.evidence import default_dir

        lang = normalise_lang(lang or os.environ.get("XIABO_LANG"))
        folder = dir_ if dir_ is not None else default_dir(case)
        try:
            return func(folder=folder, lang=lang, **kw)
        except UserError:
            raise
        except Exception as err:
            from xiabo.evidence.log import LogError

            if not isinstance(err, LogError):
                raise
            key = f"evidence.{err.key}"
            fix = f"{key}_fix"
            params = {k: v for k, v in err.params.items()}
            cls = VerificationFailed if err.key in _DAMAGE else UserError
            if cls is VerificationFailed:
                raise VerificationFailed(key, params, fix_key=fix) from None
            raise UserError(key, params, fix_key=fix) from None

    return wrapper


def _echo(key: str, lang: str, **params) -> None:
    click.echo(t(f"evidence.{key}", lang, **params))


def _dump(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _open(folder: Path):
    from xiabo.evidence.log import EvidenceLog

    return EvidenceLog.open(folder)


@click.group(help=_h("group"))
def cli() -> None:
    pass


# ---------------------------------------------------------------------------------- init
@cli.command("init", help=_h("init"))
@click.option("--origin", default=None, help=_h("opt_origin"))
@click.option("--time", "time_", default=None, help=_h("opt_time"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def init_cmd(folder: Path, lang: str, origin: str | None, time_: str | None, as_json: bool):
    from xiabo.evidence import keys, note
    from xiabo.paths import case_slug

    stamp = _parse_time(time_)
    if origin is None:
        name = folder.parent.name if folder.name == "evidence" else folder.name
        origin = f"xiabo.local/evidence/{case_slug(name)}/{os.urandom(4).hex()}"
    log = keys.create_log(folder, origin, stamp)
    vkey = note.vkey(origin, log.public_key())
    if as_json:
        _dump({"dir": str(folder), "origin": origin, "public_key": vkey})
        return
    _echo("init.created", lang, dir=folder)
    _echo("init.origin", lang, origin=origin)
    _echo("init.key", lang, vkey=vkey)
    _echo("init.private", lang, file=log.private_key_path)
    _echo("init.next", lang)


def _parse_time(text: str | None) -> str:
    from xiabo.evidence.entry import parse_time

    try:
        return parse_time(text)
    except ValueError:
        raise UserError(
            "evidence.err.time_bad", {"time": text}, fix_key="evidence.err.time_bad_fix"
        ) from None


# ---------------------------------------------------------------------------------- add
@cli.command("add", help=_h("add"))
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--note", default=None, help=_h("opt_note"))
@click.option("--kind", type=click.Choice(KINDS), default=None, help=_h("opt_kind"))
@click.option("--task", default=None, help=_h("opt_task"))
@click.option("--time", "time_", default=None, help=_h("opt_time"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def add_cmd(folder, lang, files, note, kind, task, time_, as_json):
    from xiabo.evidence.add import add_evidence

    stamp = _parse_time(time_)
    log = _open(folder)
    added = add_evidence(log, list(files), note=note, kind=kind, task=task, time=stamp)
    if as_json:
        _dump([a.__dict__ for a in added])
        return
    for a in added:
        if a.file is not None:
            _echo("add.line_file", lang, index=a.index, file=a.file, size=a.size, sha256=a.sha256)
        else:
            _echo("add.line_note", lang, index=a.index)
        _echo("add.leaf", lang, leaf=a.leaf_hash)
    _echo("add.summary", lang, count=len(added))


# ---------------------------------------------------------------------------------- list
@cli.command("list", help=_h("list"))
@click.option("--task", default=None, help=_h("opt_task"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def list_cmd(folder, lang, task, as_json):
    from xiabo.evidence.entry import display_time

    log = _open(folder)
    rows = []
    for index, payload in log.entries():
        if index == 0:
            continue
        obj = json.loads(payload)
        if task is None or obj.get("task") == task:
            rows.append({"index": index, **obj})
    if as_json:
        _dump(rows)
        return
    if not rows:
        _echo("list.empty", lang)
    for r in rows:
        what = r.get("file") or (r.get("note") or "")
        if r.get("file") and r.get("note"):
            what = f"{r['file']} — {r['note']}"
        tag = t("evidence.list.task", lang, task=r["task"]) if r.get("task") else ""
        _echo(
            "list.line",
            lang,
            index=r["index"],
            time=display_time(r.get("time")),
            kind=r.get("kind"),
            what=what,
            task=tag,
        )


# ---------------------------------------------------------------------------------- checkpoint
@cli.command("checkpoint", help=_h("checkpoint"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def checkpoint_cmd(folder, lang, as_json):
    from xiabo.evidence.checkpoint import write_checkpoint

    cp, created = write_checkpoint(_open(folder))
    c = cp.checkpoint
    if as_json:
        _dump(
            {
                "seq": cp.seq,
                "size": c.size,
                "root": c.root.hex(),
                "file": str(cp.path),
                "created": created,
                "note": cp.data.decode("utf-8"),
            }
        )
        return
    _echo(
        "checkpoint.created" if created else "checkpoint.existing",
        lang,
        seq=cp.seq,
        size=c.size,
        root=c.root.hex(),
    )
    _echo("checkpoint.file", lang, file=cp.path)
    click.echo(cp.data.decode("utf-8"), nl=False)


# ---------------------------------------------------------------------------------- verify
@cli.command("verify", help=_h("verify"))
@click.option("--full", is_flag=True, help=_h("opt_full"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def verify_cmd(folder, lang, full, as_json):
    from xiabo.evidence.verify import verify_log

    rep = verify_log(folder, full=full)

    def rows(items):
        return [
            {"key": p.key, "message": t(f"evidence.problem.{p.key}", lang, **p.params), **p.params}
            for p in items
        ]

    if as_json:
        _dump(
            {
                "ok": rep.ok,
                "size": rep.size,
                "files": rep.files,
                "checkpoints": rep.checkpoints,
                "timestamps": rep.timestamps,
                "root": rep.root,
                "problems": rows(rep.problems),
                "notices": rows(rep.notices),
            }
        )
    else:
        for p in rep.problems:
            click.echo(
                t("evidence.verify.problem_prefix", lang)
                + t(f"evidence.problem.{p.key}", lang, **p.params)
            )
        for p in rep.notices:
            click.echo(
                t("evidence.verify.notice_prefix", lang)
                + t(f"evidence.problem.{p.key}", lang, **p.params)
            )
        if rep.ok:
            _echo(
                "verify.ok",
                lang,
                size=rep.size,
                files=rep.files,
                checkpoints=rep.checkpoints,
                timestamps=rep.timestamps,
            )
            _echo("verify.root", lang, root=rep.root)
    if not rep.ok:
        raise VerificationFailed("evidence.verify.failed", {"count": len(rep.problems)})


# ---------------------------------------------------------------------------------- prove
@cli.command("prove", help=_h("prove"))
@click.argument("index", type=int)
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def prove_cmd(folder, lang, index, as_json):
    from xiabo.evidence import merkle
    from xiabo.evidence.checkpoint import ensure_checkpoint
    from xiabo.evidence.log import LogError

    log = _open(folder)
    head = log.head()
    if not 0 <= index < head.size:
        raise UserError(
            "evidence.err.index_bad",
            {"index": index, "last": head.size - 1},
            fix_key="evidence.err.index_bad_fix",
        )
    cp, created = ensure_checkpoint(log, min_size=index + 1)
    c = cp.checkpoint
    payload = log.entry_at(index)
    with log.tree() as tree:
        path = tree.inclusion(index, c.size)
    if not merkle.verify_inclusion(payload, index, c.size, path, c.root):
        raise LogError("err.proof_failed")
    leaf = merkle.leaf_hash(payload).hex()
    if as_json:
        _dump(
            {
                "index": index,
                "tree_size": c.size,
                "root": c.root.hex(),
                "leaf_hash": leaf,
                "entry": json.loads(payload),
                "entry_bytes": payload.decode("utf-8"),
                "path": [h.hex() for h in path],
                "checkpoint_seq": cp.seq,
                "checkpoint": cp.data.decode("utf-8"),
                "checkpoint_created": created,
            }
        )
        return
    if created:
        _echo("prove.new_checkpoint", lang, seq=cp.seq)
    _echo("prove.heading", lang, index=index, seq=cp.seq, size=c.size, root=c.root.hex())
    _echo("prove.leaf", lang, leaf=payload.decode("utf-8"))
    _echo("prove.leaf_hash", lang, hash=leaf)
    _echo("prove.path", lang)
    for i, h in enumerate(path):
        click.echo(f"  {i}: {h.hex()}")
    _echo("prove.checked", lang)


# ---------------------------------------------------------------------------------- bundle
@cli.command("bundle", help=_h("bundle"))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help=_h("opt_out"))
@click.option("--from", "start", type=int, default=None, help=_h("opt_from"))
@click.option("--to", "stop", type=int, default=None, help=_h("opt_to"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def bundle_cmd(folder, lang, out, start, stop, as_json):
    from xiabo.evidence.bundle import make_bundle

    if out.suffix.lower() != ".zip":
        raise UserError("evidence.err.out_bad", {"file": out}, fix_key="evidence.err.out_bad_fix")

    def readme(params: dict) -> str:
        return (
            t("evidence.bundle.readme", "zh", **params)
            + "\n\n"
            + t("evidence.bundle.readme", "en", **params)
        )

    res = make_bundle(_open(folder), out, readme, start=start, stop=stop)
    if as_json:
        _dump(
            {
                "file": str(res.path),
                "entries": res.entries,
                "files": res.files,
                "checkpoint": res.checkpoint,
                "tree_size": res.tree_size,
                "checkpoint_created": res.created_checkpoint,
            }
        )
        return
    if res.created_checkpoint:
        _echo("bundle.new_checkpoint", lang, checkpoint=res.checkpoint)
    _echo(
        "bundle.written",
        lang,
        file=res.path,
        count=res.entries,
        files=res.files,
        checkpoint=res.checkpoint,
        size=res.tree_size,
    )


# ---------------------------------------------------------------------------------- timestamp
@cli.command("timestamp", help=_h("timestamp"))
@click.option("--tsa", "url", required=True, help=_h("opt_tsa"))
@click.option("--timeout", type=float, default=30.0, show_default=True, help=_h("opt_timeout"))
@click.option("--json", "as_json", is_flag=True, help=_h("opt_json"))
@_common
def timestamp_cmd(folder, lang, url, timeout, as_json):
    from xiabo.evidence.entry import display_time
    from xiabo.evidence.stamps import timestamp_latest

    cp, created, path, info = timestamp_latest(_open(folder), url, timeout=timeout)
    when = info.gen_time.isoformat()
    if as_json:
        _dump(
            {
                "checkpoint_seq": cp.seq,
                "size": cp.checkpoint.size,
                "file": str(path),
                "time": when,
                "tsa": info.tsa,
                "serial": info.serial,
                "policy": info.policy,
                "checkpoint_created": created,
            }
        )
        return
    if created:
        _echo("timestamp.new_checkpoint", lang, seq=cp.seq)
    _echo(
        "timestamp.done", lang, tsa=info.tsa or url, seq=cp.seq, size=cp.checkpoint.size,
        time=display_time(when),
    )
    _echo("timestamp.saved", lang, file=path)
