"""Marking the termination notice sent writes ``contract.notice_sent_on`` into the profile.

A careful text edit, not a YAML round trip: the user's comments and layout stay. The edited
text is parsed again and must differ from the old profile only in that one field; otherwise
nothing is written and the user is told to add the line by hand. The old file is kept as
``<profile>.bak`` before the atomic replace.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from .. import fsutil
from ..errors import UserError

__all__ = ["set_notice_sent_on"]

_EXISTING = re.compile(r"(notice_sent_on\s*:\s*)([^,}\n#]*)")
_FLOW = re.compile(r"^(contract\s*:\s*\{)", re.M)
_BLOCK = re.compile(r"^contract\s*:\s*(#.*)?\n((?:[ \t]*#.*\n|[ \t]*\n)*)([ \t]+)(?=\S)", re.M)


def _edit(text: str, on: date) -> str | None:
    iso = on.isoformat()
    if len(_EXISTING.findall(text)) == 1:
        return _EXISTING.sub(lambda m: m.group(1) + iso, text, count=1)
    if _EXISTING.search(text):
        return None
    flow = _FLOW.search(text)
    if flow:
        return text[:flow.end()] + f"notice_sent_on: {iso}, " + text[flow.end():]
    block = _BLOCK.search(text)
    if block:
        indent = block.group(3)
        at = block.start(3)
        return text[:at] + f"{indent}notice_sent_on: {iso}\n" + text[at:]
    return None


def set_notice_sent_on(path: str | Path, on: date) -> Path | None:
    """Write the date into the profile; returns the backup path (None if already so)."""
    from ..roadmap.profile import load_profile

    path = Path(path)
    before = load_profile(path)
    if before.contract.notice_sent_on == on:
        return None
    text = path.read_text(encoding="utf-8")
    new_text = _edit(text, on)
    ok = False
    if new_text is not None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="xiabo-profile-") as tmp:
            probe = Path(tmp) / path.name
            probe.write_text(new_text, encoding="utf-8")
            try:
                after = load_profile(probe)
                expected = before.model_copy(update={"contract": before.contract.model_copy(
                    update={"notice_sent_on": on})})
                ok = after.model_dump() == expected.model_dump()
            except Exception:  # noqa: BLE001 - any doubt about the edit: leave the file alone
                ok = False
    if not ok:
        raise UserError("letters.err.profile_edit", {"date": on.isoformat()}, file=str(path),
                        field="contract.notice_sent_on", fix_key="letters.fix.profile_edit")
    backup = path.with_name(path.name + ".bak")
    try:
        fsutil.atomic_write(backup, text)
        fsutil.atomic_write(path, new_text)
    except OSError as exc:
        raise UserError("letters.err.unwritable", {"path": str(path), "error": exc.strerror},
                        file=str(path), fix_key="letters.fix.unwritable") from None
    return backup
