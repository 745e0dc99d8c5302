"""What a case knows about its backups: every bag made or checked, and what kind of medium each
destination folder is (labelled once by the user).

Both live in the case folder as JSON (``backup/inventory.json``, ``backup/media.json``), written
atomically under a lock, so two xiabo processes never lose each other's entries.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..errors import UserError
from ..paths import case_dir
from .classes import DATA_CLASSES
from .util import atomic_write_json, read_json

__all__ = [
    "MEDIA",
    "inventory_path",
    "label_destination",
    "load_inventory",
    "load_media",
    "media_path",
    "medium_of",
    "record_created",
    "record_verified",
]

MEDIA = ("local", "nas", "cloud")
_MAX_CHECKS = 20


def inventory_path(case: str) -> Path:
    return case_dir(case) / "backup" / "inventory.json"


def media_path(case: str) -> Path:
    return case_dir(case) / "backup" / "media.json"


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=60):
        yield


def _load(path: Path, key: str) -> dict:
    try:
        data = read_json(path, {"version": 1, key: {}})
    except ValueError:
        raise UserError("backup.errors.inventory_corrupt", {"path": str(path)}, file=str(path),
                        fix_key="backup.fixes.inventory_corrupt") from None
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise UserError("backup.errors.inventory_corrupt", {"path": str(path)}, file=str(path),
                        fix_key="backup.fixes.inventory_corrupt")
    return data


def load_inventory(case: str) -> dict:
    """``{"version": 1, "bags": {abs path: record}}``."""
    return _load(inventory_path(case), "bags")


def load_media(case: str) -> dict:
    """``{"version": 1, "destinations": {abs folder: {"media", "offsite", "labelled_at"}}}``."""
    return _load(media_path(case), "destinations")


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now()).replace(microsecond=0).isoformat()


def record_created(case: str, result, platform: str | None, sources: list[str],
                   when: datetime | None = None) -> None:
    """Add every bag a ``create_bag`` run finished."""
    path = inventory_path(case)
    with _locked(path):
        data = load_inventory(case)
        for bag in result.bags:
            data["bags"][str(Path(bag).resolve())] = {
                "name": result.name,
                "data_class": result.data_class,
                "platform": platform,
                "bag_id": result.bag_id,
                "content_id": result.content_id,
                "bagging_date": result.bagging_date,
                "created_at": _stamp(when),
                "origin": "created",
                "files": result.files,
                "bytes": result.bytes,
                "algorithms": result.algorithms,
                "sources": sources,
                "checks": [],
                "last_full_ok": None,
            }
        atomic_write_json(path, data)


def record_verified(case: str, result, when: datetime | None = None,
                    data_class: str | None = None) -> dict:
    """Note a verification (adding the bag if this case did not know it yet).

    ``data_class`` files a bag made by another tool under a class (it has no
    ``X-Xiabo-Data-Class``); an unknown class in a bag's own bag-info counts as ``other``.
    """
    path = inventory_path(case)
    key = str(Path(result.path).resolve())
    stamp = _stamp(when)
    with _locked(path):
        data = load_inventory(case)
        rec = data["bags"].get(key)
        info = result.info
        if rec is None:
            rec = {
                "name": Path(key).name,
                "data_class": info.get("X-Xiabo-Data-Class") or "other",
                "platform": info.get("Source-Organization"),
                "bag_id": info.get("External-Identifier"),
                "bagging_date": info.get("Bagging-Date"),
                "created_at": None,
                "origin": "verified",
                "algorithms": result.algorithms,
                "checks": [],
                "last_full_ok": None,
            }
            data["bags"][key] = rec
        if data_class is not None:
            rec["data_class"] = data_class
        if rec.get("data_class") not in DATA_CLASSES:
            rec["data_class"] = "other"
        if result.content_id:
            rec["content_id"] = result.content_id
        rec["files"], rec["bytes"] = result.files, result.bytes
        rec["checks"] = (rec.get("checks") or [])[-(_MAX_CHECKS - 1):] + [
            {"at": stamp, "mode": result.mode, "ok": result.ok, "problems": result.problem_count}
        ]
        if result.ok and result.mode == "full":
            rec["last_full_ok"] = stamp
        atomic_write_json(path, data)
        return rec


def label_destination(case: str, dest: str | os.PathLike, media: str,
                      offsite: bool | None = None, when: datetime | None = None) -> dict:
    """Say once what a destination folder is: local disk, NAS / mounted share, or cloud sync."""
    if media not in MEDIA:
        raise UserError("backup.errors.bad_media", {"value": media, "choices": ", ".join(MEDIA)},
                        field="--media")
    folder = Path(dest)
    if not folder.is_dir():
        raise UserError("backup.errors.dest_missing", {"path": str(dest)}, file=str(dest),
                        fix_key="backup.fixes.dest_missing")
    entry = {
        "media": media,
        "offsite": bool(offsite) if offsite is not None else media == "cloud",
        "labelled_at": _stamp(when),
    }
    path = media_path(case)
    with _locked(path):
        data = load_media(case)
        data["destinations"][str(folder.resolve())] = entry
        atomic_write_json(path, data)
    return entry


def medium_of(bag_path: str, media: dict) -> tuple[str | None, dict | None]:
    """The labelled destination that holds ``bag_path`` (longest matching folder wins)."""
    bag = Path(bag_path)
    best: tuple[str | None, dict | None] = (None, None)
    for folder, entry in media.get("destinations", {}).items():
        f = Path(folder)
        inside = f == bag or f in bag.parents
        if inside and (best[0] is None or len(folder) > len(best[0])):
            best = (folder, entry)
    return best
