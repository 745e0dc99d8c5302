"""Letters in the web: the case page's section, pages to draft and follow one letter, and the
dashboard's bulk "draft follow-ups for the selected cases". Same operations as the CLI
(:mod:`xiabo.letters.service`), on the store (:class:`xiabo.cases.letter_store.DbStore`)."""

from __future__ import annotations

import json
from urllib.parse import quote

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from ...errors import UserError
from ...letters import model as _letter_model
from ...store.models import Case
from ..context import Ctx, _env, get_ctx, render, require_role
from ..deps import CaseId, checked_form, visible_case
from ..downloads import NOSNIFF, download_response
from ..forms import parse_date_field
from ..uploads import read_files

router = APIRouter(include_in_schema=False)

MAX_REPLY_FILE = 20 * 2**20


def _profile(case):
    from ...roadmap.profile import profile_from_dict

    return profile_from_dict(json.loads(case.profile_json))


def _book():
    from ...cases import rulebook

    return rulebook()


def _store(ctx: Ctx, case_id: int):
    from ...cases.letters import letter_store

    return letter_store(ctx.db, case_id)


def letter_rows(ctx: Ctx, case) -> list[dict]:
    """The case page's rows: each letter with its clock (a Jinja global, see below)."""
    from ...letters.summary import row
    from ...store.satellites import satellites

    known = satellites(case)  # counted with the case on its page: no question for none
    if known is not None and known.letters == 0:
        return []
    with _store(ctx, case.id) as store:
        letters = store.all()
    out = []
    for letter in letters:
        r = row(letter, ctx.today)
        r["kind_label"] = ctx._(f"letters.kinds.{letter.kind}")
        r["state_label"] = ctx._(f"letters.states.{r['state']}")
        out.append(r)
    return out


_env().globals["letter_rows"] = letter_rows
_env().globals["letter_kinds"] = _letter_model.KINDS  # the letters rule pack's list


def _back(case_id: int, letter_id: str | None = None, msg: str | None = None):
    url = f"/cases/{case_id}/letters/{quote(letter_id)}" if letter_id else \
        f"/cases/{case_id}?show=documents#letters"
    if msg:
        url += ("&" if "?" in url else "?") + f"msg={quote(msg)}"
    return RedirectResponse(url, status_code=303)


@router.get("/cases/{case_id}/letters/new")
def new_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    from ...letters.directory import addressee

    book = _book()
    kinds = []
    for kind in _env().globals["letter_kinds"]:
        kinds.append({"kind": kind, "label": ctx._(f"letters.kinds.{kind}"),
                      "to": addressee(book, case.platform, kind, ctx.today, ctx.lang)})
    return render(ctx, "letters_new.html", case=case, kinds=kinds)


