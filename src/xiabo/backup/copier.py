"""The copy engine: read each source chunk once, hash it once, write it to every destination.

Three kinds of work overlap on separate threads so a copy costs about one hash pass:
the main thread reads, one thread hashes (hashlib drops the GIL), one thread per destination
writes (a slow NAS never stalls the local disk), and a sync thread fsyncs finished files while
later files are still being copied. A destination that fails (full disk, unplugged NAS) is
dropped and reported; the others carry on. Originals are opened read-only and never touched.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from .hashing import CHUNK, hash_file, new_hashers
from .sources import SourceFile

__all__ = [
    "JOURNAL",
    "Destination",
    "SourceChanged",
    "SourceUnreadable",
    "copy_files",
]

JOURNAL = ".xiabo-journal.jsonl"
BUFFERS = 4
_MAX_PENDING_SYNC = 64
_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class SourceChanged(Exception):
    """A source file's size or modification time changed while it was being copied."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class SourceUnreadable(Exception):
    def __init__(self, path: str, error: OSError):
        super().__init__(path)
        self.path, self.error = path, error


@dataclass(eq=False)
class Destination:
    """One bag being built: its partial folder, its writer thread and its first error."""

    root: str  # the partial bag folder
    previous: dict[str, dict] = field(default_factory=dict)  # journal of an earlier run
    error: OSError | None = None
    error_path: str | None = None
    fd: int | None = None
    current: str | None = None  # the file being written, for error messages
    made_dirs: set[str] = field(default_factory=set)
    journal: io.TextIOBase | None = None
    writer: ThreadPoolExecutor | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def fail(self, err: OSError, path: str | None = None) -> None:
        if self.error is None:
            self.error, self.error_path = err, path or getattr(err, "filename", None)
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None

    def path_of(self, rel: str) -> str:
        return os.path.join(self.root, "data", *rel.split("/"))


def _write_all(fd: int, view: memoryview) -> None:
    """Write every byte of ``view`` (os.write may write less than asked)."""
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _open(dest: Destination, rel: str) -> None:
    if dest.failed:
        return
    full = dest.current = dest.path_of(rel)
    try:
        parent = os.path.dirname(full)
        if parent not in dest.made_dirs:
            os.makedirs(parent, exist_ok=True)
            dest.made_dirs.add(parent)
        dest.fd = os.open(full, _OPEN_FLAGS, 0o644)
    except OSError as err:
        dest.fail(err, full)


def _write(dest: Destination, view: memoryview) -> None:
    if dest.failed or dest.fd is None:
        return
    try:
        _write_all(dest.fd, view)
    except OSError as err:
        dest.fail(err, dest.current)


