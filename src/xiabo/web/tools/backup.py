"""Backups from the web (single-user mode, on the computer itself): pick folders, start, watch.

The form takes typed paths (one per line): what to back up, where to put copies, and what kind
of data it is. Paths are checked before anything starts (exists, readable, a destination never
inside a source); the job page refreshes itself (no JavaScript needed) until the bags are made
and verified, then shows the updated 3-2-1 status.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...store import cases as repo
from ...store.models import Case
from ..auth.phone import is_desktop
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form, visible_case
from ..forms import error_words

router = APIRouter(include_in_schema=False)

MEDIA = ("local", "nas", "cloud")
MAX_PATHS = 20
REFRESH_SECONDS = 2


def _lines(value) -> list[str]:
    text = str(value or "").replace("\r", "\n")
    return [line.strip().strip('"').strip("'") for line in text.split("\n") if line.strip()]


def _within(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check_paths(sources: list[str], dests: list[str]) -> tuple[list[str], list[str]]:
    """Absolute, existing, readable sources; existing, writable destinations outside them."""
    if not sources:
        raise UserError("reach.backup.no_source", field="sources",
                        fix_key="reach.backup.no_source_fix")
    if not dests:
        raise UserError("reach.backup.no_dest", field="dests", fix_key="reach.backup.no_dest_fix")
    if len(sources) > MAX_PATHS or len(dests) > MAX_PATHS:
        raise UserError("reach.backup.too_many", {"n": MAX_PATHS}, field="sources")
    roots: list[Path] = []
    for raw in sources:
        path = Path(os.path.expanduser(raw))
        if not path.is_absolute():
            raise UserError("reach.backup.not_absolute", {"path": raw}, field="sources",
                            fix_key="reach.backup.not_absolute_fix")
        if not path.exists():
            raise UserError("reach.backup.source_missing", {"path": raw}, field="sources",
                            fix_key="reach.backup.source_missing_fix")
        if not os.access(path, os.R_OK) or (path.is_dir() and not os.access(path, os.X_OK)):
            raise UserError("reach.backup.source_unreadable", {"path": raw}, field="sources",
                            fix_key="reach.backup.source_unreadable_fix")
        roots.append(path.resolve())
    out_dests: list[Path] = []
    for raw in dests:
        path = Path(os.path.expanduser(raw))
        if not path.is_absolute():
            raise UserError("reach.backup.not_absolute", {"path": raw}, field="dests",
                            fix_key="reach.backup.not_absolute_fix")
        if not path.is_dir():
            raise UserError("reach.backup.dest_missing", {"path": raw}, field="dests",
                            fix_key="reach.backup.dest_missing_fix")
        if not os.access(path, os.W_OK | os.X_OK):
            raise UserError("reach.backup.dest_unwritable", {"path": raw}, field="dests",
                            fix_key="reach.backup.dest_unwritable_fix")
        resolved = path.resolve()
        for root in roots:
            if _within(resolved, root):
                raise UserError("reach.backup.dest_inside", {"dest": raw, "source": str(root)},
                                field="dests", fix_key="reach.backup.dest_inside_fix")
        out_dests.append(resolved)
    return [str(r) for r in roots], [str(d) for d in out_dests]


def _page(ctx: Ctx, case, status_code: int = 200, **values):
    from ...backup import DATA_CLASSES
    from .backup_jobs import recent_jobs
    from .bridges import backup_status

    return render(ctx, "backup.html", status_code=status_code, case=case,
                  classes=DATA_CLASSES, media_kinds=MEDIA, desktop=is_desktop(ctx),
                  backup=backup_status(case.folder, case.platform, ctx.today),
                  jobs=recent_jobs(ctx.db, case.id), form=values.pop("form", {}), **values)


@router.get("/cases/{case_id}/backup")
def backup_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    return _page(ctx, case)


@router.post("/cases/{case_id}/backup")
def backup_start(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from ...backup import DATA_CLASSES
    from ..errors import Forbidden
    from .backup_jobs import start_job

    if not is_desktop(ctx):
        raise Forbidden()
    values = {k: str(form.get(k) or "")[:20000] for k in ("sources", "dests", "data_class",
                                                           "media")}
    values["offsite"] = bool(form.get("offsite"))
    try:
        data_class = values["data_class"]
        if data_class not in DATA_CLASSES:
            raise UserError("reach.backup.bad_class", field="data_class",
                            fix_key="reach.backup.bad_class_fix")
        media = values["media"] or None
        if media is not None and media not in MEDIA:
            raise UserError("reach.backup.bad_media", field="media")
        sources, dests = check_paths(_lines(values["sources"]), _lines(values["dests"]))
        job_id = start_job(ctx.db, case_key=case.folder, case_id=case.id, sources=sources, dests=dests,
                        data_class=data_class, media=media, offsite=values["offsite"],
                        platform=case.platform)
    except UserError as err:
        return _page(ctx, case, status_code=422, form=values, **error_words(err, ctx.lang))
    return RedirectResponse(f"/cases/{case.id}/backup/jobs/{job_id}", status_code=303)


@router.get("/cases/{case_id}/backup/jobs/{job_id}")
def backup_job(case_id: CaseId, job_id: str, ctx: Ctx = Depends(get_ctx),
               case: Case = Depends(visible_case)):
    from . import bridges
    from .backup_jobs import find_job
    from .bridges import backup_status

    job = find_job(ctx.db, case.id, job_id[:40])
    if job is None:
        raise repo.NotFound("web.errors.page_not_found")
    if not job.running:  # a worker elsewhere made the bags: the 3-2-1 status must show them
        bridges._BACKUP_CACHE.clear()
    return render(ctx, "backup_job.html", case=case, job=job,
                  refresh=REFRESH_SECONDS if job.running else None,
                  backup=None if job.running else backup_status(case.folder, case.platform,
                                                                ctx.today))


@router.post("/cases/{case_id}/backup/jobs/{job_id}/retry")
def backup_job_retry(case_id: CaseId, job_id: str, ctx: Ctx = Depends(get_ctx),
                     form: FormData = Depends(checked_form),
                     case: Case = Depends(visible_case)):
    """Queue an interrupted or failed backup again (it resumes its partial bag)."""
    from ...jobs import retry_job
    from ..errors import Forbidden
    from .backup_jobs import find_job

    if not is_desktop(ctx):
        raise Forbidden()
    job = find_job(ctx.db, case.id, job_id[:40])
    if job is None:
        raise repo.NotFound("web.errors.page_not_found")
    retry_job(ctx.db, job.id)
    return RedirectResponse(f"/cases/{case.id}/backup/jobs/{job.id}", status_code=303)


@router.get("/cases/{case_id}/backup/jobs/{job_id}/progress.json")
def backup_job_json(case_id: CaseId, job_id: str, ctx: Ctx = Depends(get_ctx),
                    case: Case = Depends(visible_case)):
    from .backup_jobs import find_job

    job = find_job(ctx.db, case.id, job_id[:40])
    if job is None:
        raise repo.NotFound("web.errors.page_not_found")
    data = job.as_dict()
    data.pop("sources", None)  # paths on the computer stay on the computer's pages
    data.pop("dests", None)
    return JSONResponse(data, headers={"Cache-Control": "no-store"})
