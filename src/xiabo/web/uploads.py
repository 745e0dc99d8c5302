"""Uploaded exports for the tool pages (privacy, orders): read bounded, handed to a job.

Why here: the tool pages hand an upload to toolkits that read files by path (xiabo.privacy,
xiabo.orders), and reading a whole file is a job's work, not a request's. The bytes go to the
job's own folder (``<data>/jobs/<id>/``, removed when the job ends or is found dead); the job
reads them there, and a toolkit's error names the user's file, never the stored path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.datastructures import FormData, UploadFile

from ..errors import UserError
from ..jobs.files import shown_error  # the payouts page names its uploads with it too

__all__ = ["Upload", "case_folder", "enqueue_upload", "read_files", "read_upload", "shown_error"]


async def read_files(form: FormData, limit: int, field: str = "files") -> list[tuple[str, bytes]]:
    """Every file of a multi-file field as (name as given, bytes); one over ``limit`` is a
    UserError naming it (evidence uploads on the task forms, the evidence page, letter replies)."""
    out = []
    for item in form.getlist(field):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read(limit + 1)
            if len(data) > limit:
                raise UserError("web.evidence.too_big", {"name": item.filename[:100],
                                                         "mb": limit // 2**20})
            out.append((item.filename, data))
    return out


class Upload:
    """One uploaded file: the name the user gave it (cleaned) and its bytes."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


def case_folder(case, *parts: str) -> Path:
    """A folder inside the case's own data folder (xiabo.paths.case_dir), created."""
    from ..paths import case_dir

    folder = case_dir(case.folder).joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def read_upload(form: FormData, field: str, *, limit: int,
                      suffixes: tuple[str, ...]) -> Upload:
    """The file in ``field``, refused in words when missing, too large, empty or of a wrong kind."""
    from .tools.bridges import safe_filename

    item = form.get(field)
    if not isinstance(item, UploadFile) or not item.filename:
        raise UserError("tools.upload.no_file", fix_key="tools.upload.no_file_fix")
    name = safe_filename(item.filename)[:120]
    kinds = "、".join(s.lstrip(".").upper() for s in suffixes)
    if Path(name).suffix.lower() not in suffixes:
        raise UserError("tools.upload.bad_type", {"name": name, "kinds": kinds},
                        fix_key="tools.upload.bad_type_fix")
    data = await item.read(limit + 1)
    if len(data) > limit:
        raise UserError("tools.upload.too_big", {"name": name, "mb": limit // 2**20},
                        fix_key="tools.upload.too_big_fix")
    if not data.strip():
        raise UserError("tools.upload.empty", {"name": name}, fix_key="tools.upload.empty_fix")
    return Upload(name, data)


def enqueue_upload(db, kind: str, case, upload: Upload, payload: dict) -> int:
    """Queue a job of ``kind`` on the upload (kept in the job's folder under its own name); its
    id. JobBusy (with the running job's id) when one of ``kind`` is active for the case.

    Why staged first: the bytes are written outside the transaction that queues the job (in
    the data folder's ``jobs/incoming``, swept if the request dies) and only moved into the
    job's folder inside it, so no write transaction waits on a large file."""
    import secrets

    from ..jobs import enqueue_job
    from ..jobs.files import incoming_folder

    staging = incoming_folder() / secrets.token_hex(8)
    staging.mkdir(parents=True)
    try:
        path = staging / upload.name
        path.write_bytes(upload.data)
        return enqueue_job(db, kind, case.id,
                           dict(payload, case_key=case.folder, name=upload.name,
                                stored=upload.name), {upload.name: path})
    finally:
        shutil.rmtree(staging, ignore_errors=True)
