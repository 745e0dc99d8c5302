"""The streamer's situation: a validated model, loaded from YAML or JSON.

Everything a plan depends on is here, and nothing else: unknown keys are refused (a typo must
not silently change a plan). Defaults come from the rule packs where the guide has one; the
model itself only knows shapes and limits.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import UserError

__all__ = ["Profile", "Account", "Money", "Shop", "Contract", "Device", "Comeback",
           "TaskProgress", "load_profile", "profile_from_dict", "ProfileError"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Account(_Strict):
    status: Literal["normal", "restricted", "banned", "frozen"] = "normal"
    pending_violations: int = Field(0, ge=0)
    bindings: tuple[str, ...] = ()
    deletion_applied_on: date | None = None  # the deletion request went in (the review runs from it)


class Money(_Strict):
    balance_cny: Decimal = Field(Decimal("0"), ge=0, max_digits=15, decimal_places=2)
    diamonds: int = Field(0, ge=0)
    pending_gift_orders: int = Field(0, ge=0)


class Shop(_Strict):
    open_orders: int = Field(0, ge=0)
    orders_export: str | None = None


class Contract(_Strict):
    signed: bool = False
    agency: str | None = None
    kind: Literal["cooperation", "brokerage", "labour"] = "cooperation"
    signed_on: date | None = None
    contract_no: str | None = None
    notice_days: int | None = Field(None, ge=0, le=3650)
    non_compete_months: int | None = Field(None, ge=0, le=240)
    penalty_cny: Decimal | None = Field(None, ge=0, max_digits=15, decimal_places=2)
    notice_sent_on: date | None = None


class Device(_Strict):
    name: str = Field(min_length=1)
    type: Literal["phone", "tablet", "computer", "camera", "capture_card", "storage", "light",
                  "audio", "stand", "other"] = "other"
    os: Literal["ios", "android", "windows", "macos", "linux", "other"] | None = None
    disposal: Literal["sell", "donate", "keep", "recycle"] = "keep"


class Comeback(_Strict):
    plan: Literal["none", "same_platform", "other_platform"] = "none"
    platform: str | None = None


class TaskProgress(_Strict):
    done: date | None = None
    note: str | None = None


class DataState(_Strict):
    backed_up: tuple[Literal["recordings", "fan_profile", "sales"], ...] = ()


class Profile(_Strict):
    """One streamer's situation. ``start`` None means "today" at planning time."""

    name: str = Field(min_length=1, max_length=200)
    platform: str = Field(min_length=1)
    start: date | None = None
    followers: int = Field(0, ge=0)
    last_live_on: date | None = None  # the last live was held (the transition runs from it)
    delete_account: bool = True
    account: Account = Account()
    money: Money = Money()
    shop: Shop | None = None
    contract: Contract = Contract()
    equipment: tuple[Device, ...] = ()
    channels: tuple[Literal["weibo", "wechat_official", "xiaohongshu", "douyin", "bilibili",
                            "wechat_channels", "other"], ...] = ()
    comeback: Comeback = Comeback()
    data: DataState = DataState()
    progress: dict[str, TaskProgress] = Field(default_factory=dict)

    @field_validator("platform")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.lower()


class ProfileError(UserError):
    pass


_FIX_BY_TYPE = {
    "missing": "profile.fix.missing",
    "extra_forbidden": "profile.fix.extra",
    "literal_error": "profile.fix.choice",
    "greater_than_equal": "profile.fix.not_negative",
    "greater_than": "profile.fix.not_negative",
    "less_than_equal": "profile.fix.too_large",
    "int_parsing": "profile.fix.integer",
    "int_from_float": "profile.fix.integer",
    "int_type": "profile.fix.integer",
    "decimal_parsing": "profile.fix.number",
    "decimal_type": "profile.fix.number",
    "decimal_max_places": "profile.fix.fen",
    "decimal_max_digits": "profile.fix.too_large",
    "date_from_datetime_parsing": "profile.fix.date",
    "date_parsing": "profile.fix.date",
    "date_type": "profile.fix.date",
    "bool_parsing": "profile.fix.bool",
    "bool_type": "profile.fix.bool",
    "string_too_short": "profile.fix.empty",
    "string_type": "profile.fix.text",
    "model_type": "profile.fix.mapping",
    "dict_type": "profile.fix.mapping",
    "tuple_type": "profile.fix.list",
    "list_type": "profile.fix.list",
}


def _field_name(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _error_from_validation(exc: ValidationError, source: str) -> ProfileError:
    err = exc.errors(include_url=False)[0]
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field = _field_name(loc)
    ctx = err.get("ctx") or {}
    expected = ctx.get("expected", "")
    value = err.get("input")
    shown = value if isinstance(value, (str, int, float, bool)) or value is None else type(value).__name__
    return ProfileError("profile.invalid", {"field": field, "value": shown, "expected": expected,
                                            "detail": err["msg"], **{k: str(v) for k, v in ctx.items()}},
                        file=source, field=field,
                        fix_key=_FIX_BY_TYPE.get(err["type"], "profile.fix.generic"))


def profile_from_dict(data: Any, source: str = "<profile>") -> Profile:
    """Validate a mapping into a Profile; errors name ``source`` and the field."""
    if not isinstance(data, dict):
        raise ProfileError("profile.not_mapping", file=source, fix_key="profile.fix.mapping_top")
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise _error_from_validation(exc, source) from None


def _parse(path: Path, text: str) -> Any:
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError("profile.bad_json", {"line": exc.lineno, "problem": exc.msg},
                               file=str(path), fix_key="profile.fix.json") from None
    import yaml

    from ..rules.loader import DuplicateKey, StrictLoader

    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - strict safe loader
    except DuplicateKey as dup:
        raise ProfileError("profile.duplicate_key", {"key": dup.key, "line": dup.line},
                           file=str(path), field=dup.key, fix_key="profile.fix.duplicate") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ProfileError("profile.bad_yaml", {"line": mark.line + 1 if mark else "?",
                                                "problem": getattr(exc, "problem", "") or ""},
                           file=str(path), fix_key="profile.fix.yaml") from None


def load_profile(path: str | Path) -> Profile:
    """Read a profile file (YAML or JSON). Never modifies it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError("errors.file_missing", {"path": str(path)}, file=str(path),
                           fix_key="errors.file_missing_fix") from None
    except IsADirectoryError:
        raise ProfileError("profile.is_dir", {"path": str(path)}, file=str(path),
                           fix_key="errors.file_missing_fix") from None
    except OSError as exc:
        raise ProfileError("profile.unreadable", {"error": exc.strerror}, file=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileError("profile.not_utf8", file=str(path), fix_key="profile.fix.utf8") from None
    return profile_from_dict(_parse(path, text), str(path))
