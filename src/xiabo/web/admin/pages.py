"""Admin pages: the audit log (who changed what, when)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from ..context import Ctx, get_ctx, render, require_role

router = APIRouter(include_in_schema=False)


@router.get("/admin/audit")
async def audit_page(page: int = Query(1, ge=1, le=100000),
               case: int | None = Query(None, ge=1, le=2**31 - 1), ctx: Ctx = Depends(get_ctx)):
    from ...store.users import audit_entries

    require_role(ctx, "admin")
    page = max(1, min(page, 100000))
    from ...i18n import t

    entries, total = audit_entries(ctx.db, page=page, per_page=100, case_id=case)
    # the security.* words in full (the page's _() reads web.* keys)
    who = {"anonymous": lambda ip: t("security.audit.anonymous", ctx.lang, ip=ip),
           "console": t("security.audit.console", ctx.lang)}
    return render(ctx, "audit.html", entries=entries, total=total, page=page,
                  pages=max(1, -(-total // 100)), case_filter=case, who=who)


@router.get("/admin/users")
async def users_page(ctx: Ctx = Depends(get_ctx)):
    from ...store.users import list_users

    require_role(ctx, "admin")
    return render(ctx, "users.html", users=list_users(ctx.db))
