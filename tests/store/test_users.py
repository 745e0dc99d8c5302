"""Users, argon2 passwords, sessions and login rate limits (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from xiabo.cases import stored
from xiabo.errors import UserError
from xiabo.store import cases as repo
from xiabo.store import users


def test_add_user_validates(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=repo.Actor())
    with pytest.raises(UserError) as err:
        users.add_user(db, "has space", "admin", "walnut-lamp-9")
    assert err.value.field == "name"
    with pytest.raises(UserError) as err:
        users.add_user(db, "x", "king", "walnut-lamp-9")
    assert err.value.field == "role"
    with pytest.raises(UserError) as err:
        users.add_user(db, "x", "admin", "short")
    assert err.value.key == "web.users.short_password"
    with pytest.raises(UserError) as err:
        users.add_user(db, "x", "streamer", "walnut-lamp-9")
    assert err.value.key == "web.users.streamer_case"
    with pytest.raises(UserError):
        users.add_user(db, "x", "streamer", "walnut-lamp-9", case_ids=[case.id + 100])
    user = users.add_user(db, "x", "streamer", "walnut-lamp-9", case_ids=[case.id])
    assert user.case_id == case.id
    with pytest.raises(UserError) as err:
        users.add_user(db, "x", "admin", "walnut-lamp-9")
    assert err.value.key == "web.users.exists"
    assert users.user_count(db) == 1


def test_passwords_are_argon2_hashes(db):
    user = users.add_user(db, "boss", "admin", "correct horse")
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert users.verify_password(user.password_hash, "correct horse")
    assert not users.verify_password(user.password_hash, "wrong")
    assert not users.verify_password("not-a-hash", "x")


def test_login_sessions_and_logout(db):
    users.add_user(db, "boss", "admin", "correct horse")
    assert users.authenticate(db, "boss", "wrong", "10.0.0.1") is None
    user = users.authenticate(db, "boss", "correct horse", "10.0.0.1")
    assert user is not None
    token, csrf = users.create_session(db, user)
    info = users.session_user(db, token)
    assert info.user.name == "boss" and info.csrf == csrf
    assert users.session_user(db, token + "x") is None
    assert users.session_user(db, None) is None
    users.end_session(db, token)
    assert users.session_user(db, token) is None


def test_password_change_ends_sessions(db):
    user = users.add_user(db, "boss", "admin", "correct horse")
    token, _ = users.create_session(db, user)
    users.set_password(db, "boss", "another horse")
    assert users.session_user(db, token) is None
    assert users.authenticate(db, "boss", "another horse", "ip") is not None


def test_failed_logins_are_rate_limited(db):
    users.add_user(db, "boss", "admin", "correct horse")
    for _ in range(users.MAX_FAILS_PER_NAME):
        assert users.authenticate(db, "boss", "guess", "10.0.0.2") is None
    with pytest.raises(users.RateLimited):
        users.authenticate(db, "boss", "correct horse", "10.0.0.3")  # even the right password
    # another user from another address is not affected
    users.add_user(db, "op", "operator", "operator pw")
    assert users.authenticate(db, "op", "operator pw", "10.0.0.9") is not None


def test_unknown_user_fails_like_a_wrong_password(db):
    assert users.authenticate(db, "ghost", "whatever", "1.1.1.1") is None
    entries, _ = users.audit_entries(db)
    assert entries[0]["action"] == "login.failed" and entries[0]["detail"]["name"] == "ghost"


def test_remove_user_unassigns_cases(db, profile, today):
    case = stored.create_case(db, profile, today=today, actor=repo.Actor())
    users.add_user(db, "op", "operator", "operator pw", case_ids=[case.id])
    assert repo.get_case(db, case.id).operator_id is not None
    users.remove_user(db, "op")
    assert repo.get_case(db, case.id).operator_id is None
    with pytest.raises(UserError):
        users.remove_user(db, "op")
