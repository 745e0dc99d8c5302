"""Small builders shared by the backup tests."""

from __future__ import annotations

import os
from pathlib import Path


def make_tree(root: Path, files: dict[str, bytes]) -> Path:
    """Create ``files`` (relative path -> bytes) under ``root``; return ``root``."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file below ``root`` (to prove sources were not touched)."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            out[str(p.relative_to(root))] = (p.read_bytes(), p.stat().st_mtime_ns)
    return out


def leftovers(dest: Path) -> list[str]:
    """Anything in ``dest`` that looks like an unfinished bag or its lock."""
    return sorted(n for n in os.listdir(dest) if ".partial-" in n)


SAMPLE = {
    "录像/第 1 场.mp4": b"live one " * 1000,
    "录像/第2场 final.mp4": os.urandom(300_000),
    "录像/评论/弹幕.csv": "时间,用户,内容\n20:00,小明,主播好\n".encode(),
    "录像/empty.txt": b"",
}
