"""The evidence log folder: append-only entries, content-addressed files, tree, signing key.

Layout of a log folder::

    config.json      origin, key name, public key (a copy of entry 0, for quick reading)
    head.json        the committed state: size, byte length of entries.log, root
    entries.log      header line, then records: u32 length | u32 CRC-32 | canonical JSON
    tree/Lkk.bin     level k of the Merkle tree (see tree.py)
    index.bin        u64 byte offset of each record, for reading entry i without a scan
    objects/ab/cd…   stored copies of files, named by SHA-256
    checkpoints/     000001.note …  signed checkpoints (C2SP signed notes)
    timestamps/      RFC 3161 responses over checkpoints
    private.key      Ed25519 signing key, mode 0600, never copied anywhere
    public.key       the verifier key (name+hash+key)

Crash safety: an append writes files to objects/, then records to entries.log, then tree
nodes, fsyncs each, and only then replaces head.json atomically (write, fsync, rename). The
head is the commit point, so a batch is wholly present or wholly absent: anything beyond the
head is an interrupted append, ignored by readers and cut off by the next writer. Writers
hold a file lock, so two processes appending at once are serialised.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from .. import fsutil
from . import entry as entry_mod
from . import merkle
from .tree import TreeFiles

__all__ = [
    "MAGIC",
    "EvidenceLog",
    "FileSpec",
    "Head",
    "LogError",
    "iter_records",
    "write_atomic",
]

MAGIC = b"xiabo-evidence-log/1\n"
REC = struct.Struct(">II")
_CRASH = os.environ.get("XIABO_EVIDENCE_CRASH", "")


class LogError(Exception):
    """A problem with the log folder; ``key`` names a message in the evidence catalogue."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params


