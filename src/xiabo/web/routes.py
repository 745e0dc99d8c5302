"""The one route table: every feature package's router, in the order they are matched.

Order matters where paths overlap: the tool pages (``/cases/{id}/export/kit``, the backup and
evidence pages) come before the case pages' ``/cases/{id}/export/{kind}``.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["ROUTES", "routers"]

ROUTES = (
    "auth.phone",        # pairing a phone (LAN mode)
    "tools.backup",
    "tools.evidence",
    "tools.exports",
    "tools.privacy",
    "tools.orders",
    "tools.tax",
    "auth.pages",        # sign in and out
    "cases.dashboard",
    "cases.wizard_pages",
    "letters.pages",
    "opinion.pages",
    "dispute.pages",
    "cases.pages",
    "admin.rules",
    "admin.pages",
    "cases.api",         # the JSON API under /api
    "letters.api",
    "dispute.api",
    "tools.payouts",     # settlement statements reconciled (page and POST /api/cases/{id}/payouts)
    "jobs.pages",        # a job's progress page, its retry, GET /api/jobs/{id}
    "jobs.bulk",         # work over many cases: /jobs/{id}, the kits' zip, POST /exports/kits
)


def routers() -> list:
    return [import_module(f".{name}", __package__).router for name in ROUTES]
