"""Check a BagIt bag (0.97 or 1.0): fast (file list + Payload-Oxum) or full (every checksum).

Every problem is collected, never just the first: the user learns at once which files are
missing, which are extra and which changed. Files are hashed on several threads in parallel.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UserError
from .bag import content_id
from .hashing import CHUNK, SUPPORTED, hash_file
from .tagfiles import manifest_algorithm, parse_manifest, parse_tags

__all__ = ["Problem", "VerifyResult", "verify_bag"]


@dataclass(frozen=True)
class Problem:
    """kind: missing | extra | changed | oxum | manifest | tagfile | unreadable | tag_empty |
    tag_unlisted."""

    kind: str
    path: str
    detail: str = ""


@dataclass
class VerifyResult:
    path: str
    mode: str  # "fast" | "full"
    version: str = ""
    algorithms: list[str] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    content_id: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    def of_kind(self, kind: str) -> list[Problem]:
        return [p for p in self.problems if p.kind == kind]

    def as_dict(self) -> dict:
        return {
            "path": self.path, "mode": self.mode, "ok": self.ok, "version": self.version,
            "algorithms": self.algorithms, "files": self.files, "bytes": self.bytes,
            "content_id": self.content_id, "info": self.info,
            "problems": [{"kind": p.kind, "path": p.path, "detail": p.detail}
                         for p in self.problems],
        }


def _read_text(path: Path, encoding: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    return raw.decode(encoding, errors="replace")


def _version(text: str) -> tuple[int, int] | None:
    try:
        major, minor = text.strip().split(".", 1)
        return int(major), int(minor)
    except ValueError:
        return None


def _walk_payload(root: Path) -> dict[str, int]:
    """``data/...`` path -> size for every file under ``data/``."""
    out: dict[str, int] = {}
    data = root / "data"
    for dirpath, _dirs, files in os.walk(data):  # never follow links out of the bag
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        for name in files:
            full = os.path.join(dirpath, name)
            try:
                out[f"{rel_dir}/{name}"] = os.stat(full).st_size
            except OSError:
                out[f"{rel_dir}/{name}"] = -1
    return out


def _check_tag_coverage(root: Path, tag_manifests: dict[str, dict[str, str]], add) -> None:
    """A tag manifest that lists nothing protects nothing: an empty one, or one that leaves out
    bagit.txt, bag-info.txt or a payload manifest, is a problem (an attacker could have emptied
    it to hide a changed manifest)."""
    def is_required(name: str) -> bool:
        kind = manifest_algorithm(name)  # (is_tag, alg): payload manifests must be covered
        return name in ("bagit.txt", "bag-info.txt", "fetch.txt") or (kind is not None and not kind[0])

    required = [n for n in sorted(os.listdir(root)) if is_required(n) and (root / n).is_file()]
    for alg, entries in sorted(tag_manifests.items()):
        name = f"tagmanifest-{alg}.txt"
        if not entries:
            add(Problem("tag_empty", name))
            continue
        for tag in required:
            if tag not in entries:
                add(Problem("tag_unlisted", tag, name))


def verify_bag(
    path: str | os.PathLike,
    fast: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Verify the bag at ``path``. Raises ``UserError`` only if ``path`` is not a bag at all."""
    root = Path(path)
    result = VerifyResult(str(root), "fast" if fast else "full")
    if not root.is_dir():
        raise UserError("backup.errors.bag_missing", {"path": str(path)}, file=str(path),
                        fix_key="backup.fixes.bag_missing")
    if not (root / "bagit.txt").is_file():
        raise UserError("backup.errors.not_a_bag", {"path": str(path)}, file=str(path),
                        fix_key="backup.fixes.not_a_bag")
    add = result.problems.append

    # bagit.txt: version and the encoding of every other tag file
    declared, bad = parse_tags(_read_text(root / "bagit.txt", "utf-8-sig"))
    decl = dict(declared)
    version = _version(decl.get("BagIt-Version", ""))
    encoding = decl.get("Tag-File-Character-Encoding", "")
    if version is None or bad:
        add(Problem("tagfile", "bagit.txt", "BagIt-Version"))
        version = version or (1, 0)
    result.version = f"{version[0]}.{version[1]}"
    try:
        enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
        "".encode(enc)
    except (LookupError, TypeError):
        add(Problem("tagfile", "bagit.txt", f"Tag-File-Character-Encoding: {encoding}"))
        enc = "utf-8-sig"

    if (root / "bag-info.txt").is_file():
        tags, bad = parse_tags(_read_text(root / "bag-info.txt", enc))
        result.info = {k: v for k, v in reversed(tags)}  # first occurrence wins
        for no, line in bad:
            add(Problem("tagfile", "bag-info.txt", f"{no}: {line}"))

    payload_manifests: dict[str, dict[str, str]] = {}
    tag_manifests: dict[str, dict[str, str]] = {}
    for entry in sorted(os.listdir(root)):
        kind = manifest_algorithm(entry)
        if kind is None or not (root / entry).is_file():
            continue
        is_tag, alg = kind
        if alg not in SUPPORTED:
            continue  # RFC 8493: a verifier may skip algorithms it does not know
        parsed = parse_manifest(_read_text(root / entry, enc), version)
        for no, what, text in parsed.errors:
            add(Problem("manifest", entry, f"{no}: {what}: {text}"))
        entries = parsed.entries
        if not is_tag:
            for p in [p for p in entries if not p.startswith("data/")]:
                add(Problem("manifest", entry, f"not under data/: {p}"))
                del entries[p]
        (tag_manifests if is_tag else payload_manifests)[alg] = entries
    _check_tag_coverage(root, tag_manifests, add)
    result.algorithms = sorted(payload_manifests)
    if not payload_manifests:
        add(Problem("manifest", "manifest-*.txt", "no payload manifest"))
    if not (root / "data").is_dir():
        add(Problem("missing", "data/"))

    # completeness: the file list against every manifest (Unicode NFC/NFD tolerant)
    actual = _walk_payload(root)
    nfc = {unicodedata.normalize("NFC", p): p for p in actual}

    def locate(listed: str) -> str | None:
        if listed in actual:
            return listed
        found = nfc.get(unicodedata.normalize("NFC", listed))
        if found is None and version < (1, 0) and "%25" in listed:  # a 1.0-style 0.97 writer
            return locate(listed.replace("%25", "%"))
        return found

    listed_all: dict[str, dict[str, str]] = {}  # actual path -> {alg: expected}
    missing: set[str] = set()
    for alg, entries in payload_manifests.items():
        for listed, digest in entries.items():
            where = locate(listed)
            if where is None:
                missing.add(listed)
            else:
                listed_all.setdefault(where, {})[alg] = digest
    for p in sorted(missing):
        add(Problem("missing", p))
    for p in sorted(actual):
        if p not in listed_all:
            add(Problem("extra", p))
        elif len(listed_all[p]) < len(payload_manifests):
            absent = sorted(set(payload_manifests) - set(listed_all[p]))
            add(Problem("extra", p, "not in manifest-" + ",".join(absent)))
    unreadable = [p for p, size in actual.items() if size < 0]
    for p in sorted(unreadable):
        add(Problem("unreadable", p))
    result.files = len(actual)
    result.bytes = sum(s for s in actual.values() if s > 0)

    oxum = result.info.get("Payload-Oxum")
    if oxum is not None:
        want_bytes, _, want_files = oxum.partition(".")
        if not (want_bytes.isdigit() and want_files.isdigit()):
            add(Problem("oxum", "bag-info.txt", f"Payload-Oxum: {oxum}"))
        elif (int(want_bytes), int(want_files)) != (result.bytes, result.files):
            add(Problem("oxum", "bag-info.txt",
                        f"{want_bytes}.{want_files} != {result.bytes}.{result.files}"))
    if payload_manifests:
        result.content_id = content_id(
            {a: {p[5:]: d for p, d in e.items()} for a, e in payload_manifests.items()})
    if fast:
        result.problems.sort(key=lambda p: (p.kind, p.path))
        return result

    # full: every checksum, payload and tag files
    jobs = [(p, algs) for p, algs in listed_all.items() if actual.get(p, -1) >= 0]
    for alg, entries in tag_manifests.items():
        for listed, digest in entries.items():
            if listed.startswith("tagmanifest-"):
                continue
            if not (root / listed).is_file():
                add(Problem("missing", listed, f"tagmanifest-{alg}.txt"))
            else:
                jobs.append((listed, {alg: digest}))
    jobs.sort(key=lambda j: -actual.get(j[0], 0))  # biggest first keeps the threads busy
    if on_start is not None:
        on_start(sum(max(actual.get(p, 0), 0) for p, _ in jobs), len(jobs))
    local = threading.local()

    def check(job: tuple[str, dict[str, str]]) -> list[Problem]:
        rel, expected = job
        buf = getattr(local, "buf", None)
        if buf is None:
            buf = local.buf = bytearray(CHUNK)
        try:
            got, _n = hash_file(root / rel, list(expected), buf,
                                on_bytes=(lambda n: progress(n, 0)) if progress else None)
        except OSError as err:
            return [Problem("unreadable", rel, err.strerror or str(err))]
        finally:
            if progress:
                progress(0, 1)
        bad = [f"{alg} {expected[alg]} != {got[alg]}" for alg in expected
               if got[alg] != expected[alg].lower()]
        return [Problem("changed", rel, "; ".join(bad))] if bad else []

    workers = workers or min(8, max(2, os.cpu_count() or 2))
    with ThreadPoolExecutor(workers, thread_name_prefix="xiabo-verify") as pool:
        for problems in pool.map(check, jobs):
            result.problems.extend(problems)
    result.problems.sort(key=lambda p: (p.kind, p.path))
    return result
