"""C2SP signed notes and tlog checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint).

A checkpoint is the text ``<origin>\\n<size>\\n<base64 root>\\n``; signing it makes a note:
the text, a blank line, then ``— <key name> <base64(key hash || Ed25519 signature)>``.
The key hash is SHA-256(name || 0x0A || 0x01 || public key)[:4]. Using the public format
means tools from the transparency ecosystem (Go's sumdb/note, witnesses) can read our notes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

__all__ = [
    "ED25519",
    "Checkpoint",
    "NoteError",
    "b64decode_strict",
    "checkpoint_body",
    "key_hash",
    "open_note",
    "parse_checkpoint",
    "parse_vkey",
    "sign_note",
    "valid_name",
    "vkey",
]

ED25519 = 0x01
DASH = "\u2014 "


class NoteError(ValueError):
    """A note that is malformed or whose signature does not verify. ``reason`` is a key."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def b64decode_strict(text: str) -> bytes:
    """Base64 that accepts exactly one spelling per value (no stray padding bits)."""
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode("ascii") != text:
        raise binascii.Error("non-canonical base64")
    return raw


def valid_name(name: str) -> bool:
    """A key name / origin: non-empty, no spaces (any Unicode space), no '+', no newline."""
    return bool(name) and not any(c.isspace() or c == "+" for c in name) and len(name) <= 255


def key_hash(name: str, public_key: bytes) -> bytes:
    """The 4-byte key ID of an Ed25519 key."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key).digest()[:4]


def vkey(name: str, public_key: bytes) -> str:
    """The verifier key text: ``<name>+<hex key hash>+<base64(0x01 || public key)>``."""
    kh = key_hash(name, public_key).hex()
    return f"{name}+{kh}+{base64.b64encode(bytes([ED25519]) + public_key).decode()}"


def parse_vkey(text: str) -> tuple[str, bytes]:
    """(name, 32-byte public key) from a verifier key; checks its key hash."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not valid_name(parts[0]) or len(parts[1]) != 8:
        raise NoteError("vkey_format")
    try:
        raw = b64decode_strict(parts[2])
        kh = bytes.fromhex(parts[1])
    except (binascii.Error, ValueError):
        raise NoteError("vkey_format") from None
    if len(raw) != 33 or raw[0] != ED25519:
        raise NoteError("vkey_format")
    if key_hash(parts[0], raw[1:]) != kh or parts[1] != kh.hex():
        raise NoteError("vkey_hash")
    return parts[0], raw[1:]


def sign_note(body: str, name: str, private_key) -> str:
    """Sign ``body`` (must end in a newline) with an Ed25519 private key object."""
    if not body.endswith("\n") or "\n\n" in body or not valid_name(name):
        raise NoteError("note_format")
    pub = _raw_public(private_key.public_key())
    sig = private_key.sign(body.encode("utf-8"))
    blob = base64.b64encode(key_hash(name, pub) + sig).decode()
    return f"{body}\n{DASH}{name} {blob}\n"


def _raw_public(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def open_note(data: bytes, name: str, public_key: bytes) -> str:
    """Verify a signed note against one known key; return its text or raise NoteError."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("note_encoding") from None
    split = text.rfind("\n\n")
    if split < 0 or not text.endswith("\n"):
        raise NoteError("note_format")
    body, sig_block = text[: split + 1], text[split + 2 :]
    want = key_hash(name, public_key)
    found = False
    for line in sig_block[:-1].split("\n"):
        if not line.startswith(DASH):
            raise NoteError("note_sigline")
        fields = line[len(DASH) :].split(" ")
        if len(fields) != 2 or not valid_name(fields[0]):
            raise NoteError("note_sigline")
        try:
            blob = b64decode_strict(fields[1])
        except (binascii.Error, ValueError):
            raise NoteError("note_sigline") from None
        if len(blob) < 5:
            raise NoteError("note_sigline")
        if fields[0] != name or blob[:4] != want:
            continue  # another signer (a witness, say): not ours to judge
        found = True
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(blob[4:], body.encode("utf-8"))
        except (InvalidSignature, ValueError):
            raise NoteError("note_signature") from None
    if not found:
        raise NoteError("note_unsigned")
    return body


@dataclass(frozen=True)
class Checkpoint:
    """The signed statement: this log, at this size, has this root."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The checkpoint text (no extension lines)."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def parse_checkpoint(body: str) -> Checkpoint:
    """Parse checkpoint text; strict about the size and root lines."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise NoteError("checkpoint_format")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not origin or not size_text.isascii() or not size_text.isdigit():
        raise NoteError("checkpoint_format")
    if size_text != str(int(size_text)):
        raise NoteError("checkpoint_format")  # no leading zeros: one text per size
    try:
        root = b64decode_strict(root_text)
    except (binascii.Error, ValueError):
        raise NoteError("checkpoint_format") from None
    if len(root) != 32 or base64.b64encode(root).decode() != root_text:
        raise NoteError("checkpoint_format")
    return Checkpoint(origin, int(size_text), root, tuple(lines[3:-1]))
