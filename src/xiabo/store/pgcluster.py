"""A throwaway PostgreSQL cluster for tests and benchmarks (never for real data).

Debian's ``initdb`` refuses to run as root, so as root the cluster is made and started as the
``postgres`` user in a temp dir it can write. Everything lives under that dir and is removed
on stop; the server listens on 127.0.0.1 only, on a free port, with trust auth.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["find_bindir", "free_port", "throwaway_cluster", "unavailable_reason"]


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (newest version), or None."""
    env = os.environ.get("XIABO_PG_BINDIR")
    candidates = [env] if env else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).parent))
    for cand in candidates:
        if cand and (Path(cand) / "initdb").exists() and (Path(cand) / "pg_ctl").exists():
            return Path(cand)
    return None


def unavailable_reason() -> str | None:
    """Why a throwaway cluster cannot be started here (None when it can)."""
    if find_bindir() is None:
        return "PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql to run these"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root but there is no 'postgres' user to run initdb"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], as_postgres: bool) -> None:
    if as_postgres:
        import shlex

        cmd = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(shlex.quote(c) for c in cmd)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@contextmanager
def throwaway_cluster(dbname: str = "xiabo", *, fsync: bool = False) -> Iterator[str]:
    """Start a cluster, create ``dbname``, yield its SQLAlchemy URL, stop and delete it."""
    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(unavailable_reason())
    as_postgres = os.geteuid() == 0
    tmp = Path(tempfile.mkdtemp(prefix="xiabo-pg-"))
    data = tmp / "data"
    if as_postgres:
        shutil.chown(tmp, "postgres", "postgres")
    port = free_port()
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
              "-E", "UTF8", "--locale=C.UTF-8"], as_postgres)
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c max_connections=200 "
                f"-c shared_buffers=128MB" + ("" if fsync else " -c fsync=off "
                                              "-c synchronous_commit=off -c full_page_writes=off"))
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(tmp / "log"),
              "-w", "-t", "60", "start"], as_postgres)
        try:
            import psycopg

            deadline = time.monotonic() + 30
            while True:
                try:
                    with psycopg.connect(host="127.0.0.1", port=port, user="postgres",
                                         dbname="postgres", autocommit=True) as conn:
                        conn.execute(f'CREATE DATABASE "{dbname}"')
                    break
                except psycopg.OperationalError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{dbname}"
        finally:
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                     as_postgres)
            except subprocess.CalledProcessError:
                pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
