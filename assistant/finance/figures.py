"""Figures in text, read as numbers with their unit, scale, currency and precision, and compared as numbers.

One definition serves ingest (facts from tables and sentences), the verifier (is a claimed figure in the cited
span?) and the evaluation (does the direct answer state the key fact?): `$45.6 billion` equals `$45,606 million`
within the precision it was written with, `34` is not `$34.0 billion`, and `19%` needs a percentage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCALES = {
    "trillion": 1e12,
    "tn": 1e12,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "million": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "m": 1e6,
    "thousand": 1e3,
    "k": 1e3,
}
# Currency marks before a figure, and currency words after it.
PREFIX_CURRENCY = {
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "hk$": "HKD",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "CNY",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
}
SUFFIX_CURRENCY = {"yuan": "CNY", "rmb": "CNY", "renminbi": "CNY", "dollars": "USD", "usd": "USD", "euros": "EUR"}
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]

_PREFIX = r"(?:(?P<cur>US\$|HK\$|USD|RMB|CNY|EUR|GBP|[$€£¥])\s?)?"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SCALE = r"(?:\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mn|mm|b|m|k)(?![a-z]))?"
_SUFFIX = (
    r"(?:\s?(?P<unit>%|percent(?:age points?)?|pp|basis points|bps|x\b|times\b|"
    r"(?:yuan|rmb|renminbi|dollars|usd|euros)\b))?"
)
FIGURE_RE = re.compile(
    r"(?P<neg>[-−–](?=\s?(?:US\$|HK\$|RMB|[$€£¥])?\s?\d)|\((?=\s?(?:US\$|HK\$|RMB|[$€£¥])?\s?\d[\d,.]*\s?\)))?"
    + _PREFIX
    + r"(?:(?P<paren>\()\s?)?"
    + _NUMBER
    + r"(?P<close>\))?"
    + _SCALE
    + _SUFFIX,
    re.IGNORECASE,
)
_SCALE_NOTE = re.compile(
    r"\bin\s+(?:US\$\s*|RMB\s*|\$\s*)?(thousands|millions|billions)\b|"
    r"\(\s*(?:US\$|\$|dollars)?\s*(?:in\s+)?(thousands|millions|billions)\b|"
    r"\b(thousands|millions|billions)\s+of\s+(?:U\.?S\.?\s+)?dollars\b|"
    r"(?:US\$|\$)\s?(thousand|million|billion)s?\b(?!\s+(?:of|in|to|for)\b)",  # a column's '2023 $ million'
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A figure as written: its value in base units (45.6 billion -> 45.6e9), kind, currency and precision."""

    value: float
    kind: str  # money | percent | number | year | date
    currency: str = ""  # ISO code, '' when not written
    scale: float = 1.0  # the scale it was written in (1e9 for 'billion')
    precision: float = 0.5  # half a unit of its last written digit, in base units
    text: str = ""
    start: int = 0
    end: int = 0

    @property
    def is_quantity(self) -> bool:
        """A figure that answers 'how much' (not a year or a day of a month)."""
        return self.kind in ("money", "percent", "number")


def scale_note(text: str) -> float | None:
    """The scale a table or passage declares for its bare figures ('(in millions, except per share data)')."""
    match = _SCALE_NOTE.search(text)
    word = next((g for g in match.groups() if g), "") if match else ""
    return {"thousand": 1e3, "million": 1e6, "billion": 1e9}[word.lower().rstrip("s")] if word else None


