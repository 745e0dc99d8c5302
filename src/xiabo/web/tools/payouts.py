"""Payouts reconciled on the web: upload settlement statements, give the contract's split and
guarantee, see expected versus received per month (cards on a phone), and the same as JSON at
``POST /api/cases/{id}/payouts``.

The same calls as ``xiabo payouts`` (xiabo.dispute.payouts). Every statement uploaded is logged
in the case's evidence log (it is proof later); the terms typed are kept beside the case
(``<case folder>/payouts/terms.json``) so the form opens with them next time.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends
from starlette.datastructures import FormData

from ...errors import UserError
from ...i18n import t
from ...store.models import Case
from ..cases.api import _ERRORS, _same_origin
from ..context import Ctx, get_ctx, render
from ..deps import CaseId, checked_form
from ..dispute.access import case_beside_dispute
from ..forms import error_words, form_data

router = APIRouter()

SUFFIXES = (".xlsx", ".csv")
MAX_FILES = 12
TERM_FIELDS = ("split", "guarantee", "start", "end", "pay_day", "rate", "rate_per", "map")
_FIELD_MAX = 300
_STEP = re.compile(r"^\s*(?:(?P<month>\d{4}\s*[-/.年]\s*\d{1,2}\s*月?)\s*(?:起|:|：)?\s*)?"
                   r"(?P<value>[\d.,]+\s*[%％]?)\s*$")


def _text(form: FormData, name: str) -> str:
    return " ".join(str(form.get(name) or "").split())[:_FIELD_MAX]


def _steps(text: str, key: str, value_key: str) -> Any:
    """「50%」 or 「2025-01 50%, 2025-07 60%」 → what ``terms_from_dict`` takes."""
    parts = [p for p in re.split(r"[,，;；、]\s*", text) if p.strip()]
    steps = []
    for part in parts:
        found = _STEP.match(part)
        if not found:
            raise UserError("payouts.err.bad_term", {"path": t("payouts.web.title"),
                                                      "field": key, "value": part[:60]},
                            field=key, fix_key=f"payouts.fix.term_{'split' if key == 'split' else 'amount'}")
        steps.append((found["month"], found["value"].replace(",", "").replace(" ", "")))
    if len(steps) == 1 and steps[0][0] is None:
        return steps[0][1]
    return [{"from": m or "1900-01", value_key: v} for m, v in steps]


def terms_dict(fields: dict[str, str]) -> dict[str, Any]:
    """The form's boxes as a terms mapping (the same keys as a terms YAML)."""
    data: dict[str, Any] = {}
    if fields.get("split"):
        data["split"] = _steps(fields["split"], "split", "share")
    if fields.get("guarantee"):
        data["guarantee_cny"] = _steps(fields["guarantee"], "guarantee_cny", "amount")
    for key in ("start", "end"):
        if fields.get(key):
            data[key] = fields[key]
    if fields.get("pay_day"):
        try:
            data["pay_day"] = int(fields["pay_day"])
        except ValueError:
            data["pay_day"] = fields["pay_day"]
    if fields.get("rate"):
        data["interest"] = {"rate": fields["rate"],
                            "per": "year" if fields.get("rate_per") == "year" else "day"}
    return data


def _mapping(text: str) -> dict[str, str] | None:
    from ...dispute.payouts import parse_mapping

    pairs = [p.strip() for p in re.split(r"[\r\n]+", text or "") if p.strip()]
    return parse_mapping(pairs) or None


def _terms_file(case) -> Path:
    from ..uploads import case_folder

    return case_folder(case, "payouts") / "terms.json"


def _kept_fields(case) -> dict[str, str]:
    try:
        data = json.loads(_terms_file(case).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v)[:_FIELD_MAX] for k, v in data.items() if k in TERM_FIELDS} \
        if isinstance(data, dict) else {}


async def _uploads(ctx: Ctx, form: FormData) -> list[tuple[str, bytes]]:
    from ..uploads import read_files
    from .bridges import safe_filename

    files = await read_files(form, ctx.config.max_upload_bytes, "files")
    if not files:
        raise UserError("tools.upload.no_file", fix_key="tools.upload.no_file_fix")
    if len(files) > MAX_FILES:
        raise UserError("payouts.err.too_many_files", {"n": len(files), "max": MAX_FILES},
                        field="files", fix_key="payouts.fix.too_many_files")
    out = []
    kinds = "、".join(s.lstrip(".").upper() for s in SUFFIXES)
    for name, data in files:
        name = safe_filename(name)[:120]
        if Path(name).suffix.lower() not in SUFFIXES:
            raise UserError("tools.upload.bad_type", {"name": name, "kinds": kinds},
                            fix_key="tools.upload.bad_type_fix")
        if not data.strip():
            raise UserError("tools.upload.empty", {"name": name}, fix_key="tools.upload.empty_fix")
        out.append((name, data))
    return out


