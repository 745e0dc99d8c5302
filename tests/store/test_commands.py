"""``xiabo db``, ``xiabo users`` and ``xiabo serve``'s refusals, run in-process."""

from __future__ import annotations

import json


def test_db_current_upgrade_and_serve_refusal(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("XIABO_DATABASE_URL", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    r = cli("serve", "--port", "1")
    assert r.code == 2 and "xiabo db upgrade" in r.err
    r = cli("db", "current", "--json")
    assert r.code == 1 and json.loads(r.out)["up_to_date"] is False
    r = cli("db", "upgrade")
    from xiabo.store.db import Database

    assert r.code == 0 and Database(f"sqlite:///{tmp_path / 'x.sqlite3'}").head_revision() in r.out
    r = cli("db", "current", "--lang", "en")
    assert r.code == 0 and "Up to date" in r.out


def test_users_add_list_passwd_remove(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("XIABO_DATABASE_URL", f"sqlite:///{tmp_path / 'u.sqlite3'}")
    assert cli("db", "upgrade").code == 0
    r = cli("users", "list")
    assert r.code == 0 and "单用户模式" in r.out
    r = cli("users", "add", "boss", "--role", "admin", "--password-stdin", stdin="s3cret-pass\n")
    assert r.code == 0 and "boss" in r.out
    r = cli("users", "add", "amy", "--role", "streamer", "--password-stdin", stdin="violet-harbor-57\n")
    assert r.code == 2 and "--case" in r.err
    r = cli("users", "add", "bad", "--role", "operator", "--password-stdin", stdin="short\n")
    assert r.code == 2 and "密码太短" in r.err
    r = cli("users", "add", "x", "--role", "operator", "--password-stdin", stdin="\n")
    assert r.code == 2
    r = cli("users", "list", "--json")
    assert json.loads(r.out) == [{"name": "boss", "role": "admin", "case": None, "cases": []}]
    r = cli("users", "passwd", "boss", "--password-stdin", stdin="new-password\n")
    assert r.code == 0
    from xiabo.store.db import Database
    from xiabo.store.users import authenticate

    db = Database()
    assert authenticate(db, "boss", "new-password", "t") is not None
    db.dispose()
    assert cli("users", "remove", "boss").code == 0
    assert cli("users", "remove", "boss").code == 2


def test_agency_mode_needs_an_admin_first(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("XIABO_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert cli("db", "upgrade").code == 0
    r = cli("serve", "--host", "0.0.0.0", "--port", "1")
    assert r.code == 2 and "xiabo users add" in r.err
    r = cli("serve", "--agency", "--port", "1", "--lang", "en")
    assert r.code == 2 and "admin" in r.err


def test_users_list_names_an_operators_cases(cli, monkeypatch, tmp_path):
    from datetime import date

    import yaml
    from tests.conftest import EXAMPLES

    from xiabo.cases import stored
    from xiabo.store import cases as repo
    from xiabo.store.db import Database

    monkeypatch.setenv("XIABO_DATABASE_URL", f"sqlite:///{tmp_path / 'u.sqlite3'}")
    assert cli("db", "upgrade").code == 0
    profile = yaml.safe_load((EXAMPLES / "kuaishou.yaml").read_text(encoding="utf-8"))
    case = stored.create_case(Database(), profile, today=date(2026, 12, 1), actor=repo.Actor())
    r = cli("users", "add", "amy", "--role", "operator", "--case", str(case.id),
            "--password-stdin", stdin="violet-harbor-57\n")
    assert r.code == 0, r.err
    listed = cli("users", "list").out
    row = next(line for line in listed.splitlines() if line.startswith("amy"))
    assert row.endswith("1 个：小美的直播间"), listed
