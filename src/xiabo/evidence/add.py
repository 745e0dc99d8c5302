"""Adding evidence: copy files into the store, then log one entry per file as one batch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import entry as entry_mod
from .log import EvidenceLog, LogError

__all__ = ["Added", "add_evidence"]


@dataclass(frozen=True)
class Added:
    index: int
    leaf_hash: str
    file: str | None
    sha256: str | None
    size: int | None


def add_evidence(
    log: EvidenceLog,
    files: list[Path],
    *,
    note: str | None = None,
    kind: str | None = None,
    task: str | None = None,
    time: str,
) -> list[Added]:
    """Log ``files`` (or, with no files, the text ``note``) as one durable batch."""
    if kind is not None and kind not in entry_mod.KINDS:
        raise LogError("err.kind_bad", kind=kind, kinds=", ".join(entry_mod.KINDS))
    if not files and not (note and note.strip()):
        raise LogError("err.nothing_to_add")
    for path in files:
        if not path.is_file():
            raise LogError("err.file_missing", file=str(path))
    specs = []
    for path in files:  # the slow part, outside the lock
        try:
            specs.append(log.store_file(path))
        except OSError as err:
            raise LogError(
                "err.file_unreadable", file=str(path), reason=err.strerror or ""
            ) from None
    if specs:
        payloads = [
            entry_mod.file_entry(time, kind or "other", note, task, s.name, s.size, s.sha256)
            for s in specs
        ]
    else:
        payloads = [entry_mod.note_entry(time, kind or "note", note or "", task)]
    added = log.append(payloads)
    out = []
    for (index, h), i in zip(added, range(len(added))):
        spec = specs[i] if specs else None
        out.append(
            Added(
                index,
                h.hex(),
                spec.name if spec else None,
                spec.sha256 if spec else None,
                spec.size if spec else None,
            )
        )
    return out
