"""User-facing errors: bad input is reported, never raised as a traceback.

A ``UserError`` names the file, the field and the fix. The CLI prints it and exits with code 2
(``VerificationFailed`` exits with 1: the input was fine, the thing checked was not).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class UserError(Exception):
    """Bad input. ``key`` is a message-catalogue key; ``params`` fill it in."""

    key: str
    params: dict | None = None
    file: str | None = None
    field: str | None = None
    fix_key: str | None = None
    exit_code: int = 2

    def __str__(self) -> str:  # pragma: no cover - for debugging only
        return self.render("en")

    def render(self, lang: str = "zh") -> str:
        """Format the message in ``lang`` with file, field and fix lines."""
        from .i18n import t

        params = dict(self.params or {})
        lines = [t(self.key, lang, **params)]
        if self.file:
            lines.append(t("errors.file", lang, file=self.file))
        if self.field:
            lines.append(field_line(self.field, lang))
        if self.fix_key:
            lines.append(t("errors.fix", lang, fix=t(self.fix_key, lang, **params)))
        return "\n".join(lines)


def field_line(field: str, lang: str) -> str:
    """Where the mistake is, in words: a command-line option (「选项：--on」), an argument by
    what it is (``TASK`` → 「你写的任务」), or a field of a file (「字段：contract.notice_days」)."""
    from .i18n import t

    if field.startswith("-"):
        return t("errors.option", lang, option=field)
    if field.isupper() or field.replace("_", "").isupper():
        from .clicktext import metavar_words

        return t("errors.argument", lang, what=metavar_words(field, lang))
    return t("errors.field", lang, field=field)


class VerificationFailed(UserError):
    """A check ran and found a problem (exit code 1)."""

    def __init__(self, key: str, params: dict | None = None, **kw):
        super().__init__(key, params, exit_code=1, **kw)
