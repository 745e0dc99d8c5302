"""An evidence bundle: one zip a court or lawyer can check without xiabo.

Holds the originals, the exact entry bytes, inclusion proofs against the final checkpoint,
all checkpoints up to it with consistency proofs between them, timestamp tokens, the public
key, SHA256SUMS, a bilingual README and a standalone verifier script. Never the private key:
files are added from an explicit list, and the key file is never on it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from . import merkle, note
from .checkpoint import ensure_checkpoint, load_checkpoints
from .log import EvidenceLog, LogError
from .stamps import stored_tokens

__all__ = ["VERIFIER_NAME", "BundleResult", "make_bundle"]

VERIFIER_NAME = "verify_bundle.py"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_UNSAFE = set('\\/:*?"<>|')


@dataclass(frozen=True)
class BundleResult:
    path: Path
    entries: int
    files: int
    checkpoint: str
    tree_size: int
    created_checkpoint: bool


def _safe_name(name: str) -> str:
    cleaned = "".join("_" if (c in _UNSAFE or ord(c) < 32) else c for c in name).strip(". ")
    return cleaned or "file"


def _pem(public_key: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(public_key).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


class _Writer:
    """Zip writer that also records SHA-256 of everything it adds."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.sums: list[tuple[str, str]] = []

    def add_bytes(self, name: str, data: bytes, summed: bool = True) -> None:
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, data)
        if summed:
            self.sums.append((hashlib.sha256(data).hexdigest(), name))

    def add_file(self, name: str, source: Path) -> str:
        info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
        info.compress_type = zipfile.ZIP_STORED  # recordings and photos are compressed already
        info.external_attr = 0o644 << 16
        digest = hashlib.sha256()
        with source.open("rb") as src, self.zip.open(info, "w", force_zip64=True) as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
        self.sums.append((digest.hexdigest(), name))
        return digest.hexdigest()

    def close(self) -> None:
        self.zip.close()


def make_bundle(
    log: EvidenceLog,
    out: Path,
    readme: Callable[[dict], str],
    start: int | None = None,
    stop: int | None = None,
    sign: bool = True,
) -> BundleResult:
    """Write the bundle for entries ``start..stop`` (inclusive; default all) to ``out``.

    ``readme(params)`` returns the README text (the caller owns the wording). ``sign=False``
    (a web download, a GET): never write a checkpoint; entries not yet sealed by one are
    refused (``err.unsealed``) instead of being signed behind the reader's back.
    """
    head = log.head()
    last_index = head.size - 1
    start = 1 if start is None else start
    stop = last_index if stop is None else stop
    if last_index < 1:
        raise LogError("err.empty_log")
    if not (0 <= start <= stop <= last_index):
        raise LogError("err.range_bad", start=start, stop=stop, last=last_index)
    if not sign:
        from .checkpoint import latest

        last = latest(log)
        sealed = last.checkpoint.size if last is not None else 0
        if sealed < stop + 1:
            raise LogError("err.unsealed", n=stop + 1 - max(sealed, 1))
    final, created = ensure_checkpoint(log, min_size=stop + 1)
    size = final.checkpoint.size
    cps = [c for c in load_checkpoints(log) if c.seq <= final.seq]
    config = log.config()
    wanted = sorted({0, *range(start, stop + 1)})
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        writer = _Writer(tmp)
    except OSError as err:
        raise LogError("err.out_unwritable", file=str(out), reason=err.strerror or "") from None
    manifest_entries, n_files = [], 0
    try:
        with log.tree() as tree:
            for index, payload in log.entries():
                if index > stop:
                    break
                if index not in wanted:
                    continue
                tag = f"{index:08d}"
                leaf = f"leaves/{tag}.json"
                writer.add_bytes(leaf, payload)
                proof = {
                    "index": index,
                    "tree_size": size,
                    "leaf_hash": merkle.leaf_hash(payload).hex(),
                    "path": [h.hex() for h in tree.inclusion(index, size)],
                }
                writer.add_bytes(f"proofs/{tag}.json", json.dumps(proof, indent=1).encode())
                obj = json.loads(payload)
                item = {"index": index, "leaf": leaf, "proof": f"proofs/{tag}.json", "file": None}
                if obj.get("sha256"):
                    fname = f"files/{tag}/{_safe_name(str(obj.get('file') or 'file'))}"
                    source = log.object_path(obj["sha256"])
                    if not source.is_file():
                        raise LogError("err.object_missing", index=index, file=str(source))
                    if writer.add_file(fname, source) != obj["sha256"]:
                        raise LogError("err.object_changed", index=index, file=str(source))
                    item["file"] = fname
                    n_files += 1
                manifest_entries.append(item)
            consistency = []
            for a, b in pairwise(cps):
                name = f"consistency/{a.seq:06d}-{b.seq:06d}.json"
                path = tree.consistency(a.checkpoint.size, b.checkpoint.size)
                body = {
                    "old_size": a.checkpoint.size,
                    "new_size": b.checkpoint.size,
                    "path": [h.hex() for h in path],
                }
                writer.add_bytes(name, json.dumps(body, indent=1).encode())
                consistency.append(
                    {
                        "old": f"checkpoints/{a.path.name}",
                        "new": f"checkpoints/{b.path.name}",
                        "proof": name,
                    }
                )
        for cp in cps:
            writer.add_bytes(f"checkpoints/{cp.path.name}", cp.data)
        stamps = []
        for seq, path in stored_tokens(log):
            if seq <= final.seq:
                writer.add_bytes(f"timestamps/{path.name}", path.read_bytes())
                stamps.append(
                    {
                        "token": f"timestamps/{path.name}",
                        "checkpoint": f"checkpoints/{seq:06d}.note",
                    }
                )
        pub = log.public_key()
        writer.add_bytes("public_key.txt", (note.vkey(config["key_name"], pub) + "\n").encode())
        writer.add_bytes("public_key.pem", _pem(pub))
        manifest = {
            "format": "xiabo.evidence.bundle/1",
            "origin": config["origin"],
            "checkpoint": f"checkpoints/{final.path.name}",
            "tree_size": size,
            "root": final.checkpoint.root.hex(),
            "range": [start, stop],
            "checkpoints": [f"checkpoints/{c.path.name}" for c in cps],
            "consistency": consistency,
            "timestamps": stamps,
            "entries": manifest_entries,
        }
        writer.add_bytes(
            "manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        )
        verifier = Path(__file__).with_name("bundle_verifier.py").read_bytes()
        writer.add_bytes(VERIFIER_NAME, verifier)
        params = {
            "origin": config["origin"],
            "size": size,
            "checkpoint": final.path.name,
            "count": len(manifest_entries),
            "start": start,
            "stop": stop,
            "root": final.checkpoint.root.hex(),
            "key": note.vkey(config["key_name"], pub),
            "timestamps": len(stamps),
        }
        writer.add_bytes("README.txt", readme(params).encode("utf-8"), summed=False)
        sums = "".join(f"{d}  {n}\n" for d, n in writer.sums)
        writer.add_bytes("SHA256SUMS", sums.encode("utf-8"), summed=False)
        writer.close()
        tmp.replace(out)
    except BaseException:
        writer.close()
        tmp.unlink(missing_ok=True)
        raise
    return BundleResult(out, len(manifest_entries), n_files, final.path.name, size, created)
