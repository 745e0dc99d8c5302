"""Letters as Markdown and Word, filled from the profile and the rules.

Wording lives in ``export/templates/<lang>/letters/<kind>.md.j2`` (editable, overridable with
``XIABO_TEMPLATES``); legal bases, periods and court practice come from rule packs. A fact the
profile does not have becomes a marked blank (【待填写：…】), listed by :func:`blanks`.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..errors import UserError
from ..export.letter import BLANK_RE
from ..i18n import t

__all__ = ["render_letter", "render_followup", "render_escalation", "blanks", "to_docx",
           "kind_label", "template_name"]


def kind_label(kind: str, lang: str) -> str:
    return t(f"letters.kinds.{kind}", lang)


def template_name(kind: str) -> str:
    return "letters/" + kind.replace("-", "_") + ".md"


def blanks(markdown: str) -> list[str]:
    """The blanks left for the user, once each, in order of appearance."""
    return list(dict.fromkeys(BLANK_RE.findall(markdown)))


def _text(value, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh"))
    return str(value)


def _rule(book, rid: str, on: date, lang: str) -> dict:
    """A rule as the templates see it: title, value in words, reference, note."""
    rule = book.rule(rid)
    value = rule.value_at(on)
    if isinstance(value, list):
        words = [_text(v, lang) for v in value]
    else:
        words = _text(value, lang)
    return {"id": rid, "title": _text(rule.title, lang), "value": words, "raw": value,
            "reference": rule.reference, "unit": rule.unit,
            "note": _text(rule.note, lang) if rule.note else ""}


def _platform_rule(book, platform: str, key: str, on: date, lang: str) -> dict | None:
    """A platform's rule by key (``guild.exit.route``) as the templates see it; None when the
    platform has none or its value is unknown (the template then leaves a blank)."""
    rule = book.platform(platform).find(key)
    if rule is None or rule.unknown_at(on):
        return None
    return _rule(book, rule.id, on, lang)


def _render(lang: str, template: str, /, **context) -> str:
    from ..export.templating import render
    from .model import AGENCY_KINDS

    letter = context.get("letter")
    kind = getattr(letter, "kind", None) or context.get("kind")
    context.setdefault("to_agency", kind in AGENCY_KINDS)  # the agency's letters (rule pack)
    text = render(lang, template, **context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _base(profile, book, on: date, lang: str, kind: str) -> dict:
    from .directory import addressee

    view = book.platform(profile.platform)
    contract = profile.contract
    from .model import AGENCY_KINDS, kind_row

    guild = profile.guild
    if kind_row(kind).get("needs") == "guild":  # the guild exit's letters: bound to a guild
        if not guild.bound:
            raise UserError("letters.err.no_guild", field="guild.bound",
                            fix_key="letters.fix.no_guild")
    elif kind in AGENCY_KINDS and not contract.signed:
        raise UserError("letters.err.no_contract", field="contract.signed",
                        fix_key="letters.fix.no_contract")
    return {
        "guild": guild.name, "joined_on": guild.joined_on,
        "exit_started_on": guild.exit_started_on, "review_result_on": guild.review_result_on,
        "guild_rule": lambda key: _platform_rule(book, profile.platform, key, on, lang),
        "name": profile.name, "platform_name": _text(view.meta.name, lang),
        "agency": contract.agency, "contract_no": contract.contract_no,
        "signed_on": contract.signed_on, "contract_kind": t(f"export.letter.kinds.{contract.kind}", lang),
        "today": on, "kind_name": kind_label(kind, lang),
        "to": addressee(book, profile.platform, kind, on, lang),
        "rule": lambda rid: _rule(book, rid, on, lang),
        "penalty": f"{Decimal(contract.penalty_cny):,.2f}" if contract.penalty_cny else None,
        "provisional": lambda clock: provisional_note(clock, lang),
    }


def provisional_note(clock, lang: str) -> str:
    """The one-line reason a clock's due date is provisional, or nothing."""
    if clock is None or not clock.provisional:
        return ""
    return t("letters.provisional", lang, years="、".join(map(str, clock.years)) if lang == "zh"
             else ", ".join(map(str, clock.years)))


def render_letter(kind: str, profile, book, *, today: date, lang: str, plan=None) -> str:
    """The letter of ``kind`` as Markdown (the termination notice is xiabo export's own)."""
    if kind == "termination":
        from ..export.letter import letter_md

        if not profile.contract.signed:
            raise UserError("letters.err.no_contract", field="contract.signed",
                            fix_key="letters.fix.no_contract")
        if plan is None:
            from ..roadmap.assemble import build_plan

            plan = build_plan(profile, book, today=today, lang=lang)
        return letter_md(plan, profile)
    ctx = _base(profile, book, today, lang, kind)
    from .clocks import reply_clock

    ctx["clock"] = reply_clock(kind, today, book, profile.platform)
    return _render(lang, template_name(kind), **ctx)


def _history(letter, lang: str) -> list[str]:
    from ..export.common import fmt_date

    lines = []
    for e in letter.events:
        params = {"on": fmt_date(e.on, lang), "via": t(f"letters.via.{e.via}", lang) if e.via else "",
                  "tracking": e.tracking or "", "to": t(f"letters.escalations.{e.to}", lang)
                  if e.to else "", "n": len(e.files)}
        line = t(f"letters.history.{e.step}", lang, **params)
        if e.tracking:
            line += t("letters.history.tracking", lang, tracking=e.tracking)
        if e.evidence:
            line += t("letters.history.evidence", lang,
                      entries=", ".join(f"#{i}" for i in e.evidence))
        lines.append(line)
    return lines


def render_followup(letter, profile, book, *, today: date, lang: str) -> str:
    """A follow-up to ``letter``: what was sent when, how long ago the answer was due."""
    from .clocks import followup_clock

    ctx = _base(profile, book, today, lang, letter.kind)
    ctx.update(letter=letter, original_kind=kind_label(letter.kind, lang),
               overdue_days=letter.overdue_days(today), clock=followup_clock(today, book),
               via=t(f"letters.via.{letter.via}", lang) if letter.via else None,
               history=_history(letter, lang))
    return _render(lang, "letters/followup.md", **ctx)


def render_escalation(letter, to: str, profile, book, *, today: date, lang: str) -> str:
    """A 12315 complaint, a 12377 report or the Art. 50 lawsuit checklist, with the history."""
    from .clocks import escalation_clock
    from .directory import channel_key, escalation_channel
    from .model import AGENCY_KINDS

    agency = letter.kind in AGENCY_KINDS
    where, reference, rid = escalation_channel(book, to, today, lang, agency)
    ctx = _base(profile, book, today, lang, letter.kind)
    # the counterpart's own deadline, never an earlier escalation's clock (12315's acceptance)
    ctx.update(letter=letter, original_kind=kind_label(letter.kind, lang), where=where,
               where_reference=reference, where_rule=rid, history=_history(letter, lang),
               documents=letter.documents, clock=escalation_clock(to, today, book),
               answer_due=letter.answer_due or letter.due,
               overdue_days=letter.answer_overdue_days(today))
    return _render(lang, "letters/escalate_" + channel_key(to, agency).replace("-", "_") + ".md",
                   **ctx)


def to_docx(markdown: str, lang: str, title: str, today: date) -> bytes:
    from ..export.letter import markdown_docx

    return markdown_docx(markdown, lang, title, today)
