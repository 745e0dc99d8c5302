"""The addressee directory: where each kind of letter goes on each platform (rule data).

Entries are rules ``<platform>.letters.directory.<kind>`` falling back to
``common.letters.directory.<kind>``; a value the packs do not know is the word ``unknown`` and
is shown as such (未知), never guessed. An overlay with the same rule id fills it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import t

__all__ = ["Addressee", "addressee", "escalation_channel", "channel_key", "CHANNEL_RULES"]


@dataclass(frozen=True)
class Addressee:
    channel: str       # words: 「App 内客服」/「邮寄」/「未知」
    route: str
    address: str
    difficulty: str
    checked: date
    reference: str
    verified: bool
    rule: str
    known: bool        # whether the packs say anything beyond "unknown"
    line: str = ""     # one line for a page: what is known, then what is not and where to look


def _text(value, lang: str) -> str | None:
    if value is None or value == "unknown":
        return None
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh"))
    return str(value)


def addressee(book, platform: str, kind: str, on: date, lang: str) -> Addressee:
    """The directory entry for a letter of ``kind`` to ``platform`` (or its agency)."""
    rule = book.platform(platform).rule(f"letters.directory.{kind.replace('-', '_')}")
    value = rule.value_at(on)
    # what is not known says where to find it (the contract, or the platform's privacy policy)
    from .model import AGENCY_KINDS

    whose = "agency" if kind in AGENCY_KINDS else "platform"
    unknown = t(f"letters.unknown_where.{whose}", lang)
    channel = value.get("channel", "unknown")
    difficulty = value.get("difficulty", "unknown")
    route = _text(value.get("route"), lang)
    address = _text(value.get("address"), lang)
    channel_text = t(f"letters.channels.{channel}", lang) if channel != "unknown" else None
    missing = [t(f"letters.unknown_parts.{name}", lang) for name, text in
               (("channel", channel_text), ("route", route), ("address", address)) if not text]
    known_parts = [text for text in (channel_text, route, address) if text]
    line = " · ".join(known_parts)
    if missing:
        line += ("；" if lang == "zh" and line else "; " if line else "") + t(
            "letters.unknown_line", lang, what=t("letters.unknown_joiner", lang).join(missing),
            where=t(f"letters.unknown_source.{whose}", lang))
    return Addressee(
        channel=channel_text or unknown,
        route=route or unknown,
        address=address or unknown,
        difficulty=t("letters.difficulty", lang, n=difficulty) if difficulty != "unknown"
        else t("letters.difficulty_unknown", lang),
        checked=rule.last_verified, reference=rule.reference, verified=rule.verified,
        rule=rule.id, known=channel != "unknown" or route is not None or address is not None,
        line=line)


CHANNEL_RULES = {"12315": "common.letters.escalation.complaint_12315",
                 "12377": "common.letters.escalation.report_12377",
                 "court": "common.letters.escalation.lawsuit",
                 "court-contract": "common.letters.escalation.court_contract",
                 "labour-arbitration": "common.letters.escalation.labour_arbitration",
                 "arbitration": "common.letters.escalation.arbitration_clause"}


def channel_key(to: str, agency: bool) -> str:
    """The channel's key: a court for an agency letter is a contract suit, not PIPL Art. 50."""
    return "court-contract" if to == "court" and agency else to


def escalation_channel(book, to: str, on: date, lang: str, agency: bool = False
                       ) -> tuple[str, str, str]:
    """(where, reference, rule id) for an escalation channel (rule data with its source)."""
    rid = CHANNEL_RULES[channel_key(to, agency)]
    rule = book.rule(rid)
    return _text(rule.value_at(on), lang) or "", rule.reference, rid
