"""Plans for many streamers: JSON lines in, JSON lines out, bad rows reported by line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import UserError
from ..i18n import t


def _lines(path: Path):
    try:
        with path.open(encoding="utf-8-sig") as fh:
            yield from enumerate(fh, start=1)
    except FileNotFoundError:
        raise UserError("errors.file_missing", {"path": str(path)}, file=str(path),
                        fix_key="errors.file_missing_fix") from None
    except UnicodeDecodeError:
        raise UserError("profile.not_utf8", file=str(path), fix_key="profile.fix.utf8") from None


_MAX_LINE = 4 << 20  # one profile; the same cap as a profile file


def _decode(line: str, number: int, source: str):
    """One line's JSON, or a UserError naming the line (bad JSON, too big, too deep)."""
    if len(line) > _MAX_LINE:
        raise UserError("inputs.file_too_big", {"size": len(line.encode()), "max": _MAX_LINE},
                        file=source, fix_key="inputs.fix.file_too_big")
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise UserError("profile.bad_json", {"line": number, "problem": exc.msg},
                        file=source, fix_key="profile.fix.json") from None
    except RecursionError:
        raise UserError("inputs.too_deep", {"max": 32}, file=source,
                        fix_key="inputs.fix.too_deep") from None
    except ValueError:  # an integer over Python's 4,300-digit limit
        raise UserError("inputs.number_too_long", file=source, fix_key="profile.fix.too_large") from None


def _count(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def run_batch(src: Path, dest: Path, book, today: date, lang: str) -> int:
    """Write one plan per good line to ``dest``; return the number of bad lines."""
    from ..cases import CaseRef, plan_case
    from ..roadmap.profile import profile_from_dict

    nowhere = CaseRef(folder="")  # a batch line is a profile alone: no case folder, no facts

    if src.resolve() == dest.resolve():
        raise UserError("cmd.batch_same_file", file=str(dest), fix_key="cmd.fix_batch_out")
    total = _count(src) if src.exists() else 0
    bad = good = 0
    progress = None
    if sys.stderr.isatty():
        from rich.progress import Progress

        progress = Progress(transient=True)
        progress.start()
        bar = progress.add_task(t("cmd.batch_progress", lang), total=total)
    tmp = dest.with_name(f".{dest.name}.partial")
    try:
        with tmp.open("w", encoding="utf-8") as out:
            for number, line in _lines(src):
                if progress:
                    progress.advance(bar)
                if not line.strip():
                    continue
                source = f"{src}:{number}"
                try:
                    plan = plan_case(profile_from_dict(_decode(line, number, source), source),
                                     nowhere, today=today, lang=lang, book=book)
                except UserError as err:
                    if not err.file:
                        err.file = source
                    bad += 1
                    click.echo(t("cmd.batch_bad_line", lang, line=number) + "\n" + err.render(lang), err=True)
                    continue
                except Exception as exc:  # noqa: BLE001 - one line's bug must not lose the others
                    bad += 1
                    click.echo(t("cmd.batch_bad_line", lang, line=number) + "\n"
                               + t("errors.internal", lang, error=type(exc).__name__), err=True)
                    continue
                out.write(json.dumps({"line": number, "plan": plan.to_dict()}, ensure_ascii=False) + "\n")
                good += 1
        tmp.replace(dest)
    finally:
        if progress:
            progress.stop()
        if tmp.exists():
            tmp.unlink()
    click.echo(t("cmd.batch_done", lang, good=good, bad=bad, path=str(dest)), err=True)
    return bad
