"""Stored timestamp tokens: ``timestamps/<checkpoint seq>-<n>.tsr`` (DER TimeStampResp).

The token covers SHA-256 of the checkpoint file's exact bytes, so ``openssl ts -verify -data
checkpoints/000003.note -in timestamps/000003-1.tsr -CAfile tsa.pem`` checks it too.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from . import entry, tsp
from .checkpoint import StoredCheckpoint, ensure_checkpoint
from .log import EvidenceLog, LogError, write_atomic

__all__ = ["stored_tokens", "timestamp_latest", "token_path_pattern"]

token_path_pattern = re.compile(r"^(\d{6})-(\d+)\.tsr$")


def stored_tokens(log: EvidenceLog) -> list[tuple[int, Path]]:
    """(checkpoint seq, path) of every stored token, in order."""
    if not log.timestamps_dir.exists():
        return []
    found = []
    for path in log.timestamps_dir.iterdir():
        m = token_path_pattern.match(path.name)
        if m:
            found.append((int(m.group(1)), int(m.group(2)), path))
    return [(seq, path) for seq, _, path in sorted(found)]


def timestamp_latest(
    log: EvidenceLog, url: str, timeout: float = 30.0
) -> tuple[StoredCheckpoint, bool, Path, tsp.TokenInfo]:
    """Checkpoint the log if it grew, then timestamp that checkpoint at ``url``."""
    cp, created = ensure_checkpoint(log)
    try:
        der, info = tsp.request_timestamp(url, cp.data, timeout=timeout)
    except tsp.TimestampError as err:
        raise LogError(f"err.{err.reason}", url=url, detail=err.detail) from None
    log.timestamps_dir.mkdir(exist_ok=True)
    note_text = f"RFC 3161: {cp.path.name} @ {info.gen_time.isoformat()} ({info.tsa or url})"
    with log.locked():
        head = log.recover()
        n = 1 + sum(1 for seq, _ in stored_tokens(log) if seq == cp.seq)
        path = log.timestamps_dir / f"{cp.seq:06d}-{n}.tsr"
        spec = log.store_bytes(der, path.name)
        # Log the token first (so the next checkpoint covers its every byte), then place the
        # copy for openssl: a crash in between leaves a logged token, never an unlogged file.
        stamp = entry.format_time(datetime.now(UTC))
        payload = entry.file_entry(
            stamp, entry.TIMESTAMP, note_text, None, spec.name, spec.size, spec.sha256
        )
        log.append_locked(head, [payload])
        write_atomic(path, der)
    return cp, created, path, info
