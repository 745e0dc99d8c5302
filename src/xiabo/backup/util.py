"""Small helpers shared by the backup modules: sizes for people, crash-safe JSON files."""

from __future__ import annotations

import json
from pathlib import Path

from ..fsutil import atomic_write, fsync_dir

__all__ = ["atomic_write_json", "fsync_dir", "human_bytes", "read_json"]


def human_bytes(n: int) -> str:
    """1536 -> '1.5 KiB' (binary units, as disks and NAS boxes show them)."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{int(size)} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover


def atomic_write_json(path: Path, data: object) -> None:
    """Write JSON so a crash leaves either the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write(path, text, mode=0o600, sync_dir=True)


def read_json(path: Path, default: object) -> object:
    if not path.exists():
        return default
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)
