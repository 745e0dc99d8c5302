"""Fans' personal data from the web: upload an export, see what is in it, download a clean copy.

The same toolkit as ``xiabo privacy scan`` / ``purge`` (xiabo.privacy): the detector finds the
identifiers, the page counts them per column and shows masked samples only. The upload is
parked inside the case folder for the request and deleted; the cleaned copy (no personal data
left that the detector knows) is kept in ``<case folder>/privacy/cleaned/`` until replaced or
deleted, so it can be downloaded.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...store.models import Case
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from ..downloads import NO_STORE, download_response
from ..forms import error_words
from ..uploads import Upload, case_folder, parked, receive_upload, shown_error

router = APIRouter(include_in_schema=False)

SUFFIXES = (".csv", ".tsv", ".xlsx", ".json", ".jsonl", ".txt")
MODES = ("mask", "drop-column", "drop-row")
COLUMNS_SHOWN = 40


@dataclass
class Column:
    """Identifiers of one kind in one column (or in a text file's lines)."""

    sheet: str
    column: int | None  # 1-based; None for text lines
    header: str | None
    kind: str
    count: int = 0
    samples: list[str] = field(default_factory=list)


@dataclass
class Report:
    name: str
    rows: int
    counts: dict[str, int]
    columns: list[Column]
    more: int = 0  # identifiers in columns not listed

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def scan_columns(path: Path, name: str, today) -> Report:
    """One pass of the privacy engine, counted per (sheet, column, kind); masked samples only."""
    from ...privacy.detect import TYPES, normalise_types
    from ...privacy.engine import scan_blocks
    from ...privacy.mask import mask
    from ...privacy.scan import fewer_gc_passes
    from ...tabular import DEFAULT_LIMITS, open_table, read_blocks

    info = open_table(path, DEFAULT_LIMITS)
    text = info.kind == "txt"
    counts: Counter = Counter()
    cols: dict[tuple, Column] = {}
    rows = 0
    with fewer_gc_passes():
        for block, hits, roles in scan_blocks(read_blocks(info, DEFAULT_LIMITS),
                                              normalise_types(None), header=not text,
                                              today=today):
            rows += len(block.rows)
            header = roles.header
            for r, col, s, e, kind in hits:
                counts[kind] += 1
                key = (block.sheet, None if text else col + 1, kind)
                entry = cols.get(key)
                if entry is None:
                    entry = cols[key] = Column(
                        block.sheet, None if text else col + 1,
                        header[col] if header and col < len(header) else None, kind)
                entry.count += 1
                if len(entry.samples) < 2:
                    entry.samples.append(mask(kind, block.rows[r][col][s:e]))
    ordered = sorted(cols.values(), key=lambda c: -c.count)
    shown = ordered[:COLUMNS_SHOWN]
    return Report(name, rows, {k: counts.get(k, 0) for k in TYPES}, shown,
                  more=sum(c.count for c in ordered[COLUMNS_SHOWN:]))


def where(column: Column, lang: str) -> str:
    """「工作表「表1」 B 列「手机」」 in words (what a spreadsheet user sees)."""
    from ...privacy.scan import column_letter

    parts = [t("tools.privacy.where_sheet", lang, sheet=column.sheet)] if column.sheet else []
    if column.column is None:
        parts.append(t("tools.privacy.where_text", lang))
    else:
        header = t("privacy.scan.header", lang, header=column.header) if column.header else ""
        parts.append(t("tools.privacy.where_column", lang,
                       column=column_letter(column.column - 1), header=header))
    return " ".join(parts)


def cleaned_dir(case) -> Path:
    return case_folder(case, "privacy", "cleaned")


def stored_copy(case) -> Path | None:
    """The cleaned copy kept for this case, if any (the newest one)."""
    from ...paths import case_dir

    folder = case_dir(case.folder) / "privacy" / "cleaned"
    if not folder.is_dir():
        return None
    files = sorted((p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")),
                   key=lambda p: p.stat().st_mtime_ns)
    return files[-1] if files else None


def _clean_and_scan(case, upload: Upload, mode: str, today, lang: str) -> tuple[Report, dict]:
    from ...privacy.purge import purge_file
    from ...privacy.scan import scan_file

    stem, ext = Path(upload.name).stem, Path(upload.name).suffix
    out_name = t("tools.privacy.cleaned_name", lang, stem=stem, ext=ext)
    with parked(case, upload, "privacy") as src:
        try:
            report = scan_columns(src, upload.name, today)
            out = src.parent / out_name
            summary = purge_file(src, out, mode=mode, force=True, today=today)
            left = scan_file(out, keep=0, today=today).total
        except UserError as err:
            raise shown_error(err, src, upload.name) from None
        folder = cleaned_dir(case)
        for old in folder.iterdir():  # one copy per case: the newest
            if old.is_file():
                old.unlink()
        shutil.move(str(out), folder / out_name)
    return report, {"mode": mode, "cells": summary.cells_changed, "rows_out": summary.rows_out,
                    "rows_dropped": summary.rows_dropped, "left": left, "name": out_name}


def _page(ctx: Ctx, case, status_code: int = 200, **values):
    copy = stored_copy(case)
    return render(ctx, "privacy.html", status_code=status_code, case=case, modes=MODES,
                  mb=ctx.config.max_upload_bytes // 2**20, copy=copy.name if copy else None,
                  where=lambda c: where(c, ctx.lang), T=lambda k, **p: t(k, ctx.lang, **p),
                  **values)


def _fail(ctx: Ctx, case, err: UserError):
    return _page(ctx, case, status_code=422, **error_words(err, ctx.lang))


@router.get("/cases/{case_id}/privacy")
def privacy_page(case_id: CaseId, msg: str | None = None, ctx: Ctx = Depends(get_ctx),
                 case: Case = Depends(visible_case)):
    message = t("tools.privacy.deleted", ctx.lang) if msg == "deleted" else None
    return _page(ctx, case, message=message)


@router.post("/cases/{case_id}/privacy")
async def privacy_scan(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                       form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    mode = str(form.get("mode") or "mask")
    mode = mode if mode in MODES else "mask"
    try:
        _, (report, cleaned) = await receive_upload(ctx, form, case, _clean_and_scan, mode,
                                                    ctx.today, ctx.lang, suffixes=SUFFIXES)
    except UserError as err:
        return _fail(ctx, case, err)
    return _page(ctx, case, report=report, cleaned=cleaned, mode=mode)


@router.get("/cases/{case_id}/privacy/cleaned")
def privacy_download(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                     case: Case = Depends(visible_case)):
    copy = stored_copy(case)
    if copy is None:
        return _fail(ctx, case, UserError("tools.privacy.no_copy",
                                          fix_key="tools.privacy.no_copy_fix"))
    return download_response(copy.name, copy, "application/octet-stream",
                             ascii_name=f"case-{case.id}-cleaned{copy.suffix}", headers=NO_STORE)


@router.post("/cases/{case_id}/privacy/delete")
def privacy_delete(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                   form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    copy = stored_copy(case)
    if copy is not None:
        copy.unlink(missing_ok=True)
    return RedirectResponse(f"/cases/{case.id}/privacy?msg=deleted", status_code=303)
