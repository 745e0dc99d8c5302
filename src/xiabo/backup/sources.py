"""Which files a backup copies, and where each lands inside ``data/``.

Every source (file or folder) keeps its own name under ``data/``, so two sources never mix. Only
regular files are copied (symlinks are followed once; FIFOs and devices would hang or make no
sense in a backup and are reported as skipped).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError

__all__ = ["SourceFile", "SourceScan", "is_within", "scan_sources"]


@dataclass(frozen=True)
class SourceFile:
    """One file to copy: where it is read from and its path inside the bag (``/``-separated)."""

    src: str
    rel: str
    size: int
    mtime_ns: int


@dataclass
class SourceScan:
    files: list[SourceFile] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)  # resolved source paths
    skipped: list[str] = field(default_factory=list)  # not regular files

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)


def is_within(child: Path, parent: Path) -> bool:
    """True if ``child`` is ``parent`` or lies below it (both already resolved)."""
    return child == parent or parent in child.parents


def _check_name(rel: str, path: str) -> None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(
            "backup.errors.bad_filename",
            {"path": os.fsdecode(path).encode("utf-8", "replace").decode("utf-8")},
            file=path.encode("utf-8", "replace").decode("utf-8"),
            fix_key="backup.fixes.bad_filename",
        ) from None


def _walk_error(err: OSError) -> None:
    raise UserError(
        "backup.errors.source_unreadable",
        {"path": err.filename, "reason": err.strerror or str(err)},
        file=str(err.filename),
        fix_key="backup.fixes.source_unreadable",
    )


def scan_sources(sources: list[str | os.PathLike]) -> SourceScan:
    """List the files under ``sources``; raise ``UserError`` for a missing or clashing source."""
    scan = SourceScan()
    if not sources:
        raise UserError("backup.errors.no_source", fix_key="backup.fixes.no_source")
    tops: dict[str, str] = {}
    for raw in sources:
        path = Path(raw)
        if not os.path.exists(path):
            raise UserError(
                "backup.errors.source_missing",
                {"path": str(raw)},
                file=str(raw),
                fix_key="backup.fixes.source_missing",
            )
        root = path.resolve()
        if root in scan.roots:  # the same source named twice
            continue
        top = root.name or "root"
        if top in tops:
            raise UserError(
                "backup.errors.source_clash",
                {"name": top, "first": tops[top], "second": str(raw)},
                file=str(raw),
                fix_key="backup.fixes.source_clash",
            )
        tops[top] = str(raw)
        _check_name(top, str(root))
        scan.roots.append(root)
        if root.is_file():
            st = os.stat(root)
            scan.files.append(SourceFile(str(root), top, st.st_size, st.st_mtime_ns))
            continue
        if not root.is_dir():
            scan.skipped.append(str(root))
            continue
        if not os.access(root, os.R_OK | os.X_OK):
            _walk_error(PermissionError(13, "Permission denied", str(root)))
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, onerror=_walk_error, followlinks=True):
            st_dir = os.stat(dirpath)
            if (st_dir.st_dev, st_dir.st_ino) in seen:  # a symlink loop
                dirnames[:] = []
                continue
            seen.add((st_dir.st_dev, st_dir.st_ino))
            dirnames.sort()
            rel_dir = os.path.relpath(dirpath, root)
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = top if rel_dir == "." else f"{top}/{rel_dir.replace(os.sep, '/')}"
                rel = f"{rel}/{name}"
                _check_name(rel, full)
                try:
                    st = os.stat(full)
                except FileNotFoundError:  # a dangling symlink, or deleted meanwhile
                    scan.skipped.append(full)
                    continue
                except OSError as err:
                    _walk_error(err)
                if not stat.S_ISREG(st.st_mode):
                    scan.skipped.append(full)
                    continue
                scan.files.append(SourceFile(full, rel, st.st_size, st.st_mtime_ns))
    return scan
