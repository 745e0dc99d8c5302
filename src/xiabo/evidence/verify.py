"""Check a whole log folder and say exactly what is wrong and where.

Recomputes every leaf hash from entries.log, the whole tree (compared with the stored level
files and head.json), every stored file's SHA-256, every checkpoint's signature, consistency
proofs between checkpoints, and every timestamp token. A flipped byte in any of these files
shows up as a :class:`Problem` naming the file, the entry and the byte offset where known.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from . import entry as entry_mod
from . import merkle, note
from .log import MAGIC, REC, EvidenceLog, Head, LogError
from .tree import TreeFiles, level_name

__all__ = ["Problem", "Report", "verify_log"]


@dataclass
class Problem:
    """One finding: ``key`` names a message under ``evidence.problem``; params say where."""

    key: str
    params: dict = field(default_factory=dict)


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    size: int = 0
    files: int = 0
    checkpoints: int = 0
    timestamps: int = 0
    root: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def bad(self, key: str, **params) -> None:
        self.problems.append(Problem(key, params))

    def note(self, key: str, **params) -> None:
        self.notices.append(Problem(key, params))


def _rel(log: EvidenceLog, path: Path) -> str:
    try:
        return str(path.relative_to(log.folder))
    except ValueError:
        return str(path)


def _check_config(log: EvidenceLog, genesis, rep: Report) -> dict | None:
    """The log's identity, taken from entry 0 (covered by the tree); config.json must agree."""
    trusted = None
    if (
        isinstance(genesis, dict)
        and genesis.get("kind") == entry_mod.GENESIS
        and genesis.get("format") == entry_mod.FORMAT
        and isinstance(genesis.get("origin"), str)
        and isinstance(genesis.get("public_key"), str)
        and note.valid_name(genesis["origin"])
    ):
        trusted = {
            "format": entry_mod.FORMAT,
            "origin": genesis["origin"],
            "key_name": genesis["origin"],
            "public_key": genesis["public_key"],
        }
    else:
        rep.bad("genesis_bad", file="entries.log", index=0)
    try:
        raw = log.config_path.read_bytes()
    except OSError:
        raw = b""
    if trusted is not None:
        if raw != entry_mod.canonical(trusted):
            rep.bad("config_bad", file="config.json")
        return trusted
    try:  # entry 0 is damaged: fall back on config.json alone
        cfg = json.loads(raw)
    except ValueError:
        cfg = None
    if (
        not isinstance(cfg, dict)
        or entry_mod.canonical(cfg) != raw
        or cfg.get("format") != entry_mod.FORMAT
        or not all(isinstance(cfg.get(k), str) for k in ("origin", "key_name", "public_key"))
        or not note.valid_name(cfg["origin"])
    ):
        rep.bad("config_bad", file="config.json")
        return None
    return cfg


def _scan_entries(log: EvidenceLog, head: Head | None, rep: Report):
    """Leaf hashes and file references from entries.log (continues past damaged records)."""
    try:
        data = log.entries_path.read_bytes()
    except OSError:
        rep.bad("entries_missing", file="entries.log")
        return [], [], None, []
    end = len(data)
    if head is not None:
        if end < head.bytes:
            rep.bad("entries_short", file="entries.log", have=end, want=head.bytes)
        elif end > head.bytes:
            rep.note("torn_tail", file="entries.log", count=end - head.bytes)
            end = head.bytes
    if not data.startswith(MAGIC):
        rep.bad("entries_magic", file="entries.log")
        return [], [], None, []
    hashes: list[bytes] = []
    refs: list[tuple[int, str, int, str, str]] = []
    genesis = None
    offsets: list[int] = []
    pos, unpack, crc32 = len(MAGIC), REC.unpack_from, zlib.crc32
    append = hashes.append
    while pos < end:
        index = len(hashes)
        if pos + 8 > end:
            rep.bad("record_torn", file="entries.log", index=index, offset=pos)
            break
        length, crc = unpack(data, pos)
        stop = pos + 8 + length
        if stop > end:
            rep.bad("record_torn", file="entries.log", index=index, offset=pos)
            break
        payload = data[pos + 8 : stop]
        offsets.append(pos)
        if crc32(payload, crc32(data[pos : pos + 4])) != crc:
            rep.bad("record_crc", file="entries.log", index=index, offset=pos)
        append(sha256(b"\x00" + payload).digest())
        if index == 0 or b'"sha256":null' not in payload:
            try:
                obj = json.loads(payload)
                if index == 0:
                    genesis = obj
                elif obj.get("sha256") is not None:
                    refs.append(
                        (
                            index,
                            str(obj["sha256"]),
                            int(obj["size"]),
                            str(obj["file"]),
                            str(obj.get("kind")),
                        )
                    )
            except (ValueError, TypeError, KeyError, AttributeError):
                rep.bad("entry_json", file="entries.log", index=index, offset=pos)
        pos = stop
    return hashes, refs, genesis, offsets


