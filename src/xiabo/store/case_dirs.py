"""Move per-case folders from ``cases/<name>`` to ``cases-by-id/<id>`` (migration 0003).

Before, a stored case's folder was its key run through ``case_slug``: keys cut at 180
characters and trailing ``-``/``.`` dropped let three cases share one evidence folder. Now the
folder is the case's id. The move is one atomic rename per folder, so it is safe to re-run at
any point: a folder already moved is skipped, a half-merged one is finished. When several
cases shared one folder, the oldest case (lowest id, the one that made it) keeps it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["MoveReport", "move_back", "move_case_dirs"]


@dataclass
class MoveReport:
    moved: list[int] = field(default_factory=list)  # case ids whose folder moved now
    shared: dict[int, list[int]] = field(default_factory=dict)  # keeper -> cases that shared
    left: list[str] = field(default_factory=list)  # paths that could not be merged


def _roots(root: Path | None) -> tuple[Path, Path]:
    from ..paths import STORE_CASES, data_dir

    base = Path(root) if root is not None else data_dir()
    return base / "cases", base / STORE_CASES


def move_case_dirs(rows: Iterable[tuple[int, str]], root: Path | None = None) -> MoveReport:
    """Move ``cases/slug(key)`` to ``cases-by-id/<id>`` for each (id, key) row."""
    from ..paths import case_slug

    old_root, new_root = _roots(root)
    report = MoveReport()
    owners: dict[str, int] = {}
    for case_id, key in sorted(rows):
        slug = case_slug(key)
        if slug in owners:
            report.shared.setdefault(owners[slug], []).append(case_id)
        else:
            owners[slug] = case_id
    for slug, case_id in owners.items():
        src = old_root / slug
        if src.is_symlink() or not src.is_dir():
            continue  # moved already, or the case never had files
        dest = new_root / str(case_id)
        new_root.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            _merge(src, dest, report)  # an earlier run stopped part-way, or files came since
        else:
            os.replace(src, dest)
        report.moved.append(case_id)
    return report


def move_back(rows: Iterable[tuple[int, str]], root: Path | None = None) -> MoveReport:
    """The downgrade: ``cases-by-id/<id>`` back to ``cases/slug(key)``."""
    from ..paths import case_slug

    old_root, new_root = _roots(root)
    report = MoveReport()
    for case_id, key in sorted(rows):
        src = new_root / str(case_id)
        if not src.is_dir():
            continue
        dest = old_root / case_slug(key)
        old_root.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            _merge(src, dest, report)
        else:
            os.replace(src, dest)
        report.moved.append(case_id)
    return report


def _merge(src: Path, dest: Path, report: MoveReport) -> None:
    """Move what ``dest`` lacks from ``src``; never overwrite; drop ``src`` when emptied."""
    for child in sorted(src.iterdir()):
        target = dest / child.name
        if not target.exists() and not target.is_symlink():
            os.replace(child, target)
        elif child.is_dir() and not child.is_symlink() and target.is_dir():
            _merge(child, target, report)
        else:
            report.left.append(str(child))
    try:
        src.rmdir()
    except OSError:
        pass
