"""Masks that let a person recognise a record without exposing the identifier.

138****5678, 1101**********1234, a***@x.com: the usual Chinese conventions. A mask never
equals the value and never contains it whole, so reports and logs are safe to share.
"""

from __future__ import annotations

import re

__all__ = ["mask"]

_ADMIN = re.compile(r"^.*(?:省|自治区|市|区|县|州|旗|盟)(?=.)")
_ANCHOR = re.compile(r"(?:路|街|大街|大道|巷|弄|胡同|小区|花园|公寓|大厦|家园|新村|社区|苑)")


def _digits_keep(value: str, head: int, tail: int) -> str:
    """Star every digit except the first ``head`` and last ``tail``; keep separators and '+86'."""
    prefix = ""
    if value.startswith("+"):
        prefix, value = "+", value[1:]
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    if len(positions) <= head + tail:
        head, tail = min(head, 1), min(tail, 1)
    hidden = set(positions[head:len(positions) - tail])
    return prefix + "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _mobile(value: str) -> str:
    """Hide digits 4–7 of the 11-digit number; a +86 prefix and separators stay."""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()][-11:]
    hidden = set(digits[3:7])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def _email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain}"


def _short(value: str) -> str:
    """WeChat and QQ: first and last character only."""
    if len(value) <= 2:
        return "*" * len(value)
    return f"{value[0]}****{value[-1]}"


def _address(value: str) -> str:
    anchor = _ANCHOR.search(value)
    head = value[: anchor.start()] if anchor else value
    admin = _ADMIN.match(head)
    keep = admin.group() if admin else value[:2]
    return keep + "****"


def mask(kind: str, value: str) -> str:
    """The masked form of ``value`` of type ``kind`` (a type from ``detect.TYPES``)."""
    if kind == "mobile":
        return _mobile(value)
    if kind == "id_card":
        return _digits_keep(value, 4, 4)
    if kind == "bank_card":
        return _digits_keep(value, 4, 4)
    if kind == "email":
        return _email(value)
    if kind in ("wechat", "qq"):
        return _short(value)
    if kind == "address":
        return _address(value)
    return "****"
