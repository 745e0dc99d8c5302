"""``create_bag``: copy sources into a BagIt 1.0 bag at one or more destinations.

Sources are only ever read. Each destination gets ``.<name>.partial-<job>`` first; the bag is
renamed to ``<name>`` only after payload and tag files are written and fsynced. A destination
that fails is cleaned up and reported while the others finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import UserError
from .classes import DATA_CLASSES, required_classes
from .copier import JOURNAL, Destination, SourceChanged, SourceUnreadable, copy_files
from .failures import DestFailure, failed, reason_of
from .inventory import record_created
from .partial import Busy, Partial, scan_partials
from .sources import is_within, scan_sources
from .tagfiles import BAGIT_TXT, format_manifest, format_tags
from .util import fsync_dir, human_bytes

__all__ = ["DATA_CLASSES", "CreateResult", "content_id", "create_bag"]

_TAG_NAMES = ("bagit.txt", "bag-info.txt")


@dataclass
class CreateResult:
    name: str
    bags: list[str]
    data_class: str
    files: int
    bytes: int
    algorithms: list[str]
    bag_id: str
    content_id: str
    bagging_date: str
    resumed_files: int = 0
    cleaned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def content_id(manifests: dict[str, dict[str, str]]) -> str:
    """An id for the payload itself: equal for every copy of the same bag, wherever it lies."""
    alg = "sha256" if "sha256" in manifests else min(manifests)
    digest = hashlib.sha256(format_manifest(manifests[alg]).encode("utf-8")).hexdigest()
    return digest if alg == "sha256" else f"{alg}:{digest}"


def _software() -> str:
    try:
        from importlib.metadata import version

        return f"xiabo {version('xiabo')}"
    except (ImportError, ValueError):  # pragma: no cover - running from a bare checkout
        return "xiabo"


def _resolve_dests(dests: list[str | os.PathLike], roots: list[Path]) -> list[Path]:
    out: list[Path] = []
    for raw in dests:
        path = Path(raw)
        if not path.is_dir():
            raise UserError(
                "backup.errors.dest_missing", {"path": str(raw)}, file=str(raw),
                fix_key="backup.fixes.dest_missing",
            )
        resolved = path.resolve()
        for root in roots:
            if root.is_dir() and is_within(resolved, root):
                raise UserError(
                    "backup.errors.dest_inside_source",
                    {"dest": str(raw), "source": str(root)}, file=str(raw),
                    fix_key="backup.fixes.dest_inside_source",
                )
        if resolved not in out:
            out.append(resolved)
    if not out:
        raise UserError("backup.errors.no_dest", fix_key="backup.fixes.no_dest")
    return out


def _check_name(name: str) -> None:
    if (not name or name.startswith(".") or "/" in name or "\\" in name or "\0" in name
            or name in ("..",) or len(name.encode("utf-8")) > 200):
        raise UserError("backup.errors.bad_bag_name", {"name": name}, field="--name",
                        fix_key="backup.fixes.bad_bag_name")


def _write_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _tidy(part: Partial, keep: set[str]) -> None:
    """In a resumed bag: drop payload files no longer in the sources, and old tag files."""
    root = part.path
    for entry in os.listdir(root):
        if entry not in ("data", JOURNAL) and (root / entry).is_file():
            os.unlink(root / entry)
    data = root / "data"
    for dirpath, _dirs, files in os.walk(data):
        for name in files:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, data).replace(os.sep, "/")
            if rel not in keep:
                os.unlink(full)


def _finalize(part: Partial, dest: Destination, tags: list[tuple[str, str]],
              manifests: dict[str, dict[str, str]], keep: set[str]) -> None:
    """Write tag files, make everything durable, then rename the bag into place."""
    root = part.path
    if part.resumed:
        _tidy(part, keep)
    os.makedirs(root / "data", exist_ok=True)  # an empty backup is still a valid bag
    files: dict[str, bytes] = {
        "bagit.txt": BAGIT_TXT.encode("utf-8"),
        "bag-info.txt": format_tags(tags).encode("utf-8"),
    }
    for alg, entries in manifests.items():
        files[f"manifest-{alg}.txt"] = format_manifest(
            {f"data/{rel}": d for rel, d in entries.items()}).encode("utf-8")
    for alg in manifests:
        tagm = {n: hashlib.new(alg, b).hexdigest() for n, b in files.items()
                if not n.startswith("tagmanifest-")}
        files[f"tagmanifest-{alg}.txt"] = format_manifest(tagm).encode("utf-8")
    for name, data in files.items():
        _write_file(root / name, data)
    for dirpath, _dirs, _files in os.walk(root / "data"):
        fsync_dir(dirpath)
    if dest.journal is not None:
        dest.journal.close()
        dest.journal = None
    try:
        os.unlink(root / JOURNAL)
    except FileNotFoundError:
        pass
    fsync_dir(root)
    if os.path.lexists(part.final):
        raise FileExistsError(17, "exists", str(part.final))
    os.rename(root, part.final)
    fsync_dir(part.dest)


def _job_id(roots: list[Path], data_class: str, name: str | None, algs: list[str]) -> str:
    key = json.dumps([sorted(map(str, roots)), data_class, name, algs], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _failure(dest: Path, err: OSError, path: str | None = None) -> DestFailure:
    return DestFailure(str(dest), reason_of(err), path or getattr(err, "filename", None),
                       err.strerror or str(err))


def create_bag(
    sources: list[str | os.PathLike],
    dests: list[str | os.PathLike],
    data_class: str = "other",
    name: str | None = None,
    case: str = "default",
    platform: str | None = None,
    description: str | None = None,
    sha512: bool = False,
    now: datetime | None = None,
    lang: str = "zh",
    progress: Callable[[int, int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
    record: bool = True,
) -> CreateResult:
    """Copy ``sources`` into a new bag in every ``dests`` folder; see the module docstring.

    ``on_start(total_bytes, total_files)`` is called once the sources are listed.
    Raises ``UserError`` (exit 2) for bad input and ``BackupFailed`` if a destination failed.
    """
    from ..i18n import t

    if data_class not in DATA_CLASSES:
        raise UserError("backup.errors.bad_class", {"value": data_class,
                        "choices": ", ".join(DATA_CLASSES)}, field="--class")
    if name is not None:
        _check_name(name)
    now = now or datetime.now()
    if platform is not None:
        required_classes(platform, now.date())  # an unknown platform is a UserError
    algorithms = ["sha256", "sha512"] if sha512 else ["sha256"]
    scan = scan_sources(sources)
    dest_dirs = _resolve_dests(dests, scan.roots)
    job = _job_id(scan.roots, data_class, name, algorithms)

    parts: list[Partial] = []
    cleaned: list[str] = []
    dests_by_dir: dict[Path, Destination] = {}
    try:
        found: dict[Path, Partial] = {}
        for d in dest_dirs:
            try:
                mine, gone = scan_partials(d, job, name)
            except Busy as busy:
                raise UserError("backup.errors.busy", {"path": busy.path}, file=busy.path,
                                fix_key="backup.fixes.busy") from None
            cleaned += gone
            if mine:
                found[d] = mine[0]
                parts.append(mine[0])
        if name is None:
            name = next(iter(found.values())).name if found else \
                f"{data_class}-{now.strftime('%Y%m%d-%H%M%S')}"
        for d, part in list(found.items()):  # same job, but started under another name
            if part.name != name:
                part.remove()
                cleaned.append(str(part.path))
                part.release()
                parts.remove(part)
                del found[d]
        for d in dest_dirs:
            if os.path.lexists(d / name):
                raise UserError("backup.errors.bag_exists", {"path": str(d / name)},
                                file=str(d / name), fix_key="backup.fixes.bag_exists")
        need = scan.total_bytes + (1 << 20)
        for d in dest_dirs:
            have = sum(e.get("size", 0) for e in found[d].previous.values()) if d in found else 0
            usage = shutil.disk_usage(d)
            free = usage.free
            # some network and cloud mounts report no sizes at all (total 0): let them try
            if usage.total and free + have < need:
                raise UserError(
                    "backup.errors.no_space",
                    {"dest": str(d), "need": human_bytes(need - have), "free": human_bytes(free)},
                    file=str(d), fix_key="backup.fixes.nospace")
        for d in dest_dirs:
            part = found.get(d)
            if part is None:
                part = Partial(d, name, job)
                try:
                    if not part.acquire():
                        raise UserError("backup.errors.busy", {"path": str(part.path)},
                                        fix_key="backup.fixes.busy")
                    parts.append(part)
                    os.mkdir(part.path)
                except OSError as err:
                    raise UserError(
                        "backup.errors.dest_unwritable",
                        {"dest": str(d), "reason": t(f"backup.reasons.{reason_of(err)}", lang),
                         "detail": err.strerror or str(err)},
                        file=str(d), fix_key=f"backup.fixes.{reason_of(err)}") from None
            dest = Destination(str(part.path), previous=part.previous)
            try:
                # closed in _finalize or on failure; it outlives this block on purpose
                dest.journal = open(part.path / JOURNAL, "a", encoding="utf-8")  # noqa: SIM115
                if part.resumed:  # never glue a new entry onto a line torn by the crash
                    dest.journal.write("\n")
            except OSError as err:
                dest.fail(err, str(part.path / JOURNAL))
            dests_by_dir[d] = dest

        if on_start is not None:
            on_start(scan.total_bytes, len(scan.files))
        try:
            copied = copy_files(scan.files, list(dests_by_dir.values()), algorithms, progress)
        except SourceChanged as err:
            raise UserError("backup.errors.source_changed", {"path": err.path}, file=err.path,
                            fix_key="backup.fixes.source_changed") from None
        except SourceUnreadable as err:
            raise UserError("backup.errors.source_unreadable",
                            {"path": err.path, "reason": err.error.strerror or str(err.error)},
                            file=err.path, fix_key="backup.fixes.source_unreadable") from None

        total = sum(copied.sizes.values())
        manifests = {a: {rel: dg[a] for rel, dg in copied.digests.items()} for a in algorithms}
        cid = content_id(manifests)
        bag_id = str(uuid.uuid4())
        bag_date = now.date().isoformat()
        tags = [
            ("Bag-Software-Agent", _software()),
            ("Bagging-Date", bag_date),
            ("Payload-Oxum", f"{total}.{len(copied.sizes)}"),
            ("Bag-Size", human_bytes(total)),
        ]
        if platform:
            tags.append(("Source-Organization", platform))
        tags += [
            ("External-Description", description or t(f"backup.classes.{data_class}", lang)),
            ("External-Identifier", bag_id),
            ("X-Xiabo-Data-Class", data_class),
            ("X-Xiabo-Case", case),
        ]
        failures: list[DestFailure] = []
        done: list[str] = []
        keep = set(copied.sizes)
        for d, dest in dests_by_dir.items():
            part = next(p for p in parts if p.dest == d)
            if not dest.failed:
                try:
                    _finalize(part, dest, tags, manifests, keep)
                    done.append(str(part.final))
                except OSError as err:
                    dest.fail(err)
            if dest.failed:
                failures.append(_failure(d, dest.error, dest.error_path))
                if dest.journal is not None:
                    dest.journal.close()
                    dest.journal = None
                part.remove()
    except UserError:
        for dest in dests_by_dir.values():
            if dest.journal is not None:
                dest.journal.close()
        for part in parts:  # a clean stop: nothing half-made stays behind
            part.remove()
        raise
    finally:
        for part in parts:
            part.release()

    result = CreateResult(
        name=name, bags=done, data_class=data_class, files=len(copied.sizes), bytes=total,
        algorithms=algorithms, bag_id=bag_id, content_id=cid, bagging_date=bag_date,
        resumed_files=copied.resumed_files, cleaned=cleaned, skipped=scan.skipped,
    )
    if record and done:
        record_created(case, result, platform=platform, sources=[str(r) for r in scan.roots],
                       when=now)
    if failures:
        raise failed(failures, done)
    return result
