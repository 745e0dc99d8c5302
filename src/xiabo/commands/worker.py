"""``xiabo worker``: run queued jobs (backups, opinion imports) from the database; start any
number, on any machine that reaches the database and shares the data folder."""

from __future__ import annotations

import click

from ..i18n import t
from ._common import CatalogueCommand, catalogue_option


@click.command(name="worker", cls=CatalogueCommand, help_key="jobs.cli.help")
@catalogue_option("--threads", default=1, show_default=True, type=click.IntRange(1, 32),
                  key="jobs.cli.opt_threads")
@catalogue_option("--once", is_flag=True, key="jobs.cli.opt_once")
@catalogue_option("--lang", default=None, envvar="XIABO_LANG", metavar="zh|en", key="cmd.opt.lang")
def cli(threads, once, lang):
    import signal
    import threading

    from ..i18n import normalise_lang
    from ..jobs import Worker
    from ..store.db import Database, _redact

    lang = normalise_lang(lang)
    db = Database(pool_size=threads + 2)
    db.require_current()
    if db.dialect == "postgresql":  # procrastinate delivers the jobs
        _serve_postgresql(db, threads, once, lang)
        return
    if once:  # every queued job, then stop (scripts, tests)
        worker, n = Worker(db), 0
        while worker.run_once():
            n += 1
        click.echo(t("jobs.worker.ran", lang, n=n))
        return
    stop = threading.Event()
    workers = [Worker(db) for _ in range(threads)]
    click.echo(t("jobs.worker.starting", lang, name=", ".join(w.name for w in workers),
                 url=_redact(db.url)))
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    running = [threading.Thread(target=w.run, args=(stop,), daemon=True) for w in workers]
    for thread in running:
        thread.start()
    while any(th.is_alive() for th in running):
        for thread in running:
            thread.join(0.5)
    click.echo(t("jobs.worker.stopped", lang))


def _serve_postgresql(db, threads: int, once: bool, lang: str) -> None:
    """The queue's worker: SIGTERM / Ctrl+C stop taking jobs and end after the current ones."""
    import asyncio

    from ..jobs.pgqueue import PgRunner
    from ..store.db import _redact

    runner = PgRunner(db, threads)
    if once:
        n = asyncio.run(runner.serve(wait=False))
        click.echo(t("jobs.worker.ran", lang, n=n))
        return
    click.echo(t("jobs.worker.starting", lang, name=runner.name, url=_redact(db.url)))
    asyncio.run(runner.serve())
    click.echo(t("jobs.worker.stopped", lang))
