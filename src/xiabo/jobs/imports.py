"""The ``cases-import`` bulk job: the uploaded list of streamers, one case per good row.

The request checked the file (size, encoding, header, row count) and queued it; here each row
is parsed and planned outside any transaction, then stored ``CHUNK`` rows at a time, each chunk
in one transaction together with the job's note of the rows done (``JobContext.record_in``).

Resumable without doubles: the note and the cases commit or fail together, so a run handed on
after its worker died starts at the first row not noted and never makes a case twice. The
result is the report the import page shows (rows made, rows refused with row and reason).
"""

from __future__ import annotations

from datetime import date

from .bulk import owner_actor
from .registry import JobContext, kind

__all__ = ["CHUNK", "run_import"]

CHUNK = 20  # rows per transaction: planning is outside it; ~0.15 s of write lock (docs/web.md)


@kind("cases-import", resumable=True)
def run_import(ctx: JobContext) -> dict:
    from ..cases import rulebook
    from ..cases.importing import check_header, create_chunk, prepare_row, row_dict
    from ..errors import UserError

    actor = owner_actor(ctx)
    p = ctx.payload
    path = ctx.folder / p["file"]
    if not path.is_file():
        raise UserError("jobs.err.upload_gone", {"name": p["name"]},
                        fix_key="jobs.err.upload_gone_fix")
    mapping, body = check_header(p["name"], path.read_bytes(), int(p["max_rows"]))
    today, lang, book = date.fromisoformat(p["today"]), p["lang"], rulebook()
    done_rows: list[dict] = list(ctx.progress.get("rows") or [])
    ctx.update(total=len(body), done=len(done_rows))
    while len(done_rows) < len(body):
        start = len(done_rows)
        part = body[start:start + CHUNK]
        chunk = [prepare_row(ctx.db, n, cells, mapping, book=book, lang=lang, today=today,
                             operator_id=p.get("operator_id"), source=f"{p['name']}:{n}")
                 for n, cells in part]
        results = [result for result, _ in chunk]

        def record(session, n: int, start=start, results=results, before=done_rows) -> None:
            # called once for the chunk, or once per row when the chunk is tried row by row
            upto = len(ctx.progress.get("rows") or []) - start + n
            rows = before + [row_dict(r) for r in results[:upto]]
            ctx.record_in(session, {"rows": rows, "done": len(rows)})

        with ctx.persist:  # no heartbeat writes an older progress over this chunk's note
            with ctx.lock:
                ctx.progress["rows"] = list(done_rows)
            create_chunk(ctx.db, chunk, actor=actor, lang=lang, record=record)
        with ctx.lock:
            done_rows = list(ctx.progress["rows"])
    made = sum(1 for r in done_rows if r["ok"])
    with ctx.lock:
        ctx.progress.pop("rows", None)  # in the result now; the progress stays small
    return {"name": p["name"], "created": made, "failed": len(done_rows) - made,
            "rows": done_rows}
