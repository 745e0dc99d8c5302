"""Signed checkpoints of the log: ``checkpoints/000001.note`` … in C2SP signed-note form.

A checkpoint is the log's signed promise about its whole history up to a size. Every later
checkpoint must be consistent with every earlier one (checked with consistency proofs), so a
log that was rewritten after a checkpoint was shown to anyone is caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import merkle, note
from .keys import load_signer
from .log import EvidenceLog, LogError, write_atomic

__all__ = [
    "StoredCheckpoint",
    "ensure_checkpoint",
    "latest",
    "load_checkpoints",
    "write_checkpoint",
]


@dataclass(frozen=True)
class StoredCheckpoint:
    seq: int
    path: Path
    data: bytes
    checkpoint: note.Checkpoint


def _read(log: EvidenceLog, path: Path) -> StoredCheckpoint:
    """Read and verify one checkpoint file (raises NoteError)."""
    data = path.read_bytes()
    body = note.open_note(data, log.config()["key_name"], log.public_key())
    return StoredCheckpoint(int(path.stem), path, data, note.parse_checkpoint(body))


def load_checkpoints(log: EvidenceLog) -> list[StoredCheckpoint]:
    """All checkpoints, verified; raises LogError naming the first bad file."""
    found = []
    for path in log.checkpoint_files():
        try:
            found.append(_read(log, path))
        except note.NoteError as err:
            raise LogError("err.checkpoint_bad", file=str(path), reason=err.reason) from None
    return found


def latest(log: EvidenceLog) -> StoredCheckpoint | None:
    files = log.checkpoint_files()
    if not files:
        return None
    try:
        return _read(log, files[-1])
    except note.NoteError as err:
        raise LogError("err.checkpoint_bad", file=str(files[-1]), reason=err.reason) from None


def write_checkpoint(log: EvidenceLog) -> tuple[StoredCheckpoint, bool]:
    """Sign the current head; returns (checkpoint, created). Same size as last: no new file."""
    signer = load_signer(log)
    with log.locked():
        head = log.recover()
        last = latest(log)
        if last is not None and last.checkpoint.size == head.size:
            return last, False
        if last is not None and last.checkpoint.size > head.size:
            raise LogError("err.checkpoint_ahead", size=last.checkpoint.size, have=head.size)
        config = log.config()
        with log.tree() as tree:
            root = tree.root(head.size)
            if root != head.root:
                raise LogError("err.root_mismatch")
            if last is not None:  # never sign a history that contradicts an earlier signature
                old = last.checkpoint
                proof = tree.consistency(old.size, head.size)
                if not merkle.verify_consistency(old.size, head.size, old.root, root, proof):
                    raise LogError("err.history_rewritten", file=str(last.path))
        body = note.checkpoint_body(config["origin"], head.size, root)
        signed = note.sign_note(body, config["key_name"], signer).encode("utf-8")
        seq = (last.seq if last else 0) + 1
        log.checkpoints_dir.mkdir(exist_ok=True)
        path = log.checkpoints_dir / f"{seq:06d}.note"
        write_atomic(path, signed)
        return StoredCheckpoint(seq, path, signed, note.parse_checkpoint(body)), True


def ensure_checkpoint(
    log: EvidenceLog, min_size: int | None = None
) -> tuple[StoredCheckpoint, bool]:
    """The latest checkpoint if it covers ``min_size`` (default: the whole log), else a new one."""
    want = log.head().size if min_size is None else min_size
    last = latest(log)
    if last is not None and last.checkpoint.size >= want:
        return last, False
    return write_checkpoint(log)
