"""Find a font that has Chinese glyphs: the PDF and the Gantt chart refuse to draw boxes.

Order: ``XIABO_CJK_FONT`` (a .ttc/.otf/.ttf file; ``XIABO_CJK_FONT_INDEX`` picks the face in a
collection), then Noto Sans CJK from the Debian package ``fonts-noto-cjk`` and the usual places
other systems keep it. In ``NotoSansCJK-Regular.ttc`` face 2 is Simplified Chinese (0 is
Japanese, whose glyph shapes differ for some characters).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError

__all__ = ["CANDIDATES", "CjkFont", "add_cjk_font", "find_cjk_font"]

# (path, face index in a collection)
CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/OTF/NotoSansCJK-Regular.ttc", 2),
    ("/usr/local/share/fonts/NotoSansCJK-Regular.ttc", 2),
    ("/Library/Fonts/NotoSansCJK-Regular.ttc", 2),
    ("/opt/homebrew/share/fonts/NotoSansCJK-Regular.ttc", 2),
    ("C:/Windows/Fonts/NotoSansSC-VF.ttf", 0),
)


@dataclass(frozen=True)
class CjkFont:
    path: Path
    index: int


def find_cjk_font() -> CjkFont:
    """The font to use, or a UserError that says how to install one (never boxes)."""
    env = os.environ.get("XIABO_CJK_FONT")
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise UserError("export.err.font_env_missing", {"path": str(path)}, file=str(path),
                            fix_key="export.fix.no_font")
        index_text = os.environ.get("XIABO_CJK_FONT_INDEX")
        if index_text is not None:
            try:
                index = int(index_text)
            except ValueError:
                raise UserError("export.err.font_index", {"value": index_text},
                                fix_key="export.fix.font_index") from None
        else:
            index = 2 if path.suffix.lower() == ".ttc" and "NotoSansCJK" in path.name else 0
        return CjkFont(path, index)
    for name, index in CANDIDATES:
        path = Path(name)
        if path.is_file():
            return CjkFont(path, index)
    raise UserError("export.err.no_font", fix_key="export.fix.no_font")


def add_cjk_font(pdf, font: CjkFont) -> None:
    """Register ``font`` on an fpdf2 document as "cjk".

    The font's own bounding box is a valid (larger) box for any subset: skipping the
    recalculation halves the time fontTools spends subsetting a CJK font."""
    pdf.add_font("cjk", "", str(font.path), collection_font_number=font.index)
    for added in pdf.fonts.values():
        ttfont = getattr(added, "ttfont", None)
        if ttfont is not None:
            ttfont.recalcBBoxes = False
