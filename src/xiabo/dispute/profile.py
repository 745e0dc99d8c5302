"""The dispute profile: the contract's clauses, how the work was done, what the agency did.

It lives beside the situation profile (``dispute.yaml`` next to ``profile.yaml``; a stored
case keeps it in the store). Every yes/no fact may be left out: ``None`` means "not said", and
the relationship test answers "cannot judge" rather than guess. Parsing reuses the situation
profile's strict YAML reader and its field/fix messages, so both files fail the same way.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UserError
from ..roadmap.profile import Day, Line, Note

__all__ = ["Account", "Agency", "Contract", "DisputeError", "DisputeProfile", "NonCompete",
           "Penalty", "Streamer", "Work", "dispute_from_dict", "dispute_path", "dump_dispute",
           "load_dispute"]

Cny = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=6, decimal_places=4)]
Months = Annotated[int, Field(ge=0, le=600)]
FILE_NAME = "dispute.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Penalty(_Strict):
    """The penalty clause: a fixed sum, a multiple of income, or whichever is higher."""

    kind: Literal["none", "fixed", "income_multiple", "higher_of"] = "none"
    fixed_cny: Cny | None = None
    multiple: Annotated[Decimal, Field(ge=0, le=1000, max_digits=8, decimal_places=2)] | None = None
    # the income the multiple applies to, as the contract defines it (e.g. the last 12 months)
    income_basis_cny: Cny | None = None


class NonCompete(_Strict):
    has: bool = False
    months: Months | None = None
    pay_monthly_cny: Cny | None = None
    scope: Line | None = None


class Contract(_Strict):
    type: Literal["brokerage", "cooperation", "labour"] = "cooperation"
    signed_on: Day | None = None
    ends_on: Day | None = None
    penalty: Penalty = Penalty()
    guarantee_monthly_cny: Cny | None = None
    streamer_share: Share | None = None  # the streamer's share of the revenue (0.6 = 60 %)
    non_compete: NonCompete = NonCompete()
    arbitration_clause: bool | None = None
    exclusive: bool | None = None
    account_clause: Literal["none", "agency_owns", "transfer_on_exit", "streamer_owns"] | None = None


class Account(_Strict):
    registered_by: Literal["streamer", "agency"] | None = None
    real_name: Literal["streamer", "agency"] | None = None
    registered_on: Day | None = None


class Work(_Strict):
    hours_set_by_agency: bool | None = None
    clock_in: bool | None = None
    fixed_monthly_pay: bool | None = None
    agency_rules_penalties: bool | None = None
    promotion_paid_by: Literal["agency", "streamer", "shared"] | None = None
    account: Account = Account()


class Agency(_Strict):
    claim_cny: Cny | None = None  # what the agency demands, if it has made a demand
    guarantee_unpaid_months: Months | None = None
    guarantee_shortfall_cny: Cny | None = None
    promised_traffic_missing: bool | None = None
    licensed: bool | None = None  # holds a 营业性演出许可证
    filed: bool | None = None  # court or arbitration papers received
    loss_estimate_cny: Cny | None = None  # the agency's actual loss, if it has shown one


class Streamer(_Strict):
    student: bool | None = None
    monthly_income_cny: Cny | None = None
    months_performed: Months | None = None


class DisputeProfile(_Strict):
    """The whole dispute profile (``xiabo.dispute/1``)."""

    contract: Contract = Contract()
    work: Work = Work()
    agency: Agency = Agency()
    streamer: Streamer = Streamer()
    note: Note | None = None


class DisputeError(UserError):
    pass


def dispute_path(profile_path: str | Path) -> Path:
    """Where the dispute profile of a situation profile lives: beside it."""
    return Path(profile_path).with_name(FILE_NAME)


def dispute_from_dict(data: Any, source: str = "<dispute>") -> DisputeProfile:
    """Validate a mapping; an error names ``source``, the field and the fix."""
    from ..roadmap.profile import _field_name, _fix_for, _shown

    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DisputeError("dispute.err.not_mapping", file=source, fix_key="dispute.fix.mapping")
    from ..tabular import check_nesting

    check_nesting(data, source, max_depth=8, max_nodes=2_000)  # the model is 4 deep, ~40 fields
    try:
        return DisputeProfile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field = _field_name(tuple(err["loc"]))
        ctx = err.get("ctx") or {}
        raise DisputeError("dispute.err.invalid",
                           {"field": field, "value": _shown(err.get("input")),
                            "expected": ctx.get("expected", "")},
                           file=source, field=field, fix_key=_fix_for(err)) from None


def load_dispute(path: str | Path) -> DisputeProfile:
    """Read a dispute profile (YAML or JSON) without changing it."""
    from ..roadmap.profile import _parse

    path = Path(path)
    try:
        if path.stat().st_size > 1 << 20:
            raise DisputeError("dispute.err.too_big", file=str(path), fix_key="dispute.fix.mapping")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DisputeError("dispute.err.missing", {"path": str(path)}, file=str(path),
                           fix_key="dispute.fix.missing") from None
    except UnicodeDecodeError:
        raise DisputeError("profile.not_utf8", file=str(path), fix_key="profile.fix.utf8") from None
    except OSError as exc:
        raise DisputeError("profile.unreadable", {"error": exc.strerror}, file=str(path)) from None
    try:
        data = _parse(path, text)
    except UserError as err:
        raise DisputeError(err.key, err.params, file=err.file, field=err.field,
                           fix_key=err.fix_key) from None
    return dispute_from_dict(data, str(path))


def dump_dispute(dispute: DisputeProfile) -> dict:
    """The profile as plain data (JSON/YAML), leaving out what was not said."""
    return dispute.model_dump(mode="json", exclude_none=True, exclude_defaults=False)