def reconcile_uploads(case, uploads: list[tuple[str, bytes]], terms_data: dict,
                      mapping: dict[str, str] | None, today, lang: str = "zh"):
    """Read the uploads (parked inside the case folder, then removed), reconcile, and log the
    statements in the case's evidence log; returns (result, terms, columns, logged count)."""
    import shutil
    import uuid

    from ...dispute.payouts import read_statement, reconcile, terms_from_dict
    from ...rules import load_rulebook
    from ..uploads import case_folder, shown_error
    from .bridges import add_evidence_files

    terms = terms_from_dict(terms_data, t("payouts.web.typed", lang))
    tmp = case_folder(case, "payouts") / f".upload-{uuid.uuid4().hex}"
    tmp.mkdir()
    lines, columns = [], {}
    try:
        for i, (name, data) in enumerate(uploads):
            path = tmp / f"{i}{Path(name).suffix.lower()}"
            path.write_bytes(data)
            try:
                found, cols = read_statement(path, mapping, name=name)
            except UserError as err:
                raise shown_error(err, path, name) from None
            lines += found
            columns[name] = cols
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not lines:
        raise UserError("payouts.err.no_statements", file=uploads[0][0],
                        fix_key="payouts.fix.no_statements")
    result = reconcile(lines, terms, load_rulebook(), today)
    from ...dispute.payouts.kept import keep_result
    from ...dispute.payouts.words import letter_values

    keep_result(case_folder(case, "payouts"), {
        **result.to_dict(), "files": [n for n, _ in uploads],
        "letter": {lang: letter_values(result, lang) for lang in ("zh", "en")}})
    logged = add_evidence_files(case.folder, "payouts", uploads,
                                t("payouts.web.title", lang) + "：" +
                                "、".join(n for n, _ in uploads))
    return result, terms, columns, logged


_BOXES = {"split": "split", "guarantee_cny": "guarantee", "start": "start", "end": "end",
          "pay_day": "pay_day", "interest": "rate"}


def _box_words(err: UserError, lang: str) -> None:
    """A terms error names the box the user typed into, not the YAML key behind it."""
    if err.key != "payouts.err.bad_term" or not err.params:
        return
    key = re.split(r"[\[.]", str(err.params.get("field", "")))[0]
    if key in _BOXES:
        label = t(f"payouts.web.{_BOXES[key]}", lang)
        err.params = {**err.params, "field": re.split(r"[（(]", label)[0].strip(),
                      "path": t("payouts.web.title", lang)}


def _drafts(ctx: Ctx, case) -> list:
    """The case's settlement demands still in draft: the amounts can go into them."""
    from ...cases.letters import stored_letters

    return [x for x in stored_letters(ctx.db, case.id)
            if x.kind == "settlement" and x.state == "drafted"]


def _page(ctx: Ctx, case, status_code: int = 200, fields: dict[str, str] | None = None,
          **values):
    from ...dispute.payouts.words import month_row

    result = values.get("result")
    if result is not None:
        from ...dispute.payouts.words import amount, note_lines, terms_lines
        from ...rules import load_rulebook

        book = load_rulebook()
        values["rows"] = [month_row(m, ctx.lang) for m in result.months]
        values["notes"] = [n.strip(" ·") for n in note_lines(result, book, ctx.lang)]
        values["terms_lines"] = [x.strip() for x in terms_lines(values.pop("terms"), book,
                                                                ctx.today, ctx.lang)]
        values["money"] = lambda v: amount(v, ctx.lang)
        values["unknown_text"] = ("、" if ctx.lang == "zh" else ", ").join(
            m.strftime("%Y-%m") for m in result.unknown_months)
        values["drafts"] = _drafts(ctx, case) if result.shortfall_total else []
    return render(ctx, "payouts.html", status_code=status_code, case=case,
                  fields=fields if fields is not None else _kept_fields(case),
                  mb=ctx.config.max_upload_bytes // 2**20,
                  T=lambda k, **p: t(k, ctx.lang, **p), **values)


