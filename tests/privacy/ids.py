"""Generators of valid (and invalid) identifiers for tests: computed, never real people's."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(body17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS)) % 11]


def make_id(region: str = "110105", born: date = date(1990, 3, 7), seq: int = 123) -> str:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    return body + id_check(body)


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def make_card(body: str = "622202123456789012") -> str:
    return body + luhn_digit(body)


# Fixed sample values used across tests (all computed to be valid).
ID = make_id()                       # 110105199003071234-style
CARD = make_card()                   # 19 digits, Luhn-valid, UnionPay 62…
MOBILE = "13812345678"
EMAIL = "zhang.san@example.com"

ids = st.builds(
    make_id,
    region=st.text(alphabet="0123456789", min_size=6, max_size=6),  # unknown regions too
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    seq=st.integers(0, 999),
)
cards = st.builds(
    lambda first, rest: make_card(first + rest),
    first=st.sampled_from(["62", "60", "4", "5", "35", "9"]),
    rest=st.integers(13, 17).flatmap(lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)),
).filter(lambda c: 16 <= len(c) <= 19)
mobiles = st.builds(
    lambda second, rest: f"1{second}{rest}",
    second=st.sampled_from("3456789"),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
# Chinese filler that cannot glue onto an identifier (no digits or Latin letters).
chinese = st.text(
    alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                       st.sampled_from("，。、！？ ：；")),
    max_size=30,
)