@router.post("/cases/{case_id}/letters")
def draft_letter(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from ...cases import letters

    letter = letters.draft(ctx.db, case, str(form.get("kind") or ""), today=ctx.today,
                           lang=ctx.lang, actor=ctx.actor)
    return _back(case_id, letter.id)


@router.get("/cases/{case_id}/letters/{letter_id}")
def show_page(case_id: CaseId, letter_id: str, msg: str | None = None,
              ctx: Ctx = Depends(get_ctx), case: Case = Depends(visible_case)):
    from ...letters.directory import addressee
    from ...letters.render import _history
    from ...letters.summary import row

    with _store(ctx, case_id) as store:
        letter = store.load(letter_id)
    r = row(letter, ctx.today)
    rule = _book().rules.get(letter.due_rule or "")
    message = ctx._(f"letters.web.msg.{msg}") if msg in ("sent", "reply", "followup",
                                                          "escalate", "closed", "fill") else None
    return render(ctx, "letters_show.html", case=case, letter=letter, r=r,
                  state_label=ctx._(f"letters.states.{r['state']}"),
                  kind_label=ctx._(f"letters.kinds.{letter.kind}"),
                  history=_history(letter, ctx.lang), due_reference=rule.reference if rule else "",
                  to=addressee(_book(), case.platform, letter.kind, ctx.today, ctx.lang),
                  next_step=r["next"], message=message)


@router.get("/cases/{case_id}/letters/{letter_id}/files/{name}")
def download(case_id: CaseId, letter_id: str, name: str, ctx: Ctx = Depends(get_ctx),
             case: Case = Depends(visible_case)):
    with _store(ctx, case_id) as store:
        letter = store.load(letter_id)
        names = {d["name"] for d in letter.documents}
        stem = name[:-5] if name.endswith(".docx") else None
        if name in names:
            data = store.read_doc(letter, name)
        elif stem and f"{stem}.md" in names:  # a bulk follow-up: Word made on download
            from ...letters.render import to_docx

            markdown = store.read_doc(letter, f"{stem}.md").decode("utf-8")
            data = to_docx(markdown, letter.lang, markdown.splitlines()[0].lstrip("# "),
                           ctx.today)
        else:
            raise UserError("letters.err.file_missing", {"file": name[:100]},
                            fix_key="letters.fix.file_missing")
    media = {"md": "text/markdown; charset=utf-8", "json": "application/json",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
             }.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    return download_response(f"{letter_id}-{name}", data, media, headers=NOSNIFF)


@router.post("/cases/{case_id}/letters/{letter_id}/{step}")
async def step(case_id: CaseId, letter_id: str, step: str, ctx: Ctx = Depends(get_ctx),
               form: FormData = Depends(checked_form), case: Case = Depends(visible_case)):
    from starlette.concurrency import run_in_threadpool

    from ...cases.letters import STEPS

    if step not in (*STEPS, "fill"):
        raise UserError("letters.err.unknown_step", {"step": step[:40], "steps": ", ".join(STEPS)},
                        field="step", fix_key="letters.fix.unknown_step")
    uploads = await read_files(form, MAX_REPLY_FILE) if step == "reply" else []
    await run_in_threadpool(_do_step, ctx, case, letter_id, step, form, uploads)
    return _back(case_id, letter_id, "closed" if step == "close" else step)


def _do_step(ctx: Ctx, case: Case, letter_id: str, step: str, form: FormData,
             uploads: list[tuple[str, bytes]]) -> None:
    import shutil
    import tempfile
    from pathlib import Path as FsPath

    from ...cases import letters
    from ..tools.bridges import safe_filename

    if step == "fill":  # the draft's 【待填写】 blanks, by number; files made again
        from ...letters.fill import fill_blanks

        values = {key[6:]: str(form.get(key) or "") for key in form.keys()
                  if key.startswith("blank-") and key[6:].isdigit()}
        with _store(ctx, case.id) as store:
            fill_blanks(store, letter_id, values, today=ctx.today)
        return
    tmp = FsPath(tempfile.mkdtemp(prefix="xiabo-reply-")) if uploads else None
    try:
        paths = []
        for i, (name, data) in enumerate(uploads):
            path = tmp / f"{i}-{safe_filename(name)}"
            path.write_bytes(data)
            paths.append(path)
        letters.step(ctx.db, case, letter_id, step, today=ctx.today, actor=ctx.actor,
                     on=parse_date_field(form.get("on"), "on"),
                     via=str(form.get("via") or "") or None,
                     tracking=str(form.get("tracking") or "").strip() or None,
                     to=str(form.get("to") or ""), files=paths)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


@router.post("/letters/followups")
def bulk(ctx: Ctx = Depends(get_ctx), form: FormData = Depends(checked_form)):
    """Queue a ``letters-followup`` job for the ticked cases (``xiabo.jobs.followups``); its
    page counts the cases and leads back to the dashboard's "n drafted"."""
    from ..jobs.bulk import enqueue_bulk, selected_cases, to_job_page

    require_role(ctx, "admin", "operator")
    ids = selected_cases(ctx, form)
    if not ids:
        return RedirectResponse("/cases?letters_drafted=0", status_code=303)
    return to_job_page(enqueue_bulk(ctx, "letters-followup", {"case_ids": ids}))


def with_letters_column(render_rows, ctx: Ctx, rows):
    """The dashboard's case rows with one more cell: the case's overdue letters, with a box to
    select the case for the bulk follow-up (counted by the page's own query)."""
    from markupsafe import Markup

    counts = {r.id: r.letters_overdue for r in rows if r.letters_overdue}  # list_cases counts

    def wrapped(rows_, **kw):
        parts = str(render_rows(rows_, **kw)).split("</tr>")
        out = []
        for r, part in zip(rows_, parts):
            n = counts.get(r.id, 0)
            cell = (f'<td class="num"><label><input type="checkbox" name="case" value="{int(r.id)}"'
                    f' form="bulk-followups"> {n}</label></td>') if n else "<td></td>"
            out.append(part + cell + "</tr>")
        out.extend(parts[len(rows_):])
        return Markup("".join(out))

    wrapped.counts = counts
    return wrapped
