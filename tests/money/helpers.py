"""Small builders shared by the money tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def D(x) -> Decimal:
    return Decimal(str(x))


def payout(day: str, gross, withheld="0", platform="kuaishou"):
    from xiabo.money.ledger import Payout

    return Payout(date.fromisoformat(day), platform, D(gross).quantize(D("0.01")),
                  D(withheld).quantize(D("0.01")))
