"""Creating a log and handling its Ed25519 signing key.

The private key is written once, with mode 0600, and only ever read to sign a checkpoint.
No function here returns or formats its bytes; errors name the file, never its content.
"""

from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

from . import entry as entry_mod
from . import note
from .log import EvidenceLog, Head, LogError, write_atomic
from .merkle import EMPTY_ROOT

__all__ = ["create_log", "key_matches", "load_signer", "public_key_of"]


def _raw_public(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def create_log(folder: Path, origin: str, time: str) -> EvidenceLog:
    """Make a new log at ``folder`` (built aside, then renamed into place)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder = Path(folder)
    if not note.valid_name(origin):
        raise LogError("err.origin_bad", origin=origin)
    if EvidenceLog.exists(folder):
        raise LogError("err.exists", dir=str(folder))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LogError("err.not_empty", dir=str(folder))
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.parent / f".{folder.name}.init-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o700)
    try:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(work / "private.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        del pem
        pub = _raw_public(key.public_key())
        pub_b64 = base64.b64encode(pub).decode()
        config = {
            "format": entry_mod.FORMAT,
            "origin": origin,
            "key_name": origin,
            "public_key": pub_b64,
        }
        write_atomic(work / "config.json", entry_mod.canonical(config))
        write_atomic(work / "public.key", (note.vkey(origin, pub) + "\n").encode())
        write_atomic(work / "head.json", Head(0, 0, EMPTY_ROOT).dump())
        log = EvidenceLog(work)
        log.append([entry_mod.genesis_entry(time, origin, pub_b64)])
        os.chmod(work, 0o755)
        if folder.exists():
            folder.rmdir()
        os.replace(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return EvidenceLog(folder)


def load_signer(log: EvidenceLog):
    """The private key object, after checking it belongs to this log's public key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        data = log.private_key_path.read_bytes()
    except FileNotFoundError:
        raise LogError("err.no_private_key", file=str(log.private_key_path)) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):  # never echo the bytes
        raise LogError("err.private_key_bad", file=str(log.private_key_path)) from None
    if (
        not isinstance(key, Ed25519PrivateKey)
        or key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        != data
    ):  # one spelling only: any changed byte in the file is noticed
        raise LogError("err.private_key_bad", file=str(log.private_key_path))
    if _raw_public(key.public_key()) != log.public_key():
        raise LogError("err.key_mismatch", file=str(log.private_key_path))
    return key


def public_key_of(log: EvidenceLog) -> bytes:
    return log.public_key()


def key_matches(log: EvidenceLog) -> bool | None:
    """True/False whether private.key matches the public key; None when there is no key file."""
    if not log.private_key_path.exists():
        return None
    try:
        load_signer(log)
    except LogError as err:
        if err.key in ("err.private_key_bad", "err.key_mismatch"):
            return False
        raise
    return True
