"""Turn OS errors at a destination into plain words: disk full, no permission, disk gone."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

from ..errors import UserError

__all__ = ["BackupFailed", "DestFailure", "reason_of"]

_REASONS = {
    "nospace": {errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG},
    "permission": {errno.EACCES, errno.EPERM, errno.EROFS},
    "gone": {
        errno.EIO, errno.ENOTCONN, errno.ENODEV, errno.ENXIO, errno.ENOENT,
        getattr(errno, "ESTALE", -2), getattr(errno, "EHOSTDOWN", -3), errno.EHOSTUNREACH,
        errno.ENETDOWN, errno.ENETUNREACH, errno.ETIMEDOUT, errno.ECONNRESET,
    },
    "bad_name": {errno.ENAMETOOLONG, errno.EINVAL, getattr(errno, "EILSEQ", -4)},
}


def reason_of(err: OSError) -> str:
    """The catalogue word for an error: nospace, permission, gone, bad_name or other."""
    for reason, codes in _REASONS.items():
        if err.errno in codes:
            return reason
    return "other"


@dataclass
class DestFailure:
    dest: str
    reason: str  # see reason_of
    path: str | None
    detail: str


@dataclass
class BackupFailed(UserError):
    """One or more destinations failed; the others (``done``) hold complete bags."""

    failures: list[DestFailure] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    def render(self, lang: str = "zh") -> str:
        from ..i18n import t

        lines = []
        for f in self.failures:
            lines.append(
                t("backup.errors.dest_failed", lang, dest=f.dest,
                  reason=t(f"backup.reasons.{f.reason}", lang), detail=f.detail)
            )
            if f.path:
                lines.append(t("errors.file", lang, file=f.path))
            lines.append(t("errors.fix", lang, fix=t(f"backup.fixes.{f.reason}", lang)))
        lines.append(t("backup.errors.nothing_left", lang))
        if self.done:
            lines.append(t("backup.errors.others_done", lang, bags=", ".join(self.done)))
            lines.append(t("backup.errors.retry_failed_only", lang,
                           dests=" ".join(f"--to {f.dest}" for f in self.failures)))
        return "\n".join(lines)


def failed(failures: list[DestFailure], done: list[str]) -> BackupFailed:
    return BackupFailed("backup.errors.dest_failed", {}, failures=failures, done=done)
