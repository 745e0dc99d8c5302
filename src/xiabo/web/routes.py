"""The one route table: every feature package's router, in the order they are matched.

Order matters where paths overlap: the tool pages (``/cases/{id}/export/kit``, the backup and
evidence pages) come before the case pages' ``/cases/{id}/export/{kind}``.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["ROUTES", "routers"]

ROUTES = (
    # the most asked-for pages first, so finding them scans two routers instead of fifteen:
    # the case page (``/cases/{case_id:int}``: only digits, so ``/cases/new`` and the like
    # still reach their own routes) and the dashboard (literal paths no other route has)
    "cases.pages:first",
    "cases.dashboard",
    "auth.phone",        # pairing a phone (LAN mode)
    "tools.backup",
    "tools.evidence",
    "tools.exports",
    "tools.privacy",
    "tools.orders",
    "tools.tax",
    "auth.pages",        # sign in and out
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
    """Each entry's router: ``module`` names its ``router``, ``module:name`` another one."""
    found = []
    for entry in ROUTES:
        module, _, name = entry.partition(":")
        found.append(getattr(import_module(f".{module}", __package__), name or "router"))
    return found
