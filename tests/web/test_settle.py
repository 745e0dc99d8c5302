"""A server process builds what every page needs before its first request, then freezes it."""

from __future__ import annotations

import gc

import pytest


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # what the test froze is collected again


def test_settle_compiles_every_page_and_freezes_what_exists(unfrozen, monkeypatch):
    from xiabo.cases import planning
    from xiabo.web.context import _lang_env
    from xiabo.web.settle import settle

    assert gc.get_freeze_count() == 0
    planning.reset_rulebook()  # as in a new process: nothing loaded, nothing compiled
    for lang in ("zh", "en"):
        _lang_env(lang).cache.clear()
    settle()
    assert gc.get_freeze_count() > 10_000  # the modules, the rule book, the templates
    assert planning._BOOK is not None  # the rule book is loaded
    for lang in ("zh", "en"):
        env = _lang_env(lang)

        def no_loading(*_a, **_k):
            raise AssertionError("a template was compiled after settle()")

        monkeypatch.setattr(env.loader, "get_source", no_loading)
        for name in ("case.html", "case_fold.html", "dashboard.html", "base.html"):
            env.get_template(name)  # from the cache: the loader is not asked


def test_a_worker_settles_before_it_serves(unfrozen, monkeypatch, tmp_path):
    """``xiabo.web.asgi:create`` (every worker process) calls settle() once."""
    import xiabo.web.settle as settle_module
    from xiabo.web import asgi

    calls = []
    monkeypatch.setattr(settle_module, "settle", lambda: calls.append(1))
    monkeypatch.setenv("XIABO_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("XIABO_WEB_AUTH", "1")
    monkeypatch.setenv("XIABO_INPROCESS_WORKER", "0")
    from xiabo.store.db import Database

    db = Database()
    db.upgrade()
    db.dispose()
    app = asgi.create()
    app.state.db.dispose()
    assert calls == [1]
