"""Plugs the "no terminal, reach from the phone" pages into the app (one call in create_app).

Backup jobs, the evidence log, exports (with the announcement kit), phone pairing and the web
app manifest. The routers come before the case pages so ``/cases/{id}/export/kit`` is ours.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

__all__ = ["install"]


def install(app: FastAPI) -> None:
    from . import pages_backup, pages_evidence, pages_exports, pages_pairing
    from .pairing import PairingRequired

    for module in (pages_pairing, pages_backup, pages_evidence, pages_exports):
        app.include_router(module.router)

    @app.exception_handler(PairingRequired)
    async def _pair(request: Request, exc: PairingRequired):
        from ..i18n import normalise_lang, t
        from ..store.cases import Actor
        from .context import Ctx, render

        lang = normalise_lang(request.query_params.get("lang")
                              or request.cookies.get("xiabo_lang"))
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "reach.pair.needed",
                                 "message": t("reach.pair.needed", lang)}, status_code=401)
        ctx = Ctx(request, request.app.state.config, lang, Actor(role="anonymous"), "", False,
                  False)
        return render(ctx, "pair.html", status_code=401, token="", state="needed")
