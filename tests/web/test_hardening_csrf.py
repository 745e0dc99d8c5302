"""Finding 14: CSRF tokens are HMACs bound to the session, not a copy of a cookie."""

from __future__ import annotations

import re

from xiabo.store.users import add_user


def _token(client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)[1]


def test_a_planted_cookie_does_not_pass(web):
    # another port on the same host can set a cookie for this host; the form then carries it
    web.client.cookies.set("xiabo_csrf", "planted-by-another-port")
    r = web.client.post("/cases/import", data={"csrf": "planted-by-another-port"})
    assert r.status_code == 403
    # the real token printed in our own form works
    web.client.cookies.clear()
    token = _token(web.client, "/cases/import")
    assert token != web.client.cookies.get("xiabo_csrf")
    r = web.client.post("/cases/import", data={"csrf": token},
                        files={"file": ("x.csv", b"name\n", "text/csv")})
    assert r.status_code != 403


def test_a_token_is_bound_to_its_browser(make_web, sqlite_url):
    one, two = make_web(sqlite_url), make_web(sqlite_url)
    token_one = _token(one.client, "/cases/import")
    _token(two.client, "/cases/import")  # browser two has its own cookie
    r = two.client.post("/cases/import", data={"csrf": token_one})
    assert r.status_code == 403


def test_login_tokens_are_bound_to_the_session(make_web, sqlite_url):
    a = make_web(sqlite_url, auth=True)
    b = make_web(sqlite_url, auth=True)
    add_user(a.db, "boss", "admin", "correct horse")
    assert a.login("boss", "correct horse").status_code == 303
    assert b.login("boss", "correct horse").status_code == 303
    token_a = _token(a.client, "/cases/import")
    token_b = _token(b.client, "/cases/import")
    assert token_a != token_b
    assert b.client.post("/logout", data={"csrf": token_a}).status_code == 403
    assert b.client.post("/logout", data={"csrf": token_b}).status_code == 303


def test_the_secret_is_kept_in_the_data_folder(tmp_path, monkeypatch):
    from xiabo.web.secret import load_secret, secret_path

    monkeypatch.setenv("XIABO_HOME", str(tmp_path))
    first = load_secret()
    assert len(first) == 32 and load_secret() == first
    assert secret_path().stat().st_mode & 0o077 == 0