def _crashpoint(name: str) -> None:
    """Test hook: die like ``kill -9`` at a named step (env XIABO_EVIDENCE_CRASH)."""
    if _CRASH == name:
        os.kill(os.getpid(), signal.SIGKILL)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` so a reader sees the old file or the new, never half."""
    fsutil.atomic_write(path, data, mode=mode, sync_dir=True)


def frame(payload: bytes) -> bytes:
    """One record: length, CRC-32 of length and payload, payload."""
    length = len(payload).to_bytes(4, "big")
    return REC.pack(len(payload), zlib.crc32(payload, zlib.crc32(length))) + payload


def iter_records(data: bytes | memoryview, start: int, end: int) -> Iterator[tuple[int, bytes]]:
    """(offset, payload) for each record in ``data[start:end]``; raises LogError when torn."""
    pos = start
    while pos < end:
        if pos + 8 > end:
            raise LogError("err.record_torn", offset=pos)
        length, crc = REC.unpack_from(data, pos)
        stop = pos + 8 + length
        if stop > end:
            raise LogError("err.record_torn", offset=pos)
        payload = bytes(data[pos + 8 : stop])
        if zlib.crc32(payload, zlib.crc32(data[pos : pos + 4])) != crc:
            raise LogError("err.record_crc", offset=pos)
        yield pos, payload
        pos = stop


@dataclass(frozen=True)
class Head:
    """The committed state of the log."""

    size: int
    bytes: int
    root: bytes

    def dump(self) -> bytes:
        return entry_mod.canonical(
            {"size": self.size, "bytes": self.bytes, "root": self.root.hex()}
        )

    @classmethod
    def load(cls, data: bytes) -> Head:
        try:
            obj = json.loads(data)
            head = cls(int(obj["size"]), int(obj["bytes"]), bytes.fromhex(obj["root"]))
        except (ValueError, KeyError, TypeError):
            raise LogError("err.head_bad") from None
        if head.dump() != data or head.size < 0 or len(head.root) != 32:
            raise LogError("err.head_bad")
        return head


@dataclass(frozen=True)
class FileSpec:
    """A file already copied into the object store, ready to be logged."""

    name: str
    size: int
    sha256: str


class EvidenceLog:
    """One log folder. Open with :meth:`open`; create with ``xiabo.evidence.keys.create_log``."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.entries_path = self.folder / "entries.log"
        self.head_path = self.folder / "head.json"
        self.objects = self.folder / "objects"
        self.checkpoints_dir = self.folder / "checkpoints"
        self.timestamps_dir = self.folder / "timestamps"
        self.tree_dir = self.folder / "tree"
        self.private_key_path = self.folder / "private.key"
        self.public_key_path = self.folder / "public.key"
        self.config_path = self.folder / "config.json"
        self.lock_path = self.folder / ".lock"
        self.index_path = self.folder / "index.bin"

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, folder: Path) -> EvidenceLog:
        log = cls(folder)
        if not log.head_path.exists() or not log.config_path.exists():
            raise LogError("err.no_log", dir=str(folder))
        return log

    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / "head.json").exists()

    def config(self) -> dict:
        try:
            obj = json.loads(self.config_path.read_bytes())
        except (OSError, ValueError):
            raise LogError("err.config_bad") from None
        if not isinstance(obj, dict) or obj.get("format") != entry_mod.FORMAT:
            raise LogError("err.config_bad")
        return obj

    @property
    def origin(self) -> str:
        return self.config()["origin"]

    def public_key(self) -> bytes:
        import base64

        try:
            return base64.b64decode(self.config()["public_key"], validate=True)
        except (ValueError, KeyError):
            raise LogError("err.config_bad") from None

    def head(self) -> Head:
        try:
            return Head.load(self.head_path.read_bytes())
        except FileNotFoundError:
            raise LogError("err.no_log", dir=str(self.folder)) from None

    @contextmanager
    def locked(self, timeout: float = 60.0):
        """Hold the writer lock (serialises appends across processes)."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.lock_path), timeout=timeout)
        try:
            lock.acquire()
        except Timeout:
            raise LogError("err.locked", dir=str(self.folder)) from None
        try:
            yield
        finally:
            lock.release()

    def tree(self, writable: bool = False) -> TreeFiles:
        return TreeFiles(self.tree_dir, writable=writable)

    # ------------------------------------------------------------------ reading
    def read_range(self, head: Head | None = None) -> tuple[bytes, int]:
        """(bytes of entries.log up to the committed end, offset of the first record)."""
        head = head or self.head()
        with self.entries_path.open("rb") as fh:
            data = fh.read(head.bytes)
        if len(data) < head.bytes:
            raise LogError("err.entries_short", have=len(data), want=head.bytes)
        if not data.startswith(MAGIC):
            raise LogError("err.entries_magic")
        return data, len(MAGIC)

    def entries(self, head: Head | None = None) -> Iterator[tuple[int, bytes]]:
        """(index, entry bytes) of every committed entry, unverified: cheap reading."""
        data, start = self.read_range(head)
        for index, (_, payload) in enumerate(iter_records(data, start, len(data))):
            yield index, payload

    def entry_at(self, index: int, head: Head | None = None) -> bytes:
        """The bytes of entry ``index`` via index.bin (falls back to a scan if it is short)."""
        head = head or self.head()
        if not 0 <= index < head.size:
            raise IndexError(index)
        try:
            with self.index_path.open("rb") as fh:
                fh.seek(index * 8)
                raw = fh.read(8)
            if len(raw) == 8:
                offset = int.from_bytes(raw, "big")
                with self.entries_path.open("rb") as fh:
                    fh.seek(offset)
                    header = fh.read(8)
                    if len(header) == 8 and offset + 8 <= head.bytes:
                        length = REC.unpack(header)[0]
                        if offset + 8 + length <= head.bytes:
                            payload = fh.read(length)
                            for _, p in iter_records(header + payload, 0, 8 + length):
                                return p
        except (OSError, LogError):
            pass
        for i, payload in self.entries(head):
            if i == index:
                return payload
        raise IndexError(index)

    def object_path(self, digest: str) -> Path:
        return self.objects / digest[:2] / digest[2:]

    def checkpoint_files(self) -> list[Path]:
        if not self.checkpoints_dir.exists():
            return []
        return sorted(p for p in self.checkpoints_dir.glob("*.note") if p.stem.isdigit())

    # ------------------------------------------------------------------ files
    def store_file(self, source: Path, name: str | None = None) -> FileSpec:
        """Copy ``source`` into the object store (hashing as it goes); the source is untouched."""
        with source.open("rb") as src:
            return self._store(src, name or source.name)

    def store_bytes(self, data: bytes, name: str) -> FileSpec:
        import io

        return self._store(io.BytesIO(data), name)

    def _store(self, src, name: str) -> FileSpec:
        tmp_dir = self.objects / "tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        tmp = tmp_dir / f"{os.getpid()}-{os.urandom(6).hex()}"
        digest, size = sha256(), 0
        with tmp.open("wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        hexd = digest.hexdigest()
        final = self.object_path(hexd)
        if final.exists():
            tmp.unlink()
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
            os.replace(tmp, final)
            fsutil.fsync_dir(final.parent)
        return FileSpec(name, size, hexd)

    def _clean_tmp(self) -> None:
        """Remove copies left by a killed ``add`` (their process is gone)."""
        tmp_dir = self.objects / "tmp"
        if not tmp_dir.exists():
            return
        for path in tmp_dir.iterdir():
            pid = path.name.split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                path.unlink(missing_ok=True)

    # ------------------------------------------------------------------ writing
    def recover(self) -> Head:
        """Under the lock: cut off an interrupted append and repair the tree cache."""
        head = self.head()
        size = self.entries_path.stat().st_size if self.entries_path.exists() else 0
        if size < head.bytes:
            raise LogError("err.entries_short", have=size, want=head.bytes)
        if size > head.bytes:
            with self.entries_path.open("r+b") as fh:
                fh.truncate(head.bytes)
                os.fsync(fh.fileno())
        self._recover_index(head)
        with self.tree(writable=True) as tree:
            tree.truncate_to(head.size)
            if not tree.intact_for(head.size):
                hashes = [merkle.leaf_hash(p) for _, p in self.entries(head)]
                tree.rebuild(hashes)
                if tree.root(head.size) != head.root:
                    raise LogError("err.root_mismatch")
        self._clean_tmp()
        return head

    def _recover_index(self, head: Head) -> None:
        want = head.size * 8
        have = self.index_path.stat().st_size if self.index_path.exists() else 0
        if have == want:
            return
        with self.index_path.open("ab") as fh:
            if have > want:
                fh.truncate(want)
            else:
                data, start = self.read_range(head) if head.bytes else (b"", 0)
                fh.truncate(0)
                fh.write(
                    b"".join(o.to_bytes(8, "big") for o, _ in iter_records(data, start, len(data)))
                )
            fh.flush()
            os.fsync(fh.fileno())

    def append(self, payloads: Sequence[bytes]) -> list[tuple[int, bytes]]:
        """Append entries as one durable batch; returns (index, leaf hash) for each."""
        if not payloads:
            return []
        with self.locked():
            head = self.recover()
            return self.append_locked(head, payloads)

    def append_locked(self, head: Head, payloads: Sequence[bytes]) -> list[tuple[int, bytes]]:
        """Append while the caller holds :meth:`locked` and passes the recovered head."""
        blob = b"".join(frame(p) for p in payloads)
        fd = os.open(self.entries_path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            if head.bytes == 0:
                os.pwrite(fd, MAGIC, 0)
                start = len(MAGIC)
            else:
                start = head.bytes
            if _CRASH == "mid_records":
                os.pwrite(fd, blob[: len(blob) // 2], start)
                _crashpoint("mid_records")
            os.pwrite(fd, blob, start)
            os.fsync(fd)
        finally:
            os.close(fd)
        _crashpoint("after_records")
        offsets, pos = [], start
        for p in payloads:
            offsets.append(pos.to_bytes(8, "big"))
            pos += 8 + len(p)
        fd = os.open(self.index_path, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            os.pwrite(fd, b"".join(offsets), head.size * 8)
            os.fsync(fd)
        finally:
            os.close(fd)
        hashes = [merkle.leaf_hash(p) for p in payloads]
        with self.tree(writable=True) as tree:
            touched = tree.append(head.size, hashes)
            _crashpoint("mid_tree")
            tree.sync(touched)
            new_size = head.size + len(payloads)
            new_root = tree.root(new_size)
        _crashpoint("after_tree")
        new_head = Head(new_size, start + len(blob), new_root)
        write_atomic(self.head_path, new_head.dump())
        _crashpoint("after_head")
        return [(head.size + i, h) for i, h in enumerate(hashes)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
