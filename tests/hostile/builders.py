"""Hostile files for the input-domain tests: small on disk, expensive if read naively."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
       '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
       'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
       'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
       'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def declared_huge_xlsx(path: Path, rows: dict[int, list[str]], ref: str = "A1:XFD1048576",
                       wide_cell: str | None = None) -> Path:
    """An .xlsx of a few KB whose sheet declares ``ref`` (every column of Excel) and holds only
    ``rows`` (row number → inline strings from column A); ``wide_cell`` (e.g. "XFD1") adds one
    far-right cell, the way a stray keystroke in Excel does."""
    body = []
    for number, cells in sorted(rows.items()):
        xml = "".join(f'<c r="{_col(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                      for i, v in enumerate(cells))
        if wide_cell and wide_cell.endswith(str(number)) and wide_cell[:-len(str(number))].isalpha():
            xml += f'<c r="{wide_cell}" t="inlineStr"><is><t>x</t></is></c>'
        body.append(f'<row r="{number}">{xml}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="{ref}"/><sheetData>{"".join(body)}'
             '</sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _col(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def wide_row_xlsx(path: Path, cells: int, refs: bool = False, header: list[str] | None = None
                  ) -> Path:
    """An .xlsx whose first row holds ``cells`` numeric cells (varied, so it zips like a real
    file, not like a bomb); ``refs`` writes each cell's reference (r="AAA1"), as Excel does.
    ``header`` puts those names first (a sheet a reader would otherwise accept)."""
    names = "".join(f'<c t="inlineStr"{_ref(i, refs)}><is><t>{v}</t></is></c>'
                    for i, v in enumerate(header or []))
    start = len(header or [])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:  # streamed
            fh.write(('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                      'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
                      + names).encode())
            for lo in range(start, start + cells, 100_000):
                fh.write("".join(f'<c{_ref(i, refs)}><v>{(i * 7919) % 1000003}</v></c>'
                                 for i in range(lo, min(lo + 100_000, start + cells))).encode())
            fh.write(b'</row><row r="2"><c><v>1</v></c></row></sheetData></worksheet>')
    return path


def _ref(index: int, refs: bool) -> str:
    return f' r="{_col(index)}1"' if refs else ""
