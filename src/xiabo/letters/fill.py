"""Filling a drafted letter's blanks (【待填写：…】) in words, then writing its files again.

The Markdown is the letter's source: each blank given a value is replaced there, the Word file
is made again from it, and the letter's list of blanks shrinks to what is left. Only a draft
can be filled: once sent, a letter is evidence and stays as it went out.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import UserError
from .render import blanks, to_docx

__all__ = ["blank_label", "fill_blanks"]

_INNER = re.compile(r"^(?:【待填写：|\[TO FILL IN: )(.*?)(?:】|\])$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_VALUE = 200


def blank_label(blank: str) -> str:
    """「【待填写：本人身份证上的姓名】」 → 「本人身份证上的姓名」."""
    found = _INNER.match(blank)
    return found.group(1) if found else blank


def _key(letter_blanks: list[str], key: str) -> str | None:
    """The blank ``key`` names: its number (1, 2, …), its words, or the whole blank."""
    key = key.strip()
    if key.isdigit() and 1 <= int(key) <= len(letter_blanks):
        return letter_blanks[int(key) - 1]
    for blank in letter_blanks:
        if key in (blank, blank_label(blank)):
            return blank
    return None


def fill_blanks(store, letter_id: str, values: dict[str, str], *, today: date):
    """Put ``values`` (blank → text) into the draft ``letter_id``; return the letter."""
    letter = store.load(letter_id)
    if letter.state != "drafted":
        raise UserError("letters.err.fill_sent", {"id": letter.id}, field=letter.id,
                        fix_key="letters.fix.fill_sent")
    markdown = store.read_doc(letter, "letter.md").decode("utf-8")
    changed = False
    for key, value in values.items():
        blank = _key(letter.blanks, key)
        if blank is None:
            raise UserError("letters.err.fill_unknown", {"blank": key, "blanks": "、".join(
                blank_label(b) for b in letter.blanks) or "-"}, field="--set",
                fix_key="letters.fix.fill_unknown")
        value = _CONTROL.sub(" ", str(value or "")).strip()
        if not value:
            continue  # left empty: the blank stays for later
        if len(value) > MAX_VALUE:
            raise UserError("letters.err.fill_long", {"blank": blank_label(blank),
                                                      "max": MAX_VALUE}, field="--set",
                            fix_key="letters.fix.fill_long")
        markdown = markdown.replace(blank, value)
        changed = True
    if not changed:
        return letter
    store.write_doc(letter, "letter.md", markdown.encode("utf-8"), "letter")
    title = markdown.splitlines()[0].lstrip("# ").strip()
    if any(d["name"] == "letter.docx" for d in letter.documents):
        store.write_doc(letter, "letter.docx", to_docx(markdown, letter.lang, title, today),
                        "letter")
    letter.blanks = blanks(markdown)
    store.save(letter)
    return letter
