"""The Merkle tree on disk: one file of 32-byte hashes per level, appended as leaves arrive.

Level k holds the hashes of the perfect subtrees of 2**k leaves, in order, so a tree of n
leaves has exactly n >> k entries at level k. Appending touches O(log n) entries; any root,
inclusion proof or consistency proof for any size <= n reads O(log2(n)**2) hashes. The files
are a cache derived from the entries: ``verify`` recomputes them and reports any difference.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from hashlib import sha256
from pathlib import Path
from typing import Self

from . import merkle

__all__ = ["TreeFiles", "level_name"]

H = merkle.HASH_SIZE


def level_name(level: int) -> str:
    return f"L{level:02d}.bin"


class TreeFiles:
    """Level files under ``folder``; readers and writers share the class."""

    def __init__(self, folder: Path, writable: bool = False):
        self.folder = Path(folder)
        self.writable = writable
        self._fds: dict[int, int] = {}
        if writable:
            self.folder.mkdir(parents=True, exist_ok=True)

    # -- file handles
    def _fd(self, level: int) -> int:
        fd = self._fds.get(level)
        if fd is None:
            path = self.folder / level_name(level)
            flags = os.O_RDWR | os.O_CREAT if self.writable else os.O_RDONLY
            fd = os.open(path, flags, 0o644)
            self._fds[level] = fd
        return fd

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reading
    def get(self, level: int, index: int) -> bytes:
        """Hash of the perfect subtree ``index`` at ``level``."""
        data = os.pread(self._fd(level), H, index * H)
        if len(data) != H:
            raise LookupError(f"tree level {level} has no node {index}")
        return data

    def count(self, level: int) -> int:
        """Entries stored at ``level`` (0 when the file is absent)."""
        path = self.folder / level_name(level)
        try:
            return path.stat().st_size // H
        except FileNotFoundError:
            return 0

    def levels_present(self) -> list[int]:
        found = []
        for path in self.folder.glob("L*.bin"):
            try:
                found.append(int(path.stem[1:]))
            except ValueError:
                continue
        return sorted(found)

    def intact_for(self, size: int) -> bool:
        """Every level holds at least the nodes a tree of ``size`` leaves needs."""
        level = 0
        while size >> level:
            if self.count(level) < size >> level:
                return False
            level += 1
        return True

    def read_level(self, level: int) -> bytes:
        path = self.folder / level_name(level)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return b""

    def root(self, size: int) -> bytes:
        return merkle.root_from_getter(self.get, size)

    def inclusion(self, index: int, size: int) -> list[bytes]:
        return merkle.inclusion_path(self.get, index, size)

    def consistency(self, old: int, new: int) -> list[bytes]:
        return merkle.consistency_path(self.get, old, new)

    # -- writing
    def truncate_to(self, size: int) -> None:
        """Drop nodes beyond a tree of ``size`` leaves (an uncommitted append)."""
        for level in self.levels_present():
            want = (size >> level) * H
            path = self.folder / level_name(level)
            if path.stat().st_size > want:
                os.ftruncate(self._fd(level), want)

    def append(self, size: int, leaf_hashes: Sequence[bytes]) -> list[int]:
        """Add ``leaf_hashes`` to a tree of ``size`` leaves; return the levels written."""
        touched = []
        level, start, new = 0, size, list(leaf_hashes)
        while new:
            fd = self._fd(level)
            os.pwrite(fd, b"".join(new), start * H)
            touched.append(level)
            if start & 1:
                new = [self.get(level, start - 1), *new]
            parents = [
                sha256(b"\x01" + new[i] + new[i + 1]).digest() for i in range(0, len(new) - 1, 2)
            ]
            level, start, new = level + 1, start >> 1, parents
        return touched

    def rebuild(self, leaf_hashes: Sequence[bytes]) -> None:
        """Rewrite every level from scratch (after the cache was lost or damaged)."""
        for level in self.levels_present():
            os.ftruncate(self._fd(level), 0)
        levels = merkle.build_levels(leaf_hashes) if leaf_hashes else []
        for level, hashes in enumerate(levels):
            os.pwrite(self._fd(level), b"".join(hashes), 0)
        self.sync(range(len(levels)))

    def sync(self, levels) -> None:
        for level in levels:
            os.fsync(self._fd(level))
