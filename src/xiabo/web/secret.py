"""The server secret (CSRF tokens are HMACs of the session with it), kept in the data folder.

``XIABO_SECRET_FILE`` moves the file (several servers sharing one database must share it);
it is created once, readable by the owner only, and never leaves the machine.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

__all__ = ["csrf_token", "load_secret", "secret_path"]


def secret_path() -> Path:
    from ..paths import data_dir

    return Path(os.environ.get("XIABO_SECRET_FILE") or data_dir() / "web-secret.key")


def load_secret(path: Path | None = None) -> bytes:
    """The secret in ``path``, made on first use (32 random bytes, hex, mode 0600)."""
    path = path or secret_path()
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return bytes.fromhex(text)
    except (FileNotFoundError, ValueError):
        pass
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd, tmp = tempfile.mkstemp(prefix=".web-secret.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(value + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        try:  # link, not rename: when another worker made it first, theirs wins
            os.link(tmp, path)
        except FileExistsError:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
    finally:
        os.unlink(tmp)
    return bytes.fromhex(value)


def csrf_token(secret: bytes, kind: str, binding: str) -> str:
    """HMAC-SHA256 of the session (``kind`` 's' logged in, 'a' anonymous nonce)."""
    mac = hmac.new(secret, f"xiabo-csrf|{kind}|{binding}".encode(), hashlib.sha256)
    return mac.hexdigest()
