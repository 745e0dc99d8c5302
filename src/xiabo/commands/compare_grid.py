"""The platform comparison as text a terminal shows: a grid of wrapped cells, and when eleven
columns do not fit the width, the platforms in groups (each group repeats the row names)."""

from __future__ import annotations

from ..export.common import display_width

__all__ = ["grid", "wrap"]

_LABEL = 16  # columns for the row names
_MIN_CELL = 22  # the narrowest a platform's column gets before the platforms are split
_GAP = " │ "


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns (CJK counts 2); Latin words are
    kept whole where they fit."""
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        w = display_width(word)
        if used + w > width and line:
            lines.append(line.rstrip())
            line, used = "", 0
            word = word.lstrip()
            w = display_width(word)
        while w > width:  # a word longer than the column: cut it
            cut, size = "", 0
            for ch in word:
                if size + display_width(ch) > width:
                    break
                cut, size = cut + ch, size + display_width(ch)
            lines.append(cut)
            word, w = word[len(cut):], w - size
        line, used = line + word, used + w
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _words(text: str) -> list[str]:
    """Latin runs with their following space stay together; every CJK character is a word."""
    out, run = [], ""
    for ch in text:
        if display_width(ch) == 2:
            if run:
                out.append(run)
                run = ""
            out.append(ch)
        else:
            run += ch
            if ch == " ":
                out.append(run)
                run = ""
    if run:
        out.append(run)
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def grid(table, width: int, lang: str) -> str:
    """The table's title, then its rows; platforms split into groups that fit ``width``."""
    platforms = len(table.columns) - 1
    per_group = max(1, min(platforms, (width - _LABEL) // (_MIN_CELL + len(_GAP))))
    out = [table.title, "═" * min(width, 120)]
    for start in range(1, platforms + 1, per_group):
        cols = list(range(start, min(start + per_group, platforms + 1)))
        cell = max(_MIN_CELL, (width - _LABEL - len(_GAP) * len(cols)) // len(cols))
        out.append(_line([table.columns[0]] + [table.columns[c] for c in cols], cell))
        out.append("─" * min(width, _LABEL + (cell + len(_GAP)) * len(cols)))
        for row, src in zip(table.rows, table.sources):
            cells = [wrap(row[0], _LABEL)] + [wrap(row[c], cell) for c in cols]
            for i in range(max(len(c) for c in cells)):
                out.append(_line([c[i] if i < len(c) else "" for c in cells], cell))
            ids = [src[c] for c in cols if src[c]]
            if ids:  # the rules behind the cells, wrapped at commas like the cells
                room = max(width - _LABEL - len(_GAP), 20)
                out.extend(_pad("", _LABEL) + _GAP + line
                           for line in _ids_lines("[" + ", ".join(ids) + "]", room))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _ids_lines(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def _line(parts: list[str], cell: int) -> str:
    first, rest = parts[0], parts[1:]
    return (_pad(first, _LABEL) + _GAP + _GAP.join(_pad(p, cell) for p in rest)).rstrip()