def _compare_index(log: EvidenceLog, offsets: list[int], rep: Report) -> None:
    want = struct.pack(f">{len(offsets)}Q", *offsets)
    try:
        have = log.index_path.read_bytes()[: len(want)]
    except FileNotFoundError:
        have = b""
    if have == want:
        return
    if len(have) < len(want):
        rep.bad("index_short", file="index.bin", have=len(have) // 8, want=len(offsets))
        return
    for i in range(len(offsets)):
        if have[i * 8 : i * 8 + 8] != want[i * 8 : i * 8 + 8]:
            rep.bad("index_node", file="index.bin", index=i, offset=i * 8)
            return


def _compare_levels(log: EvidenceLog, levels: list[list[bytes]], rep: Report) -> None:
    tree = TreeFiles(log.tree_dir)
    for level, hashes in enumerate(levels):
        want = b"".join(hashes)
        have = tree.read_level(level)[: len(want)]
        if have == want:
            continue
        name = f"tree/{level_name(level)}"
        if len(have) < len(want):
            rep.bad("tree_short", file=name, level=level, have=len(have) // 32, want=len(hashes))
            continue
        for i, h in enumerate(hashes):
            if have[i * 32 : i * 32 + 32] != h:
                rep.bad("tree_node", file=name, level=level, node=i, offset=i * 32)
                break


def _check_files(log: EvidenceLog, refs, rep: Report, hasher: Callable | None = None) -> None:
    seen: dict[str, tuple[bool, int, str]] = {}
    for index, digest, size, name, _ in refs:
        path = log.object_path(digest)
        rel = _rel(log, path)
        if digest not in seen:
            if not path.is_file():
                seen[digest] = (False, 0, "")
            else:
                h, n = hashlib.sha256(), 0
                with path.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        h.update(chunk)
                        n += len(chunk)
                seen[digest] = (True, n, h.hexdigest())
        exists, n, actual = seen[digest]
        if not exists:
            rep.bad("file_missing", file=rel, index=index, name=name)
        elif actual != digest or n != size:
            rep.bad("file_changed", file=rel, index=index, name=name, want=digest, have=actual)
    rep.files = len(seen)


def _check_checkpoints(log, cfg, levels, size, rep: Report, full: bool):
    get = merkle.levels_getter(levels) if levels else None
    try:
        pub = base64.b64decode(cfg["public_key"], validate=True)
    except (ValueError, KeyError):
        rep.bad("config_bad", file="config.json")
        return []
    good = []
    files = log.checkpoint_files()
    rep.checkpoints = len(files)
    for expect, path in enumerate(files, start=1):
        rel = _rel(log, path)
        if int(path.stem) != expect:
            rep.bad("checkpoint_gap", file=rel, missing=f"{expect:06d}.note")
        try:
            body = note.open_note(path.read_bytes(), cfg["key_name"], pub)
            cp = note.parse_checkpoint(body)
        except note.NoteError as err:
            rep.bad(
                "checkpoint_signature" if err.reason == "note_signature" else "checkpoint_bad",
                file=rel,
                reason=err.reason,
            )
            continue
        if cp.origin != cfg["origin"]:
            rep.bad("checkpoint_origin", file=rel, origin=cp.origin)
            continue
        if cp.size > size:
            rep.bad("checkpoint_beyond", file=rel, size=cp.size, have=size)
            continue
        actual = merkle.root_from_getter(get, cp.size) if get else merkle.EMPTY_ROOT
        if actual != cp.root:
            rep.bad("checkpoint_root", file=rel, size=cp.size)
        good.append((path, cp))
    pairs = []
    for i in range(1, len(good)):
        if good[i][1].size < good[i - 1][1].size:
            rep.bad(
                "checkpoint_shrunk",
                file=_rel(log, good[i][0]),
                size=good[i][1].size,
                before=good[i - 1][1].size,
            )
        if full:
            pairs.extend((j, i) for j in range(i))
        else:
            pairs.append((i - 1, i))
            if i != len(good) - 1:
                pairs.append((i - 1, len(good) - 1))
    for a, b in sorted(set(pairs)):
        (pa, ca), (pb, cb) = good[a], good[b]
        if ca.size > cb.size:
            continue
        proof = merkle.consistency_path(get, ca.size, cb.size) if get else []
        if not merkle.verify_consistency(ca.size, cb.size, ca.root, cb.root, proof):
            rep.bad(
                "checkpoint_inconsistent",
                file=_rel(log, pb),
                earlier=_rel(log, pa),
                old=ca.size,
                new=cb.size,
            )
    return good


def _check_timestamps(log: EvidenceLog, refs, rep: Report) -> None:
    from . import tsp
    from .stamps import stored_tokens

    tokens = stored_tokens(log)
    rep.timestamps = len(tokens)
    logged = {(r[3], r[1]) for r in refs if r[4] == entry_mod.TIMESTAMP}
    for seq, path in tokens:
        rel = _rel(log, path)
        if (path.name, hashlib.sha256(path.read_bytes()).hexdigest()) not in logged:
            names = {name for name, _ in logged}
            rep.bad("timestamp_changed" if path.name in names else "timestamp_unlogged", file=rel)
        cp_path = log.checkpoints_dir / f"{seq:06d}.note"
        if not cp_path.exists():
            rep.bad("timestamp_orphan", file=rel, checkpoint=cp_path.name)
            continue
        try:
            info = tsp.verify_response(path.read_bytes(), cp_path.read_bytes())
        except tsp.TimestampError as err:
            rep.bad("timestamp_bad", file=rel, reason=err.reason)
            continue
        rep.note(
            "timestamp_ok",
            file=rel,
            checkpoint=cp_path.name,
            time=info.gen_time.isoformat(),
            tsa=info.tsa or "-",
        )


def _check_keys(log: EvidenceLog, cfg: dict, rep: Report) -> None:
    from .keys import key_matches

    try:
        text = log.public_key_path.read_text(encoding="utf-8")
        name, pub = note.parse_vkey(text)
        if (
            name != cfg["key_name"]
            or base64.b64encode(pub).decode() != cfg["public_key"]
            or text != note.vkey(name, pub) + "\n"
        ):
            rep.bad("public_key_mismatch", file="public.key")
    except (OSError, UnicodeDecodeError, note.NoteError):
        rep.bad("public_key_mismatch", file="public.key")
    try:
        if key_matches(log) is False:
            rep.bad("private_key_mismatch", file="private.key")
    except LogError:
        rep.bad("config_bad", file="config.json")


def _check_full(log, levels, good, size, refs, rep: Report) -> None:
    """Every entry's inclusion proof from the stored tree files, and unreferenced objects."""
    if good and size:
        last = max(good, key=lambda g: g[1].size)[1]
        with TreeFiles(log.tree_dir) as tree:
            for index in range(last.size):
                try:
                    proof = tree.inclusion(index, last.size)
                except LookupError:
                    rep.bad("tree_short", file="tree", level=-1, have=0, want=last.size)
                    break
                if not merkle.verify_inclusion_hash(
                    levels[0][index], index, last.size, proof, last.root
                ):
                    rep.bad("inclusion_failed", index=index, size=last.size)
    used = {ref[1] for ref in refs}
    if log.objects.exists():
        for sub in sorted(log.objects.iterdir()):
            if sub.name == "tmp" or not sub.is_dir():
                continue
            for path in sorted(sub.iterdir()):
                if sub.name + path.name not in used:
                    rep.note("orphan_object", file=_rel(log, path))


def verify_log(folder: Path, full: bool = False) -> Report:
    """Check everything in the log folder; never raises for damage, reports it."""
    rep = Report()
    log = EvidenceLog(folder)
    if not log.head_path.exists() and not log.entries_path.exists():
        raise LogError("err.no_log", dir=str(folder))
    head = None
    try:
        head = log.head()
    except LogError:
        rep.bad("head_bad", file="head.json")
    hashes, refs, genesis, offsets = _scan_entries(log, head, rep)
    _compare_index(log, offsets, rep)
    cfg = _check_config(log, genesis, rep)
    size = len(hashes)
    rep.size = size
    if (
        head is not None
        and head.size != size
        and not any(
            p.key in ("record_torn", "entries_short", "entries_magic") for p in rep.problems
        )
    ):
        rep.bad("head_size", file="head.json", size=head.size, have=size)
    levels = merkle.build_levels(hashes) if hashes else []
    root = (
        merkle.root_from_getter(merkle.levels_getter(levels), size) if hashes else merkle.EMPTY_ROOT
    )
    rep.root = root.hex()
    if head is not None and head.size == size and head.root != root:
        rep.bad("head_root", file="head.json")
    _compare_levels(log, levels, rep)
    _check_files(log, refs, rep)
    good = []
    if cfg is not None:
        good = _check_checkpoints(log, cfg, levels, size, rep, full)
        _check_keys(log, cfg, rep)
    _check_timestamps(log, refs, rep)
    if full:
        _check_full(log, levels, good, size, refs, rep)
    return rep