def parse_figures(text: str, default_scale: float | None = None, default_currency: str = "") -> list[Figure]:
    """Every figure in `text`, in order. Bare figures take `default_scale`/`default_currency` (a table's caption);
    four-digit years and the day in 'June 30' are kept apart as kinds 'year' and 'date'."""
    out = []
    for m in FIGURE_RE.finditer(text):
        raw_num = m.group("num")
        before = text[max(0, m.start() - 1) : m.start()]
        after = text[m.end() : m.end() + 1]
        if before and (before.isalpha() or before in "_/") and not m.group("cur"):
            continue  # part of a word or code: 'Q2', 'FY2024', '10-K' handled below
        if (
            after
            and (after.isalpha() or after == "-" and text[m.end() : m.end() + 2][1:].isalpha())
            and not m.group("scale")
            and not m.group("unit")
        ):
            continue  # '10-K', '5G', '3rd'
        digits = raw_num.replace(",", "")
        value = float(digits)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        cur_mark = (m.group("cur") or "").lower()
        unit = (m.group("unit") or "").lower()
        scale_word = (m.group("scale") or "").lower()
        if len(scale_word) == 1 and not cur_mark:
            continue  # '5m' or '3b' without a currency is not read as a figure with a scale
        currency = PREFIX_CURRENCY.get(cur_mark, "") or SUFFIX_CURRENCY.get(unit, "")
        negative = bool(m.group("neg")) and (m.group("neg") != "(" or bool(m.group("close")))
        if m.group("paren") and m.group("close"):
            negative = True
        if unit in ("%", "percent", "percentage point", "percentage points", "pp"):
            kind, scale = "percent", 1.0
        elif unit in ("basis points", "bps"):
            kind, scale, value = "percent", 0.01, value
        else:
            scale = SCALES.get(scale_word, 0.0)
            if not scale:
                if _is_year(raw_num, currency, text, m):
                    out.append(Figure(value, "year", text=m.group(0).strip(), start=m.start(), end=m.end()))
                    continue
                if _is_day(text, m.start()):
                    out.append(Figure(value, "date", text=m.group(0).strip(), start=m.start(), end=m.end()))
                    continue
                scale = default_scale or 1.0
                currency = currency or (default_currency if default_scale else "")
            kind = "money" if currency else "number"
        base = value * scale
        out.append(
            Figure(
                -base if negative else base,
                kind,
                currency,
                scale,
                0.5 * 10**-decimals * scale,
                text=m.group(0).strip(),
                start=m.start(),
                end=m.end(),
            )
        )
    return out


def _is_year(raw: str, currency: str, text: str, m: re.Match) -> bool:
    return (
        not currency
        and len(raw) == 4
        and raw.isdigit()
        and 1900 <= int(raw) <= 2100
        and not m.group("paren")
        and not m.group("neg")
    )


def _is_day(text: str, start: int) -> bool:
    word = re.search(r"([A-Za-z]+)\.?\s*$", text[max(0, start - 12) : start])
    return bool(word) and word.group(1).lower() in MONTHS


def same_figure(expected: Figure, actual: Figure, relative: float = 0.0) -> bool:
    """True when `actual` states `expected`: both quantities, both percentages or neither, the same currency when
    both name one, and magnitudes (in base units) within `expected`'s precision, or within `relative` of its value
    when that is wider. Magnitudes, because a loss is written '(2,656)' in a table and 'a loss of $2,656 million'
    in a sentence."""
    if not (expected.is_quantity and actual.is_quantity):
        return False
    if (expected.kind == "percent") != (actual.kind == "percent"):
        return False
    if expected.currency and actual.currency and expected.currency != actual.currency:
        return False
    tolerance = max(expected.precision, abs(expected.value) * relative) + 1e-9 * max(1.0, abs(expected.value))
    return abs(abs(expected.value) - abs(actual.value)) <= tolerance


def states_figure(expected: Figure, text: str, default_scale: float | None = None, relative: float = 0.0) -> bool:
    """Whether any figure in `text` states `expected`."""
    return any(same_figure(expected, f, relative) for f in parse_figures(text, default_scale))


def quantities(text: str, default_scale: float | None = None) -> list[Figure]:
    return [f for f in parse_figures(text, default_scale) if f.is_quantity]


def format_amount(value: float, currency: str = "USD", scale: float | None = None, decimals: int | None = None) -> str:
    """'$45.6 billion', 'RMB118,028 million', '-$2,722 million': a figure written for a reader."""
    symbol = {"USD": "$", "CNY": "RMB", "EUR": "€", "GBP": "£", "HKD": "HK$"}.get(currency, "")
    if scale is None:
        scale = 1e9 if abs(value) >= 1e9 else 1e6 if abs(value) >= 1e6 else 1.0
    word = {1e12: " trillion", 1e9: " billion", 1e6: " million", 1e3: " thousand"}.get(scale, "")
    amount = abs(value) / scale
    if decimals is None:
        decimals = 1 if scale >= 1e9 else 0 if scale > 1 else 2
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{amount:,.{decimals}f}{word}"


def format_percent(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}%"
