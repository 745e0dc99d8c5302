"""BagIt tag files and manifests (RFC 8493): path encoding, parsing and writing.

Kept free of I/O policy so the parsers can be property-tested: every function here works on
strings or bytes, the caller decides where they come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "BAGIT_TXT",
    "ManifestEntries",
    "decode_path",
    "encode_path",
    "format_manifest",
    "format_tags",
    "is_unsafe_path",
    "manifest_algorithm",
    "parse_manifest",
    "parse_tags",
]

BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

_DECODE_10 = re.compile(r"%(25|0[dD]|0[aA])")
_DECODE_097 = re.compile(r"%(0[dD]|0[aA])")
_CHARS = {"25": "%", "0d": "\r", "0a": "\n"}
_MANIFEST_NAME = re.compile(r"^(tag)?manifest-([A-Za-z0-9]+)\.txt$")
_LINE = re.compile(r"^([0-9A-Fa-f]+)[ \t]+(.+)$", re.DOTALL)


def encode_path(path: str) -> str:
    """Percent-encode the only characters RFC 8493 §2.1.3 requires: ``%``, CR and LF."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(text: str, version: tuple[int, int] = (1, 0)) -> str:
    """Undo :func:`encode_path`. BagIt 0.97 encoded only CR and LF, so ``%25`` stays literal."""
    pattern = _DECODE_10 if version >= (1, 0) else _DECODE_097
    return pattern.sub(lambda m: _CHARS[m.group(1).lower()], text)


def manifest_algorithm(filename: str) -> tuple[bool, str] | None:
    """``manifest-sha256.txt`` -> (False, 'sha256'); ``tagmanifest-md5.txt`` -> (True, 'md5')."""
    m = _MANIFEST_NAME.match(filename)
    if not m:
        return None
    return bool(m.group(1)), m.group(2).lower()


def is_unsafe_path(path: str) -> bool:
    """A manifest path that would escape the bag (absolute, ``..``, drive letter)."""
    if not path or path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        return True
    return any(part in ("..",) for part in re.split(r"[/\\]", path))


def format_manifest(entries: dict[str, str]) -> str:
    """Manifest text: one ``<digest>  <encoded path>`` line per file, sorted by path."""
    return "".join(f"{entries[p]}  {encode_path(p)}\n" for p in sorted(entries))


@dataclass
class ManifestEntries:
    """A parsed manifest: path -> digest, and the lines that could not be used."""

    entries: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line no, kind, text)


def parse_manifest(text: str, version: tuple[int, int] = (1, 0)) -> ManifestEntries:
    """Parse manifest text. Paths keep trailing spaces; only the line ending is removed."""
    out = ManifestEntries()
    for no, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        m = _LINE.match(line)
        if not m:
            out.errors.append((no, "malformed", line))
            continue
        digest, path = m.group(1).lower(), m.group(2)
        if path.startswith("*") and path[1:].startswith("data/"):
            path = path[1:]  # md5sum-style "binary mode" marker written by some tools
        path = decode_path(path, version)
        path = path.removeprefix("./")
        if is_unsafe_path(path):
            out.errors.append((no, "unsafe", path))
            continue
        old = out.entries.get(path)
        if old is not None and old != digest:
            out.errors.append((no, "conflict", path))
            continue
        out.entries[path] = digest
    return out


def format_tags(tags: list[tuple[str, str]]) -> str:
    """``Label: value`` lines; a multi-line value continues on lines indented by two spaces."""
    lines = []
    for label, value in tags:
        parts = [p.strip() for p in str(value).replace("\r\n", "\n").split("\n")]
        parts = [p for p in parts if p] or [""]
        lines.append(f"{label}: {parts[0]}")
        lines.extend(f"  {p}" for p in parts[1:])
    return "".join(f"{line}\n" for line in lines)


def parse_tags(text: str) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """Parse ``Label: value`` lines with RFC 2822-style folding; return (tags, bad lines)."""
    tags: list[tuple[str, str]] = []
    bad: list[tuple[int, str]] = []
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not raw.strip():
            continue
        if raw[0] in " \t" and tags:
            label, value = tags[-1]
            tags[-1] = (label, f"{value}\n{raw.strip()}" if value else raw.strip())
            continue
        label, sep, value = raw.partition(":")
        if not sep or not label.strip():
            bad.append((no, raw))
            continue
        tags.append((label.strip(), value.strip()))
    return tags, bad
