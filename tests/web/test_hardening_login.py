"""Finding 2 (atomic login rate limit), 10 (password rules), 11 (anonymous audit label)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from xiabo.errors import UserError
from xiabo.store import users


@pytest.fixture
def store(any_db_url):
    from xiabo.store.db import Database

    db = Database(any_db_url, pool_size=20)
    yield db
    db.dispose()


def test_simultaneous_guesses_get_at_most_the_limit_of_password_checks(store, monkeypatch):
    users.add_user(store, "boss", "admin", "correct horse")
    checked: list[str] = []
    lock = threading.Lock()
    real = users.verify_password

    def slow_verify(stored: str, password: str) -> bool:
        with lock:
            checked.append(password)
        time.sleep(0.05)  # a real argon2 check takes about this long: the race window
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", slow_verify)
    start = threading.Barrier(50)

    def guess(i: int):
        start.wait()
        try:
            return users.authenticate(store, "boss", f"wrong-{i}", f"10.0.{i}.1")
        except users.RateLimited:
            return "limited"

    def right():
        try:
            return users.authenticate(store, "boss", "correct horse", "10.9.9.9")
        except users.RateLimited:
            return "limited"

    with ThreadPoolExecutor(51) as pool:
        burst = [pool.submit(guess, i) for i in range(50)]
        deadline = time.monotonic() + 20
        while len(checked) < users.MAX_FAILS_PER_NAME and time.monotonic() < deadline:
            time.sleep(0.001)
        inside = pool.submit(right)  # the burst is still running
        results = [f.result() for f in burst]
        late = inside.result()
    assert len([p for p in checked if p.startswith("wrong-")]) <= users.MAX_FAILS_PER_NAME
    assert results.count("limited") >= 50 - users.MAX_FAILS_PER_NAME
    assert late == "limited"


def test_a_right_password_after_the_burst_is_refused_too(store):
    users.add_user(store, "boss", "admin", "correct horse")
    for i in range(users.MAX_FAILS_PER_NAME):
        users.authenticate(store, "boss", f"x{i}", "10.0.0.1")
    with pytest.raises(users.RateLimited):
        users.authenticate(store, "boss", "correct horse", "10.0.0.2")


@pytest.mark.parametrize("password", ["12345678", "        ", "bossbossboss", "password1",
                                      "qwertyuiop", "Boss1234"])
def test_weak_passwords_are_refused(store, password):
    with pytest.raises(UserError) as err:
        users.add_user(store, "boss", "admin", password)
    assert err.value.field == "password"
    from xiabo.i18n import t

    assert "security." in err.value.key or err.value.key == "web.users.short_password"
    assert t(err.value.key, "zh") != err.value.key and t(err.value.key, "en") != err.value.key
    assert t(err.value.fix_key, "zh") != err.value.fix_key


def test_a_good_password_is_accepted_and_changes_are_checked_too(store):
    users.add_user(store, "boss", "admin", "walnut-lamp-9")
    with pytest.raises(UserError):
        users.set_password(store, "boss", "boss-boss")
    users.set_password(store, "boss", "another horse")


def test_failed_login_audit_names_the_address(make_web, sqlite_url):
    web = make_web(sqlite_url, auth=True)
    users.add_user(web.db, "boss", "admin", "correct horse")
    assert web.login("boss", "guess").status_code == 401
    assert web.login("boss", "correct horse").status_code == 303
    html = web.client.get("/admin/audit").text
    assert "testclient" in html
    assert "本机用户" not in html


def test_the_audit_page_names_a_visitor_in_words(make_web, sqlite_url):
    """Issue 20: an anonymous failed login showed the raw key web.security.audit.anonymous."""
    web = make_web(sqlite_url, auth=True)
    users.add_user(web.db, "boss", "admin", "correct horse")
    assert web.login("nobody", "guess").status_code == 401
    assert web.login("boss", "correct horse").status_code == 303
    html = web.client.get("/admin/audit").text
    assert "security.audit" not in html and "未登录的访客（地址 testclient）" in html
