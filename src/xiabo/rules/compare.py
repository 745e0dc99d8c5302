"""The platform comparison, generated from the packs: one column per platform, one row per rule
key, every cell with how sure its value is (the rule's ``quality``) and the rule behind it.

The guide's two tables (表一 deletion, 表二 data) come first, then what the guide does not
compare (money, the guild route, overseas income). A platform whose pack has no rule for a key
says so (「未收录」); an unknown value shows what to check in the app, never a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import RuleBook, is_unknown

__all__ = ["Table", "comparison_tables", "TABLES", "cell_text"]

# (catalogue key of the title, rule keys): each table has one row per key, one column per platform
TABLES = (
    ("rules.compare_title_1",
     ("deletion.path", "deletion.preconditions", "deletion.review_days", "deletion.blocked_by",
      "deletion.reactivation_days", "deletion.balance_requirement",
      "deletion.identity_verification")),
    ("rules.compare_title_2",
     ("data.download.channel", "data.recordings.method", "data.fan_profile.method",
      "data.sales.method")),
    ("rules.compare_title_3",
     ("finance.withdrawal", "finance.revenue_share", "finance.foreign_income",
      "guild.exit.route")),
)


@dataclass
class Table:
    title: str
    columns: list[str]  # the row label's head, then one platform name per column
    rows: list[list[str]]  # the row's label, then one cell per platform
    sources: list[list[str]]  # rule id behind each cell (same shape as rows, first column "")
    qualities: list[list[str]]  # each cell's quality (official … unknown; "" when no rule)

    def to_dict(self) -> dict:
        return {"title": self.title, "columns": self.columns, "rows": self.rows,
                "rules": self.sources, "qualities": self.qualities}


def cell_text(rule, on: date, lang: str) -> str:
    """A rule's value in words with how sure it is: 「7 个自然日（二手资料 · 攻略）」; an unknown
    value is only the words that say what to check."""
    from ..i18n import t
    from ..vocabulary import rule_value

    text = rule_value(rule, lang, on)
    if rule.unknown or is_unknown(rule.value_at(on)):
        return text
    how = f"{t(f'rules.quality.{rule.quality}', lang)} · {t(f'rules.sources.{rule.source}', lang)}"
    return f"{text}（{how}）" if lang == "zh" else f"{text} ({how})"


def _label(book: RuleBook, views, key: str, lang: str) -> str:
    """The row's name: the catalogue's words for the key, else the first pack's title."""
    from ..i18n import lookup

    found = lookup(f"rules.compare_rows.{key.replace('.', '_')}", lang)
    if found:
        return found
    for view in views:
        rule = view.find(key)
        if rule is not None:
            return rule.title.get(lang, rule.title["zh"])
    return key


def comparison_tables(book: RuleBook, platforms: list[str] | None = None, lang: str = "zh",
                      on: date | None = None) -> list[Table]:
    from ..i18n import t

    on = on or date.today()
    ids = platforms or [p for p in book.platform_ids() if book.platforms[p].comparison]
    names = [book.platforms[p].name.get(lang, book.platforms[p].name["zh"]) for p in ids]
    views = [book.platform(p) for p in ids]
    missing = t("rules.not_recorded", lang)
    tables = []
    for title_key, keys in TABLES:
        rows, sources, qualities = [], [], []
        for key in keys:
            found = [view.find(key) for view in views]
            if not any(found):
                continue
            rows.append([_label(book, views, key, lang)]
                        + [cell_text(r, on, lang) if r else missing for r in found])
            sources.append([""] + [r.id if r else "" for r in found])
            qualities.append([""] + [r.quality if r else "" for r in found])
        if rows:
            tables.append(Table(t(title_key, lang), [t("rules.head_rule", lang)] + names, rows,
                                sources, qualities))
    return tables
