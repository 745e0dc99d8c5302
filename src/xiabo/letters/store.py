"""Letters on disk: ``letters/`` beside the profile, one JSON record per letter and a folder
with its documents (the drafts, the follow-ups, the replies). Every write is atomic.

The web keeps the same records in its database (``xiabo.cases.letter_store``); both offer the
small interface :mod:`xiabo.letters.service` uses: ``new_id``, ``load``, ``save``, ``all``,
``write_doc``, ``read_doc``, ``doc_path``, and ``step`` (the lock one step runs under).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import fsutil
from ..errors import UserError
from .model import KINDS, Letter

__all__ = ["FileStore", "default_dir", "ID_RE"]

ID_RE = re.compile(r"^(" + "|".join(re.escape(k) for k in KINDS) + r")-([0-9]{1,6})$")
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)
LOCK_WAIT = 60.0  # seconds a step waits for another one on the same letters folder


def default_dir(profile_path: str | Path) -> Path:
    return Path(profile_path).resolve().parent / "letters"


class FileStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    # ------------------------------------------------------------ records
    def _record(self, letter_id: str) -> Path:
        if not ID_RE.match(letter_id or ""):
            raise UserError("letters.err.bad_id", {"id": letter_id}, field="ID",
                            fix_key="letters.fix.bad_id")
        return self.folder / f"{letter_id}.json"

    def new_id(self, kind: str) -> str:
        taken = [int(m.group(2)) for p in self._files() if (m := ID_RE.match(p.stem))
                 and m.group(1) == kind]
        return f"{kind}-{max(taken, default=0) + 1}"

    def _files(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.glob("*.json") if ID_RE.match(p.stem))

    @contextmanager
    def step(self, letter_id: str | None) -> Iterator[Letter | None]:
        """Hold the folder's lock for one step and yield the letter loaded under it (``None``
        for a new draft): two ``xiabo letters`` runs at once take turns instead of both
        loading the same record and logging contradictory proof."""
        from filelock import FileLock, Timeout

        path = self._record(letter_id) if letter_id is not None else None
        if path is not None and not path.exists():
            self.load(letter_id)  # refused in words; no lock file left in a folder not ours
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError("letters.err.unwritable", {"path": str(self.folder),
                                                        "error": exc.strerror},
                            file=str(self.folder), fix_key="letters.fix.unwritable") from None
        lock = FileLock(str(self.folder / ".lock"), timeout=LOCK_WAIT)
        try:
            lock.acquire()
        except Timeout:
            raise UserError("letters.err.busy", {"dir": str(self.folder)}, file=str(self.folder),
                            fix_key="letters.fix.busy") from None
        try:
            yield self.load(path.stem) if path is not None else None
        finally:
            lock.release()

    def load(self, letter_id: str) -> Letter:
        path = self._record(letter_id)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError("letters.err.unknown_id", {"id": letter_id, "dir": str(self.folder)},
                            file=str(path), field="ID", fix_key="letters.fix.unknown_id") from None
        except (OSError, ValueError):
            raise UserError("letters.err.bad_record", {"file": str(path)}, file=str(path),
                            fix_key="letters.fix.bad_record") from None
        return Letter.from_dict(raw, str(path))

    def save(self, letter: Letter) -> Path:
        path = self._record(letter.id)
        data = json.dumps(letter.to_dict(), ensure_ascii=False, indent=1) + "\n"
        return self._write(path, data.encode("utf-8"))

    def all(self) -> list[Letter]:
        return sorted((self.load(p.stem) for p in self._files()),
                      key=lambda x: (x.created_on, x.kind, int(ID_RE.match(x.id).group(2))))

    # ------------------------------------------------------------ documents
    def doc_path(self, letter: Letter, name: str) -> Path:
        return self.folder / letter.id / name

    def write_doc(self, letter: Letter, name: str, data: bytes, role: str) -> dict:
        """Store a document of ``letter`` and list it on the record (returns its entry)."""
        name = _SAFE_NAME.sub("_", Path(name).name).strip("._") or "file"
        self._write(self.doc_path(letter, name), data)
        entry = {"name": name, "role": role, "sha256": hashlib.sha256(data).hexdigest()}
        letter.documents = [d for d in letter.documents if d["name"] != name] + [entry]
        return entry

    def read_doc(self, letter: Letter, name: str) -> bytes:
        return self.doc_path(letter, name).read_bytes()

    def _write(self, path: Path, data: bytes) -> Path:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fsutil.atomic_write(path, data)
        except OSError as exc:
            raise UserError("letters.err.unwritable", {"path": str(path), "error": exc.strerror},
                            file=str(path), fix_key="letters.fix.unwritable") from None
        return path
