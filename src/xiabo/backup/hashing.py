"""Checksums with large buffered reads; every algorithm is fed from the same read.

hashlib releases the GIL for large updates, so several threads hashing different files really
run in parallel (verification uses that).
"""

from __future__ import annotations

import hashlib
import io
import os

__all__ = ["CHUNK", "SUPPORTED", "hash_file", "new_hashers"]

CHUNK = 4 << 20  # 4 MiB: large enough that syscall and GIL overhead vanish
SUPPORTED = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


def new_hashers(algorithms: list[str] | tuple[str, ...]) -> list:
    return [hashlib.new(a) for a in algorithms]


def hash_file(
    path: str | os.PathLike,
    algorithms: list[str] | tuple[str, ...],
    buf: bytearray | None = None,
    on_bytes=None,
) -> tuple[dict[str, str], int]:
    """Return ({algorithm: hex digest}, bytes read) for one file, reading it once."""
    hashers = new_hashers(algorithms)
    buf = buf if buf is not None else bytearray(CHUNK)
    view = memoryview(buf)
    total = 0
    with io.FileIO(path, "r") as fh:
        if hasattr(os, "posix_fadvise"):
            os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
        while True:
            n = fh.readinto(view)
            if not n:
                break
            chunk = view[:n]
            for h in hashers:
                h.update(chunk)
            total += n
            if on_bytes is not None:
                on_bytes(n)
    return {a: h.hexdigest() for a, h in zip(algorithms, hashers)}, total
