"""The guide's two comparison tables, generated from the packs (every cell keeps its rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import RuleBook

__all__ = ["Table", "comparison_tables", "TABLES"]

# (catalogue key of the title, row axis, rule keys). Table 1: one row per platform;
# table 2: one row per data class, one column per platform — as in the guide.
TABLES = (
    ("rules.compare_title_1", "platform",
     ("deletion.review_days", "deletion.balance_requirement", "deletion.identity_verification")),
    ("rules.compare_title_2", "data_class",
     ("data.recordings.method", "data.fan_profile.method", "data.sales.method")),
)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    sources: list[list[str]]  # rule id behind each cell (same shape as rows, first column "")

    def to_dict(self) -> dict:
        return {"title": self.title, "columns": self.columns, "rows": self.rows,
                "rules": self.sources}


def _cell(rule, on: date, lang: str) -> str:
    from ..i18n import t
    from ..vocabulary import render_text_param

    value = rule.value_at(on)
    if rule.unit == "natural_days":
        text = t("plan.units.natural_days", lang, value=value)
    else:
        text = render_text_param(value, lang)
    return f"{text}（{t(f'rules.sources.{rule.source}', lang)}）" if lang == "zh" else \
        f"{text} ({t(f'rules.sources.{rule.source}', lang)})"


def comparison_tables(book: RuleBook, platforms: list[str] | None = None, lang: str = "zh",
                      on: date | None = None) -> list[Table]:
    from ..i18n import t

    on = on or date.today()
    ids = platforms or [p for p in book.platform_ids() if book.platforms[p].comparison]
    names = [book.platforms[p].name.get(lang, book.platforms[p].name["zh"]) for p in ids]
    views = [book.platform(p) for p in ids]
    tables = []
    for title_key, axis, keys in TABLES:
        if axis == "platform":
            columns = [t("rules.head_platform", lang)] + [
                views[0].rule(k).title.get(lang, views[0].rule(k).title["zh"]) for k in keys]
            rows, sources = [], []
            for name, view in zip(names, views):
                rules = [view.find(k) for k in keys]
                rows.append([name] + [_cell(r, on, lang) if r else "—" for r in rules])
                sources.append([""] + [r.id if r else "" for r in rules])
        else:
            columns = [""] + names
            rows, sources = [], []
            for key in keys:
                label = t(f"tasks.cls.{key.split('.')[1]}", lang)
                rules = [view.find(key) for view in views]
                rows.append([label] + [_cell(r, on, lang) if r else "—" for r in rules])
                sources.append([""] + [r.id if r else "" for r in rules])
        tables.append(Table(t(title_key, lang), columns, rows, sources))
    return tables