@router.get("/cases/{case_id}/payouts", include_in_schema=False)
def payouts_page(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                 case: Case = Depends(case_beside_dispute)):
    from ...dispute.payouts.kept import kept_result
    from ..uploads import case_folder

    last = kept_result(case_folder(case, "payouts"))
    kept = None
    if last is not None:
        from ...dispute.payouts.words import amount

        kept = t("payouts.web.kept", ctx.lang, today=str(last.get("today", ""))[:10],
                 files="、".join(str(f)[:120] for f in last.get("files", [])[:12]) or "-",
                 amount=amount(Decimal(str(last.get("shortfall_total", "0"))), ctx.lang))
    return _page(ctx, case, kept=kept)


@router.post("/cases/{case_id}/payouts", include_in_schema=False)
async def payouts_check(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                        form: FormData = Depends(checked_form),
                        case: Case = Depends(case_beside_dispute)):
    from starlette.concurrency import run_in_threadpool

    fields = {k: _text(form, k) for k in TERM_FIELDS if k != "map"}
    fields["map"] = str(form.get("map") or "")[:2000]
    try:
        data, mapping = terms_dict(fields), _mapping(fields["map"])
        uploads = await _uploads(ctx, form)
        result, terms, columns, logged = await run_in_threadpool(
            reconcile_uploads, case, uploads, data, mapping, ctx.today, ctx.lang)
    except UserError as err:
        _box_words(err, ctx.lang)
        if err.fix_key in ("payouts.fix.no_header", "payouts.fix.map"):  # name the box, not --map
            err.fix_key = "payouts.web.no_header_fix"
        return _page(ctx, case, status_code=422, fields=fields,
                     name_columns=err.fix_key == "payouts.web.no_header_fix",
                     **error_words(err, ctx.lang))
    _terms_file(case).write_text(json.dumps(fields, ensure_ascii=False), "utf-8")
    return _page(ctx, case, fields=fields, result=result, terms=terms, columns=columns,
                 logged=logged)


@router.post("/api/cases/{case_id}/payouts", tags=["payouts"], responses=_ERRORS,
             dependencies=[Depends(_same_origin)])
async def api_payouts(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                      form: FormData = Depends(form_data),
                      case: Case = Depends(case_beside_dispute)) -> dict:
    """The reconciliation JSON (the keys of ``xiabo payouts --json``).

    Multipart: ``files`` (statements, xlsx/csv, repeatable), ``terms`` (the terms YAML as
    text: split, guarantee_cny, start, end, pay_day, interest), ``map`` (``列名=字段``,
    repeatable). The statements are logged in the case's evidence log."""
    import yaml
    from starlette.concurrency import run_in_threadpool

    from ...dispute.payouts import parse_mapping

    text = str(form.get("terms") or "")
    if len(text) > 64 * 1024:
        raise UserError("payouts.err.terms_yaml", {"path": "terms"}, field="terms",
                        fix_key="payouts.fix.terms_yaml")
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        raise UserError("payouts.err.terms_yaml", {"path": "terms"}, field="terms",
                        fix_key="payouts.fix.terms_yaml") from None
    mapping = parse_mapping([str(v) for v in form.getlist("map")]) or None
    uploads = await _uploads(ctx, form)
    result, _, columns, logged = await run_in_threadpool(
        reconcile_uploads, case, uploads, data if data is not None else {}, mapping, ctx.today,
        ctx.lang)
    out = result.to_dict()
    out["columns"], out["evidence_logged"] = columns, logged
    return out


@router.post("/cases/{case_id}/payouts/letter", include_in_schema=False)
def payouts_letter(case_id: CaseId, ctx: Ctx = Depends(get_ctx),
                   form: FormData = Depends(checked_form), case: Case = Depends(case_beside_dispute)):
    """Fill a drafted settlement demand's amount blanks from the case's last reconciliation."""
    from fastapi.responses import RedirectResponse

    from ...cases.letters import letter_store
    from ...dispute.payouts.kept import kept_result
    from ...letters.fill import fill_blanks
    from ..uploads import case_folder

    letter_id = str(form.get("letter") or "")[:40]
    last = kept_result(case_folder(case, "payouts"))
    if last is None or not isinstance(last.get("letter"), dict):
        raise UserError("payouts.err.no_statements", fix_key="payouts.fix.no_statements")
    with letter_store(ctx.db, case.id) as store:
        letter = store.load(letter_id)
        if letter.kind != "settlement":
            raise UserError("payouts.letter.not_settlement", {"id": letter_id},
                            fix_key="payouts.letter.not_settlement_fix")
        kept = last["letter"].get(letter.lang) or {}
        values = {str(k): str(v) for k, v in kept.items()
                  if any(str(k) in b for b in letter.blanks)}
        fill_blanks(store, letter_id, values, today=ctx.today)
    from urllib.parse import quote

    return RedirectResponse(f"/cases/{case.id}/letters/{quote(letter_id)}", status_code=303)
