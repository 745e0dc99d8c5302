"""Quotes anyone can check: each rule's citations against the statute texts bundled in ``laws/``.

A citation names a text (``title``), and for statutes the article and a quote. A quote from a
bundled text must be found verbatim, whitespace aside, in that article. A text that is not
bundled (an announcement, a standard, a judgment, a platform page) is cited by title, issuer,
date, number and where it was read; its quote cannot be checked here, and a rule is never
"verified" without a quote. :func:`audit` gives one row per rule for ``xiabo rules audit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["LAWS_DIR", "STATUTE_KINDS", "Check", "AuditRow", "article_text", "check_citation",
           "audit", "problems", "cn_number"]

LAWS_DIR = Path(__file__).parent / "laws"
# kinds of text whose citation must carry the article and a quote found in it
STATUTE_KINDS = ("law", "regulation", "judicial_interpretation", "department_rule")
# what a citation of a text that is not bundled must say about where it comes from
UNBUNDLED_FIELDS = ("issuer", "date", "number", "read_at")

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_HEADING = re.compile(r"^第([零〇一二两三四五六七八九十百千]+)条(?:\s|　|$)")
_SECTION = re.compile(r"^#|^第[零〇一二两三四五六七八九十百千]+[章节编分]")
_SPACE = re.compile(r"\s+")


def cn_number(text: str) -> int:
    """Chinese numerals as used in article numbers: 五百八十四 → 584, 十四 → 14."""
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        else:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
    return total + digit


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


@cache
def _files() -> dict[str, tuple[Path, ...]]:
    """Bundled texts by title: the file name before its date; 民法典-总则 also under 民法典."""
    out: dict[str, list[Path]] = {}
    for path in sorted(LAWS_DIR.glob("*.md")):
        if path.name == "README.md":
            continue
        stem = path.stem.split("(")[0]
        out.setdefault(stem, []).append(path)
        if "-" in stem:
            out.setdefault(stem.split("-")[0], []).append(path)
    return {k: tuple(v) for k, v in out.items()}


@cache
def _articles(path: Path) -> dict[int, str]:
    """Article number → its text (heading included) for one bundled file."""
    articles: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        match = _HEADING.match(stripped)
        if match:
            current = articles.setdefault(cn_number(match.group(1)), [])
            current.append(stripped)
        elif _SECTION.match(stripped):
            current = None
        elif current is not None and stripped:
            current.append(stripped)
    return {n: "\n".join(lines) for n, lines in articles.items()}


def bundled(title: str) -> bool:
    return title in _files()


def article_text(title: str, article: int) -> str | None:
    """The article's text in the bundled copy of ``title``; None if not bundled or not there."""
    for path in _files().get(title, ()):
        found = _articles(path).get(int(article))
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Check:
    """One citation checked: ``status`` is found | not_found | no_article | not_bundled |
    no_quote | unsourced (a text not bundled that lacks title, issuer, date, number or where read)."""

    title: str
    kind: str
    article: int | None
    status: str
    detail: str = ""


def check_citation(cite: dict) -> Check:
    title, kind = str(cite.get("title", "")), str(cite.get("kind", ""))
    article = cite.get("article")
    quotes = cite.get("quote")
    quotes = [quotes] if isinstance(quotes, str) else list(quotes or [])
    if bundled(title):
        if article is None:
            return Check(title, kind, None, "no_article")
        text = article_text(title, article)
        if text is None:
            return Check(title, kind, article, "no_article", f"no 第{article}条 in {title}")
        if not quotes:
            return Check(title, kind, article, "no_quote")
        body = _squash(text)
        for q in quotes:
            if _squash(q) not in body:
                return Check(title, kind, article, "not_found", q)
        return Check(title, kind, article, "found")
    if kind == "xiabo":  # xiabo's own default: nothing to quote
        return Check(title, kind, article, "no_quote")
    missing = [f for f in UNBUNDLED_FIELDS if not cite.get(f)]
    if missing:
        return Check(title, kind, article, "unsourced", ", ".join(missing))
    return Check(title, kind, article, "not_bundled" if quotes else "no_quote")


@dataclass(frozen=True)
class AuditRow:
    id: str
    source: str
    kinds: tuple[str, ...]
    quote: str  # found | not_found | not_bundled | no_quote | unsourced | none (no citation)
    verified: bool
    last_verified: str
    checks: tuple[Check, ...]
    problems: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"id": self.id, "source": self.source, "kinds": list(self.kinds),
                "quote": self.quote, "verified": self.verified,
                "last_verified": self.last_verified,
                "citations": [{"title": c.title, "kind": c.kind, "article": c.article,
                               "status": c.status, "detail": c.detail} for c in self.checks],
                "problems": list(self.problems)}


_WORST = ("not_found", "no_article", "unsourced", "no_quote", "not_bundled", "found")


def _row(rule) -> AuditRow:
    checks = tuple(check_citation(c) for c in rule.citations)
    found: list[str] = []
    for c in checks:
        if c.status == "not_found":
            found.append(f"quote not in {c.title} 第{c.article}条: {c.detail}")
        elif c.status == "no_article":
            found.append(f"{c.title}: {c.detail or 'no article given'}")
        elif c.status == "unsourced":
            found.append(f"{c.title}: missing {c.detail}")
        elif c.status == "no_quote" and bundled(c.title):
            found.append(f"{c.title} 第{c.article}条: no quote")
    if rule.source == "law" and not any(c.kind in STATUTE_KINDS or c.kind == "announcement"
                                        for c in checks):
        found.append("source is law but no statute or announcement is cited")
    if rule.verified and checks and not all(c.status in ("found", "not_bundled") or
                                            c.kind == "xiabo" for c in checks):
        found.append("verified without a quote for every citation")
    if rule.verified and not checks:
        found.append("verified without any citation")
    statuses = [c.status for c in checks]
    quote = next((s for s in _WORST if s in statuses), "none")
    return AuditRow(rule.id, rule.source, tuple(dict.fromkeys(c.kind for c in checks)), quote,
                    rule.verified, rule.last_verified.isoformat(), checks, tuple(found))


def audit(book) -> list[AuditRow]:
    """One row per rule of the book, by id."""
    return [_row(r) for r in sorted(book.rules.values(), key=lambda r: r.id)]


def problems(book) -> list[str]:
    """Every audit problem as ``rule id: problem`` (empty: every quote checks out)."""
    return [f"{row.id}: {p}" for row in audit(book) for p in row.problems]