class _Syncer:
    """fsync finished files in the background so the disk works while we keep copying."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="xiabo-sync")
        self.slots = threading.BoundedSemaphore(_MAX_PENDING_SYNC)

    def submit(self, dest: Destination, fd: int, path: str) -> None:
        self.slots.acquire()
        self.pool.submit(self._sync_close, dest, fd, path)

    def _sync_close(self, dest: Destination, fd: int, path: str) -> None:
        try:
            os.fsync(fd)
        except OSError as err:
            dest.fail(err, path)
        finally:
            try:
                os.close(fd)
            except OSError as err:  # NFS reports deferred write errors here
                dest.fail(err, path)
            self.slots.release()


def _finish(
    dest: Destination, syncer: _Syncer, src: SourceFile, size: int, mtime_ns: int,
    digests: dict[str, str],
) -> None:
    if dest.failed or dest.fd is None:
        return
    fd, dest.fd = dest.fd, None
    full = dest.path_of(src.rel)
    try:
        if os.utime in os.supports_fd:
            os.utime(fd, ns=(mtime_ns, mtime_ns))
        else:  # pragma: no cover - Windows
            os.utime(full, ns=(mtime_ns, mtime_ns))
        if dest.journal is not None:
            line = {"rel": src.rel, "size": size, "mtime_ns": mtime_ns, "digests": digests}
            dest.journal.write(json.dumps(line, ensure_ascii=False) + "\n")
            dest.journal.flush()
    except OSError as err:
        os.close(fd)
        dest.fail(err, full)
        return
    syncer.submit(dest, fd, full)


def _update(hashers: list, view: memoryview) -> None:
    for h in hashers:
        h.update(view)


def _resumable(src: SourceFile, st: os.stat_result, dests: list[Destination],
               algorithms: list[str], buf: bytearray) -> dict[str, str] | None:
    """Digests of ``src`` if every destination already holds an intact copy from a past run."""
    digests = None
    for dest in dests:
        old = dest.previous.get(src.rel)
        if not old or old.get("size") != st.st_size or old.get("mtime_ns") != st.st_mtime_ns:
            return None
        if any(a not in old.get("digests", {}) for a in algorithms):
            return None
        if digests is not None and any(old["digests"][a] != digests[a] for a in algorithms):
            return None
        digests = {a: old["digests"][a] for a in algorithms}
        try:
            found, n = hash_file(dest.path_of(src.rel), algorithms, buf)
        except OSError:
            return None
        if n != st.st_size or found != digests:
            return None
    return digests


@dataclass
class CopyResult:
    digests: dict[str, dict[str, str]] = field(default_factory=dict)  # rel -> {alg: hex}
    sizes: dict[str, int] = field(default_factory=dict)
    resumed_files: int = 0
    resumed_bytes: int = 0


def copy_files(
    files: list[SourceFile],
    dests: list[Destination],
    algorithms: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> CopyResult:
    """Copy ``files`` into every destination's ``data/``; return what was hashed.

    Raises ``SourceChanged`` / ``SourceUnreadable`` (the whole backup stops); a destination's
    own write errors are recorded on it (``dest.error``) and it is skipped from then on.
    """
    result = CopyResult()
    progress = progress or (lambda b, f: None)
    hasher = ThreadPoolExecutor(1, thread_name_prefix="xiabo-hash")
    syncer = _Syncer()
    for dest in dests:
        dest.writer = ThreadPoolExecutor(1, thread_name_prefix="xiabo-write")
    bufs = [bytearray(CHUNK) for _ in range(BUFFERS)]
    views = [memoryview(b) for b in bufs]
    pending: list[list[Future]] = [[] for _ in range(BUFFERS)]
    slot = 0
    resume_buf: bytearray | None = None
    try:
        for src in files:
            live = [d for d in dests if not d.failed]
            if not live:
                break
            try:
                fh = io.FileIO(src.src, "r")
            except OSError as err:
                raise SourceUnreadable(src.src, err) from err
            with fh:
                st0 = os.fstat(fh.fileno())
                if any(d.previous for d in live):
                    resume_buf = resume_buf or bytearray(CHUNK)
                    reused = _resumable(src, st0, live, algorithms, resume_buf)
                    if reused is not None:
                        result.digests[src.rel], result.sizes[src.rel] = reused, st0.st_size
                        result.resumed_files += 1
                        result.resumed_bytes += st0.st_size
                        progress(st0.st_size, 1)
                        continue
                if hasattr(os, "posix_fadvise"):
                    os.posix_fadvise(fh.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
                for dest in live:
                    dest.writer.submit(_open, dest, src.rel)
                hashers = new_hashers(algorithms)
                total = 0
                last_hash: Future | None = None
                while True:
                    for fut in pending[slot]:
                        fut.result()
                    try:
                        n = fh.readinto(views[slot])
                    except OSError as err:
                        raise SourceUnreadable(src.src, err) from err
                    if not n:
                        break
                    view = views[slot][:n]
                    last_hash = hasher.submit(_update, hashers, view)
                    pending[slot] = [last_hash]
                    pending[slot].extend(d.writer.submit(_write, d, view) for d in live)
                    total += n
                    progress(n, 0)
                    slot = (slot + 1) % BUFFERS
                if last_hash is not None:
                    last_hash.result()
                st1 = os.fstat(fh.fileno())
            try:
                st2 = os.stat(src.src)
            except OSError:
                raise SourceChanged(src.src) from None
            if not (total == st0.st_size == st1.st_size == st2.st_size
                    and st0.st_mtime_ns == st1.st_mtime_ns == st2.st_mtime_ns):
                raise SourceChanged(src.src)
            digests = {a: h.hexdigest() for a, h in zip(algorithms, hashers)}
            result.digests[src.rel], result.sizes[src.rel] = digests, total
            for dest in live:
                dest.writer.submit(_finish, dest, syncer, src, total, st0.st_mtime_ns, digests)
            progress(0, 1)
    finally:
        hasher.shutdown(wait=True)
        for dest in dests:
            dest.writer.shutdown(wait=True)
            dest.writer = None
            if dest.fd is not None:  # stopped mid-file
                try:
                    os.close(dest.fd)
                except OSError:
                    pass
                dest.fd = None
        syncer.pool.shutdown(wait=True)
    return result
