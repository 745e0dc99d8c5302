"""The ``opinion-import`` job: the uploaded exports of a case, checked whole, then imported in
chunks (``xiabo.cases.opinion_chunks``). Resumable: the files done and the current file's import
row are checkpointed; a run handed on after its worker died skips the files done and re-reads
the current one, whose stored messages count as already there.
"""

from __future__ import annotations

from .registry import JobContext, kind

__all__ = ["named_error", "run_import"]


def named_error(err, name: str):
    """The error as the web says it: the upload's name, not the job folder's file name."""
    err.file = name
    if err.fix_key == "opinion.fix.missing_column":   # no --map in the browser
        err.fix_key = "opinion.web.fix_missing_column"
    if err.params and "path" in err.params:
        err.params["path"] = name
    return err


@kind("opinion-import", resumable=True)
def run_import(ctx: JobContext) -> dict:
    from ..cases.opinion_adopt import adopt
    from ..cases.opinion_chunks import ChunkedStore
    from ..errors import UserError
    from ..opinion.ingest import check_file, ingest_file
    from ..opinion.sentiment import Scorer
    from ..paths import case_dir

    engine = ctx.db.engine
    files = ctx.payload["files"]  # [[stored name, upload name], ...]
    adopt(engine, ctx.case_id, case_dir(ctx.payload["case_key"]) / "opinion")
    scorer = Scorer()
    done: list[int] = list(ctx.progress.get("files_done") or [])
    added = dict(ctx.progress.get("added_by_file") or {})
    for i, (stored, name) in enumerate(files):
        if i in done:
            continue
        path = ctx.folder / stored
        if not path.is_file():
            raise UserError("jobs.err.upload_gone", {"name": name},
                            fix_key="jobs.err.upload_gone_fix")
        ctx.update(file=i, file_name=name, phase="checking", saved_file=0)
        try:
            rows = check_file(path)
        except UserError as err:
            raise named_error(err, name) from None
        ctx.update(phase="importing", rows_file=rows)
        same_file = ctx.progress.get("file_id_for") == i
        store = ChunkedStore(engine, ctx.case_id,
                             file_id=ctx.progress.get("file_id") if same_file else None,
                             on_file=lambda fid, i=i: ctx.checkpoint(file_id=fid, file_id_for=i),
                             on_commit=lambda n: ctx.add(saved=n, saved_file=n))
        try:
            result = ingest_file(store, path, scorer, name=name)
        except UserError as err:
            raise named_error(err, name) from None
        added[str(i)] = _stored(ctx.db, store.file_id)
        done.append(i)
        ctx.checkpoint(files_done=done, added_by_file=added)
        del result
    return {"added": sum(added.values()), "files": len(files)}


def _stored(db, file_id: int | None) -> int:
    from sqlalchemy import select

    from ..store.opinion import OpinionImport

    if file_id is None:
        return 0
    with db.read() as s:
        return int(s.scalar(select(OpinionImport.added).where(OpinionImport.id == file_id)) or 0)
