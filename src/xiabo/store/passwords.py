"""Password rules: long enough, not the user name, not a common or easily guessed password.

The guessability check is zxcvbn (common-password lists, keyboard patterns, repeats, dates,
the user's own name), not a home-made list. Messages come from the ``security`` catalogue.
"""

from __future__ import annotations

from ..errors import UserError

__all__ = ["MIN_PASSWORD", "MIN_SCORE", "check_password"]

MIN_PASSWORD = 8
MAX_PASSWORD = 1000
MIN_SCORE = 2  # zxcvbn 0–4; 2 = "somewhat guessable" (about 10^8 guesses) or better


def check_password(password: str | None, name: str | None = None) -> None:
    """Raise UserError (field ``password``) when ``password`` is too weak for ``name``."""
    password = password or ""
    if len(password) > MAX_PASSWORD:
        raise UserError("security.password.too_long", {"n": MAX_PASSWORD}, field="password",
                        fix_key="security.password.fix")
    if len(password.strip()) < MIN_PASSWORD:
        raise UserError("web.users.short_password", {"n": MIN_PASSWORD}, field="password",
                        fix_key="web.users.short_password_fix")
    lowered = password.lower()
    if name and len(name) >= 2 and name.lower() in lowered \
            and len(lowered.replace(name.lower(), "").strip()) < MIN_PASSWORD:
        raise UserError("security.password.has_name", field="password",
                        fix_key="security.password.fix")
    from zxcvbn import zxcvbn

    inputs = [v for v in (name, "xiabo", "下播") if v]
    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        raise UserError("security.password.common", field="password",
                        fix_key="security.password.fix")
