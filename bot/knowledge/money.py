"""Money amounts in chat text: "15jt", "Rp 15.000.000", "1.000 USD", "1000 dolar", "$1,200", "NT$ 27.000",
"RM 1500", "18-25 juta", "1,5 jt". Returns each amount with its span and an approximate value in rupiah."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Approximate rupiah per unit, rounded (late 2025 order of magnitude). Only used to compare a promised wage
# against a plausible range, where a 10-20% error does not change the verdict. Not content facts.
IDR_PER_UNIT = {
    "IDR": 1, "USD": 16_000, "MYR": 3_600, "TWD": 500, "HKD": 2_050, "SGD": 12_000, "SAR": 4_300,
    "AED": 4_400, "QAR": 4_400, "KWD": 52_000, "OMR": 42_000, "BHD": 43_000, "KRW": 11.5, "JPY": 105,
    "BND": 12_000, "EUR": 17_500, "GBP": 20_500, "THB": 460, "PHP": 280, "AUD": 10_500, "CNY": 2_250, "PLN": 4_000,
}  # fmt: skip

_CUR_BEFORE = {
    "rp": "IDR", "rp.": "IDR", "idr": "IDR", "usd": "USD", "us$": "USD", "$": "USD", "rm": "MYR", "myr": "MYR",
    "nt$": "TWD", "ntd": "TWD", "twd": "TWD", "hk$": "HKD", "hkd": "HKD", "s$": "SGD", "sgd": "SGD",
    "sar": "SAR", "sr": "SAR", "aed": "AED", "qar": "QAR", "kwd": "KWD", "krw": "KRW", "₩": "KRW", "jpy": "JPY",
    "¥": "JPY", "bnd": "BND", "b$": "BND", "eur": "EUR", "€": "EUR", "gbp": "GBP", "£": "GBP", "thb": "THB",
    "php": "PHP", "aud": "AUD", "a$": "AUD", "omr": "OMR", "bhd": "BHD", "rmb": "CNY", "cny": "CNY", "pln": "PLN",
}  # fmt: skip
_CUR_AFTER = {
    "$": "USD", "usd": "USD", "dolar": "USD", "dollar": "USD", "dollars": "USD", "dolar as": "USD", "us dollar": "USD",
    "ringgit": "MYR", "rm": "MYR", "myr": "MYR", "real": "SAR", "riyal": "SAR", "rial": "SAR", "reyal": "SAR",
    "sar": "SAR", "dirham": "AED", "aed": "AED", "dinar": "KWD", "kwd": "KWD", "won": "KRW", "krw": "KRW",
    "yen": "JPY", "jpy": "JPY", "nt": "TWD", "ntd": "TWD", "twd": "TWD", "dolar taiwan": "TWD",
    "nt dollar": "TWD", "hkd": "HKD", "dolar hk": "HKD", "dolar hongkong": "HKD", "sgd": "SGD",
    "dolar singapura": "SGD", "bnd": "BND", "euro": "EUR", "eur": "EUR", "pound": "GBP", "baht": "THB",
    "thb": "THB", "peso": "PHP", "rupiah": "IDR", "qar": "QAR", "yuan": "CNY", "rmb": "CNY", "pln": "PLN", "zloty": "PLN",
}  # fmt: skip
_MULT = {
    "jt": 1e6, "juta": 1e6, "jutaan": 1e6, "jeti": 1e6, "rb": 1e3, "ribu": 1e3, "k": 1e3, "million": 1e6,
    "mio": 1e6, "miliar": 1e9, "m": 1e6,
}  # fmt: skip


def _alt(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
MONEY_RE = re.compile(
    rf"(?<![\w$])(?P<cur1>{_alt(_CUR_BEFORE)})?\s?(?P<a>{_NUM})(?:\s?(?:-|–|s/d|sampai|to)\s?(?P<b>{_NUM}))?"
    rf"\s?(?P<mult>{_alt(_MULT)})?(?![a-z])\.?\s?(?P<cur2>{_alt(_CUR_AFTER)})?(?![a-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Money:
    start: int
    end: int
    text: str
    currency: str
    low: float  # in the currency
    high: float

    @property
    def low_idr(self) -> float:
        return self.low * IDR_PER_UNIT[self.currency]

def parse_number(s: str) -> float:
    """'15.000.000' -> 15e6, '1,200' -> 1200, '1,5' -> 1.5, '4.990' -> 4990, '1.000.000,50' -> 1000000.5."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", s):  # thousands separators, either style
        return float(re.sub(r"[.,]", "", s))
    m = re.fullmatch(r"(\d{1,3}(?:[.,]\d{3})+)[.,](\d{1,2})", s)
    if m:
        return float(re.sub(r"[.,]", "", m[1]) + "." + m[2])
    return float(s.replace(",", "."))


def find_money(text: str) -> list[Money]:
    out: list[Money] = []
    for m in MONEY_RE.finditer(text):
        cur1, cur2, mult = m.group("cur1"), m.group("cur2"), m.group("mult")
        if not (cur1 or cur2 or mult):
            continue
        if mult and mult.lower() == "m" and not (cur1 or cur2):
            continue  # "15 m" is more likely metres
        currency = _CUR_BEFORE.get((cur1 or "").lower()) or _CUR_AFTER.get((cur2 or "").lower()) or "IDR"
        factor = _MULT.get((mult or "").lower(), 1.0)
        low = parse_number(m.group("a")) * factor
        high = parse_number(m.group("b")) * factor if m.group("b") else low
        if currency == "IDR" and not mult and low < 10_000:
            continue  # "Rp 15" alone is noise
        out.append(Money(m.start(), m.end(), m.group(0).strip(), currency, min(low, high), max(low, high)))
    return out
