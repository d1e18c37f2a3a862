"""Reporting periods: a span of months ending on a date, or a point in time, named the way filings and people
name them ('FY2025', 'Q2 2025', 'six months ended June 30, 2025', 'as of December 31, 2024').

A company's fiscal calendar turns names into dates: 'fiscal 2025' is the year ended March 31, 2025 for a company
whose year ends in March, and 'Q1 2026' its quarter ended June 30, 2025. The grammar's words live in
`data/vocabulary.json`; this module assembles them into patterns and reads periods out of questions, sentences
and table headers alike.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from assistant.finance.vocabulary import vocabulary

END_TOLERANCE_DAYS = 10  # 52/53-week fiscal years end on a weekday near the month's end


@dataclass(frozen=True)
class FiscalCalendar:
    """When a company's fiscal year ends (month and day), and how its years are named: by the calendar year they
    end in ('fiscal 2024' ended January 31, 2024), or, for some retailers, by the year they start in ('fiscal
    2023' ended February 3, 2024)."""

    month: int = 12
    day: int = 31
    named_by_start: bool = False

    @classmethod
    def parse(cls, text: str) -> FiscalCalendar:
        """'03-31' or 'March 31' -> FiscalCalendar(3, 31); '01-28 start' names years by their start; empty ->
        December 31. A 52/53-week year that ends in the first days of January ('January 1, 2023') is a calendar
        year."""
        if not text:
            return cls()
        m = re.match(r"(\d{1,2})-(\d{1,2})(\s+start)?$", text.strip())
        parsed = (int(m.group(1)), int(m.group(2))) if m else _month_day(text)
        if not parsed:
            return cls()
        if parsed[0] == 1 and parsed[1] <= END_TOLERANCE_DAYS:
            return cls()
        return cls(*parsed, named_by_start=bool(m and m.group(3)))

    def text(self) -> str:
        """The form `parse` reads: '01-28', or '01-28 start' for years named by the year they start in."""
        return f"{self.month:02d}-{self.day:02d}" + (" start" if self.named_by_start else "")

    def year_end(self, fiscal_year: int) -> date:
        return _safe_date(fiscal_year + self.named_by_start, self.month, self.day)

    def fiscal_year_of(self, end: date) -> int:
        """The fiscal year a period ending on `end` falls in (named by the calendar year its fiscal year ends, or
        starts in for a calendar named by its start)."""

        def ending(year: int) -> date:
            return _safe_date(year, self.month, self.day)

        if end <= ending(end.year - 1) + timedelta(days=END_TOLERANCE_DAYS):
            year = end.year - 1  # a 52/53-week year ending January 1, 2023 is fiscal 2022
        else:
            year = end.year if end <= ending(end.year) + timedelta(days=END_TOLERANCE_DAYS) else end.year + 1
        return year - self.named_by_start

    def quarter_end(self, fiscal_year: int, quarter: int) -> date:
        months_back = 3 * (4 - quarter)
        y, m = fiscal_year + self.named_by_start, self.month - months_back
        while m <= 0:
            m += 12
            y -= 1
        return _month_end(y, m)

    def quarter_of(self, end: date) -> tuple[int, int]:
        """(fiscal year, quarter) of a quarter ending on `end`."""
        fy = self.fiscal_year_of(end)
        months_before_year_end = (self.month - end.month) % 12
        return fy, 4 - round(months_before_year_end / 3) % 4


@dataclass(frozen=True, order=True)
class Period:
    """`months` long ending on `end`; months 0 is a point in time (a balance-sheet date)."""

    end: date
    months: int

    @property
    def instant(self) -> bool:
        return self.months == 0

    def matches(self, other: Period) -> bool:
        return self.months == other.months and abs((self.end - other.end).days) <= END_TOLERANCE_DAYS

    def shifted(self, years: int) -> Period:
        return Period(
            _safe_date(
                self.end.year + years,
                self.end.month,
                self.end.day if self.end.day < 28 else calendar.monthrange(self.end.year + years, self.end.month)[1],
            ),
            self.months,
        )

    def start_instant(self) -> Period:
        """The balance-sheet date at the start of this period (for averages and changes over it)."""
        months = self.months or 12
        y, m = self.end.year, self.end.month - months
        while m <= 0:
            m += 12
            y -= 1
        return Period(_month_end(y, m) if self.end.day >= 28 else _safe_date(y, m, self.end.day), 0)

    def label(self, cal: FiscalCalendar | None = None) -> str:
        """'FY2025', 'Q2 2025', 'the six months ended June 30, 2025', 'December 31, 2024'."""
        cal = cal or FiscalCalendar()
        day = f"{calendar.month_name[self.end.month]} {self.end.day}, {self.end.year}"
        if self.instant:
            return day
        if self.months == 12 and _near(self.end, cal.year_end(cal.fiscal_year_of(self.end))):
            return f"FY{cal.fiscal_year_of(self.end)}"
        if (
            self.months == 3
            and _near(self.end, _month_end(self.end.year, self.end.month))
            and (cal.month - self.end.month) % 3 == 0
        ):
            fy, q = cal.quarter_of(self.end)
            return f"Q{q} {fy}"
        words = {3: "three", 6: "six", 9: "nine", 12: "twelve"}.get(self.months, str(self.months))
        return f"the {words} months ended {day}"

    def key(self) -> str:
        """A stable text key: '12M@2025-12-31', '0M@2024-12-31'."""
        return f"{self.months}M@{self.end.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        months, end = key.split("M@")
        return cls(date.fromisoformat(end), int(months))


@dataclass(frozen=True)
class PeriodSpec:
    """A period as named in text, before a company's calendar turns it into dates. Missing parts are None:
    'Q2' has no year, '2025' has no length (a year for a flow, its last day for a balance)."""

    text: str
    start: int
    end: int
    months: int | None = None  # 0 instant, 3, 6, 9, 12
    fiscal_year: int | None = None
    quarter: int | None = None
    end_date: date | None = None
    relative: str = ""  # 'previous' | 'latest' when named relative to another period

    def resolve(self, cal: FiscalCalendar, stock: bool = False, default_year: int | None = None) -> Period | None:
        """The concrete period, using the company's calendar; None when the text does not pin one down."""
        months = self.months
        if stock and months in (None, 12) and self.quarter is None and self.end_date is None:
            months = 0  # 'cash in 2024' means cash at the end of fiscal 2024
        if self.end_date is not None:
            return Period(self.end_date, months if months is not None else (0 if stock else 12))
        year = self.fiscal_year or default_year
        if year is None:
            return None
        if self.quarter is not None:
            end = cal.quarter_end(year, self.quarter)
            return Period(end, 0 if stock or months == 0 else (months if months in (6, 9) else 3))
        if months in (6, 9):
            return Period(cal.quarter_end(year, months // 3), months)
        return Period(cal.year_end(year), 0 if months == 0 or stock else 12)


def month_end_after(day: date, months: int) -> date:
    """The last day of the month `months` after (or, negative, before) `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, calendar.monthrange(y, m + 1)[1])


def periods_between(first: Period, last: Period, limit: int = 40) -> list[Period]:
    """Every period of the same length from `first` to `last` (at most `limit`, the latest kept): fiscal years a
    year apart, quarters three months apart (balances at each year end or quarter end)."""
    step = 12 if first.months in (0, 12) else first.months or 12
    out, current = [], last
    while current.end >= first.end and len(out) < limit:
        out.append(current)
        current = (
            current.shifted(-(step // 12))
            if step % 12 == 0
            else Period(month_end_after(current.end, -step), current.months)
        )
    return list(reversed(out))


# -- parsing --------------------------------------------------------------------------------------------------
def _safe_date(y: int, m: int, d: int) -> date:
    return date(y, m, min(d, calendar.monthrange(y, m)[1]))


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _near(a: date, b: date) -> bool:
    return abs((a - b).days) <= END_TOLERANCE_DAYS


def _month_number(word: str) -> int | None:
    word = word.lower().rstrip(".")
    grammar = vocabulary().periods
    if word in grammar["months"]:
        return grammar["months"].index(word) + 1
    return grammar["month_abbreviations"].get(word)


def _month_day(text: str) -> tuple[int, int] | None:
    m = re.search(r"([A-Za-z]+)\.?\s+(\d{1,2})", text)
    if m and _month_number(m.group(1)):
        return _month_number(m.group(1)), int(m.group(2))
    return None


def _year(token: str) -> int:
    token = token.strip("'’")
    value = int(token)
    return value + 2000 if value < 100 else value


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern]]:
    grammar = vocabulary().periods
    month = "|".join(grammar["months"] + list(grammar["month_abbreviations"]))
    ordinal = "|".join(map(re.escape, grammar["ordinals"]))
    date_ = rf"(?:{month})\.?\s+\d{{1,2}},?\s+(?:19|20)\d\d"
    dur = rf"(?P<dur>(?:three|six|nine|twelve|3|6|9|12)[- ]months?|(?:{_week_words()})[- ]weeks?)"
    years_tail = r"(?P<more>(?:\s*(?:,|and|&)\s*(?:19|20)\d\d)*)"
    trailing = "|".join(map(re.escape, grammar["trailing"]))
    instant = "|".join(map(re.escape, grammar["instant"]))
    year = r"(?:19|20)\d\d"
    yy = r"(?:(?:19|20)\d\d|'?\d\d)"
    to_month = "|".join(map(re.escape, grammar["to_month"]))
    midyear = "|".join(map(re.escape, grammar["midyear"]))
    first_months = "|".join(map(re.escape, grammar["first_months"]))
    joiners = "|".join(map(re.escape, grammar["month_range_joiners"]))
    return [
        (
            "month_range",
            re.compile(rf"\b(?P<m1>{month})\.?\s*(?:{joiners})\s*(?P<m2>{month})\.?,?\s+(?:of\s+)?(?P<y>{year})", re.I),
        ),
        ("month_quarter", re.compile(rf"\b(?P<month>{month})\.?\s+(?P<y>{year})\s+quarter\b", re.I)),
        (
            "to_month",
            re.compile(
                rf"(?P<span>{to_month})\s+(?P<month>{month})\.?(?:\s+(?P<day>\d{{1,2}}),?)?\s+(?P<y>{year})", re.I
            ),
        ),
        ("midyear", re.compile(rf"(?:{midyear})[\s-]*(?:of\s+)?(?:fiscal\s+)?(?P<y>{year})", re.I)),
        (
            "first_months",
            re.compile(
                rf"(?P<span>{first_months})(?:\s+(?:of\s+)?(?:the\s+)?(?:fiscal\s+)?(?:year\s*)?"
                rf"(?P<y>{year})?)?",
                re.I,
            ),
        ),
        ("ttm_date", re.compile(rf"(?:{trailing})\s+(?:ended|ending)\s+(?P<date>{date_})", re.I)),
        ("ttm", re.compile(rf"(?:for\s+the\s+)?(?:{trailing})", re.I)),
        (
            "dur_two",
            re.compile(
                rf"(?P<dur>three|six|nine)\s+and\s+(?P<dur2>six|nine|twelve)\s+months\s+"
                rf"(?:ended|ending)\s+(?P<md>(?:{month})\.?\s+\d{{1,2}}),?\s+(?P<y>{year}){years_tail}",
                re.I,
            ),
        ),
        (
            "dur_date",
            re.compile(
                rf"{dur}\s+(?:period\s+)?(?:ended|ending)\s+(?P<md>(?:{month})\.?\s+\d{{1,2}}),?\s+"
                rf"(?P<y>{year}){years_tail}",
                re.I,
            ),
        ),
        (
            "named_date",
            re.compile(
                rf"(?P<kind>quarter|(?:fiscal\s+)?year|period)\s+(?:ended|ending)\s+"
                rf"(?P<md>(?:{month})\.?\s+\d{{1,2}}),?\s+(?P<y>{year}){years_tail}",
                re.I,
            ),
        ),
        (
            "instant_date",
            re.compile(
                rf"(?:{instant})\s+(?P<md>(?:{month})\.?\s+\d{{1,2}}),?\s+(?P<y>{year})"
                rf"{years_tail}",
                re.I,
            ),
        ),
        ("instant_year", re.compile(rf"(?:{instant})\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?|fy\s?)?(?P<y>{year})", re.I)),
        (
            "quarter_q",
            re.compile(
                rf"\b(?:(?:fiscal\s+)?q(?P<q>[1-4])|(?P<q2>[1-4])q)[\s'’-]*(?:fy\s?|fiscal\s+)?"
                rf"(?P<y>{yy})?\b",
                re.I,
            ),
        ),
        (
            "quarter_words",
            re.compile(
                rf"\b(?P<ord>{ordinal})[- ]quarter(?:\s+(?:of\s+)?(?:fiscal\s+)?(?:year\s+)?"
                rf"(?:fy\s?)?(?P<y>{year}))?",
                re.I,
            ),
        ),
        (
            "half",
            re.compile(
                rf"\b(?:(?P<h>first|second)\s+half(?:\s+of)?(?:\s+(?:fiscal\s+)?(?:year\s+)?(?P<y>{year}))?"
                rf"|(?:h(?P<h2>[12])|(?P<h3>[12])h)\s*(?:fy\s?)?(?P<y2>{yy})?)\b",
                re.I,
            ),
        ),
        (
            "nine",
            re.compile(
                rf"\b(?:first\s+nine\s+months(?:\s+of)?\s+(?:fiscal\s+)?(?P<y>{year})|9m\s*(?P<y2>{yy}))\b", re.I
            ),
        ),
        ("date", re.compile(rf"(?P<md>(?:{month})\.?\s+\d{{1,2}}),?\s+(?P<y>{year}){years_tail}", re.I)),
        (
            "fiscal_year",
            re.compile(
                rf"\b(?:full[- ]year|fiscal(?:\s+years?)?|fy|calendar(?:\s+years?)?|the\s+years?)"
                rf"[\s'’-]*(?P<y>{yy}){years_tail}\b",
                re.I,
            ),
        ),
        ("year", re.compile(rf"(?<![\d$.,])(?P<y>{year})(?![\d%])(?!-\d\d-\d\d)(?!\s*(?:billion|million))", re.I)),
        (
            "year_bare",
            re.compile(
                r"\b(?:full[- ]year|whole year|entire year|full fiscal year|year as a whole|"
                r"(?:for|over|in) the (?:full |whole )?year)\b(?!\s*(?:19|20)\d\d|\s+(?:ended|ending|to)\b)",
                re.I,
            ),
        ),
    ]


def find_periods(text: str) -> list[PeriodSpec]:
    """Every period named in a text, left to right, without overlaps (the most specific reading wins)."""
    taken: list[tuple[int, int]] = []
    found: list[PeriodSpec] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            specs = _specs(kind, m)
            if specs:
                taken.append((m.start(), m.end()))
                found.extend(specs)
    return _trailing_to_date(sorted(found, key=lambda s: (s.start, s.months or 0)))


def _trailing_to_date(specs: list[PeriodSpec]) -> list[PeriodSpec]:
    """'Trailing-twelve-month ... at the end of 2025': one twelve-month period ending on that date."""
    trailing = [s for s in specs if s.relative == "latest" and s.months == 12 and s.end_date is None]
    dates = [s for s in specs if s.months == 0]
    if len(trailing) != 1 or len(dates) != 1:
        return specs
    t, d = trailing[0], dates[0]
    merged = replace(
        t, text=f"{t.text} {d.text}", end=max(t.end, d.end), relative="", end_date=d.end_date, fiscal_year=d.fiscal_year
    )
    return [merged if s is t else s for s in specs if s is not d]


def _more_years(m: re.Match) -> list[int]:
    more = m.groupdict().get("more") or ""
    return [int(y) for y in re.findall(r"(?:19|20)\d\d", more)]


def _specs(kind: str, m: re.Match) -> list[PeriodSpec]:
    text, s, e = m.group(0), m.start(), m.end()
    if kind == "ttm_date":
        md = _month_day(m.group("date"))
        y = int(re.search(r"(?:19|20)\d\d", m.group("date")).group(0))
        return [PeriodSpec(text, s, e, months=12, end_date=_safe_date(y, *md))]
    if kind == "month_range":  # 'April through June 2025' is the quarter ended June 30, 2025
        first, last = _month_number(m.group("m1")), _month_number(m.group("m2"))
        months = (last - first) % 12 + 1
        if months not in (3, 6, 9, 12):
            return []
        return [PeriodSpec(text, s, e, months=months, end_date=_month_end(int(m.group("y")), last))]
    if kind == "month_quarter":  # 'the June 2023 quarter' is the three months ended June 30, 2023
        return [
            PeriodSpec(text, s, e, months=3, end_date=_month_end(int(m.group("y")), _month_number(m.group("month"))))
        ]
    if kind == "to_month":
        span = m.group("span").lower()
        months = 3 if re.match(r"(three months|quarter)", span) else 6 if "six" in span else 9 if "nine" in span else 12
        y, mo = int(m.group("y")), _month_number(m.group("month"))
        end = _safe_date(y, mo, int(m.group("day"))) if m.group("day") else _month_end(y, mo)
        return [PeriodSpec(text, s, e, months=months, end_date=end)]
    if kind == "midyear":
        return [PeriodSpec(text, s, e, months=0, quarter=2, fiscal_year=int(m.group("y")))]
    if kind == "first_months":
        months = vocabulary().periods["first_months"][" ".join(m.group("span").lower().split())]
        return [
            PeriodSpec(
                text,
                s,
                e,
                months=months,
                fiscal_year=int(m.group("y")) if m.group("y") else None,
                quarter=None if months != 3 else 1,
            )
        ]
    if kind == "year_bare":
        return [PeriodSpec(text, s, e, months=12)]
    if kind == "ttm":
        return [PeriodSpec(text, s, e, months=12, relative="latest")]
    if kind in ("dur_two", "dur_date", "named_date", "instant_date", "date"):
        md = _month_day(m.group("md"))
        if not md:
            return []
        years = [int(m.group("y"))] + _more_years(m)
        if kind == "dur_two":
            lengths = [_months_word(m.group("dur")), _months_word(m.group("dur2"))]
        elif kind == "dur_date":
            lengths = [_months_word(m.group("dur"))]
        elif kind == "named_date":
            word = m.group("kind").lower()
            lengths = [3 if word == "quarter" else 12 if "year" in word else None]
        else:
            lengths = [0 if kind == "instant_date" else None]
        return [
            PeriodSpec(text, s, e, months=n, end_date=_safe_date(y, *md), fiscal_year=None)
            for y in years
            for n in lengths
        ]
    if kind == "instant_year":
        return [PeriodSpec(text, s, e, months=0, fiscal_year=int(m.group("y")))]
    if kind == "quarter_q":
        q = int(m.group("q") or m.group("q2"))
        return [PeriodSpec(text, s, e, months=3, quarter=q, fiscal_year=_year(m.group("y")) if m.group("y") else None)]
    if kind == "quarter_words":
        q = vocabulary().periods["ordinals"][m.group("ord").lower()]
        return [PeriodSpec(text, s, e, months=3, quarter=q, fiscal_year=int(m.group("y")) if m.group("y") else None)]
    if kind == "half":
        which = (m.group("h") or "").lower()
        half = 1 if which == "first" or m.group("h2") == "1" or m.group("h3") == "1" else 2
        y = m.group("y") or m.group("y2")
        if half == 2:  # the second half is the year minus the first: not a reported period, keep the words
            return [PeriodSpec(text, s, e, months=6, quarter=4, fiscal_year=_year(y) if y else None)]
        return [PeriodSpec(text, s, e, months=6, fiscal_year=_year(y) if y else None)]
    if kind == "nine":
        y = m.group("y") or m.group("y2")
        return [PeriodSpec(text, s, e, months=9, fiscal_year=_year(y) if y else None)]
    if kind == "fiscal_year":
        years = [_year(m.group("y"))] + _more_years(m)
        return [PeriodSpec(text, s, e, months=12, fiscal_year=y) for y in years]
    if kind == "year":
        return [PeriodSpec(text, s, e, fiscal_year=int(m.group("y")))]
    return []


def _months_word(word: str) -> int:
    """The months a span names: 'six', 'six months', 'twelve-month', or a retail span in weeks ('12 weeks')."""
    m = re.fullmatch(r"(.+?)(?:[- ](weeks?|months?))?", word.lower().strip())
    number, unit = (m.group(1), m.group(2) or "months") if m else (word.lower(), "months")
    if unit.startswith("week"):
        return int(vocabulary().periods["week_spans"][number])
    return {"three": 3, "3": 3, "six": 6, "6": 6, "nine": 9, "9": 9, "twelve": 12, "12": 12}[number]


@lru_cache(maxsize=1)
def _week_words() -> str:
    """The lengths in weeks that stand for a quarter, half, nine months or year, as a pattern alternation."""
    spans = vocabulary().periods["week_spans"]
    return "|".join(sorted((re.escape(k) for k in spans if not k.startswith("_")), key=len, reverse=True))


def week_span(text: str) -> int | None:
    """The months of the one span in weeks a text names ('12 Weeks Ended'), or None."""
    found = {_months_word(m.group(0)) for m in re.finditer(rf"\b(?:{_week_words()})[- ]weeks?\b", text, re.I)}
    return found.pop() if len(found) == 1 else None


def _odd_weeks(text: str) -> bool:
    """The text names a span in weeks that stands for no quarter, half, nine months or year ('16 Weeks Ended')."""
    spans = vocabulary().periods["week_spans"]
    return any(m.group(1).lower() not in spans for m in re.finditer(r"\b([a-z0-9-]+)[- ]weeks?\b", text, re.I))


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")


def spelled_dates(text: str) -> str:
    """Dates printed in figures ('3/25/2023', month first as in US filings, or day first where the first number
    cannot be a month) written out as 'March 25, 2023', the form the period readers know."""

    def spell(m: re.Match) -> str:
        first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
        month, day = (second, first) if first > 12 else (first, second)
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return m.group(0)
        return f"{calendar.month_name[month]} {day}, {year}"

    return _NUMERIC_DATE.sub(spell, text)


_SPAN_WORDS = [
    (re.compile(r"\b(?:three|3)[- ]months?\b|\bquarters?\b", re.I), 3),
    (
        re.compile(
            r"\b(?:six|6)[- ]months?\b|\bhalf[- ]year\b|\bfirst half\b",
            re.I,
        ),
        6,
    ),
    (re.compile(r"\b(?:nine|9)[- ]months?\b", re.I), 9),
    (
        re.compile(
            r"\b(?:twelve|12)[- ]months?\b|"
            r"\b(?:fiscal\s+)?years?\s+end|\bfiscal\s+(?:year\s+)?(?:19|20)\d\d\b|\bfy\s?\d|"
            r"\bfull[- ]year\b",
            re.I,
        ),
        12,
    ),
]
_QUARTER_NAMED = re.compile(
    r"\b(?:q([1-4])|(first|second|third|fourth)\s+quarter)\b[\s,]*(?:of\s+)?(?:fiscal\s+|fy\s?)?"
    r"((?:19|20)\d\d)\b",
    re.I,
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_ORDINAL_QUARTER = re.compile(r"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b", re.IGNORECASE)
_DAY_OF_YEAR = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2})\s*,?\s*((?:19|20)\d\d)")


def ordinal_quarter(text: str) -> int | None:
    """The quarter a heading names by its ordinal ('Second Quarter', '4th quarter'), else None."""
    found = _ORDINAL_QUARTER.search(text)
    return _ORDINALS[found.group(1).lower()] if found else None


def column_period(heading: str, cal: FiscalCalendar, annual: bool) -> Period | None:
    """The period one table column covers, from the text printed above that column alone ('Three Months Ended
    July 2, 2023', 'December 31, 2022', 'Fiscal 2023', 'Q3 2024'); None when it does not name exactly one."""
    text = spelled_dates(" ".join(heading.split()))
    quarter = _in_dated_year(text, cal)
    if quarter is not None:
        return quarter
    spans = {months for pattern, months in _SPAN_WORDS if pattern.search(text)} | {week_span(text)} - {None}
    if len(spans) > 1 or _odd_weeks(text):
        return None  # two spans, or one in weeks that is no quarter, half or year ('16 Weeks Ended')
    span = spans.pop() if spans else None
    dates = [m for m in _DAY_OF_YEAR.finditer(text) if _month_number(m.group(1))]
    years = set(re.findall(r"\b(?:19|20)\d\d\b", text))
    if len(dates) == 1 and len(years) == 1:
        m = dates[0]
        end = _safe_date(int(m.group(3)), _month_number(m.group(1)), int(m.group(2)))
        return Period(end, 0 if span is None else span)
    if dates or len(years) != 1:
        return None
    year = int(years.pop())
    quarter = _QUARTER_NAMED.search(text)
    if quarter:
        q = int(quarter.group(1)) if quarter.group(1) else _ORDINALS[quarter.group(2).lower()]
        return Period(cal.quarter_end(year, q), 3)
    month_day = _month_day(text)
    if month_day and span is None:
        return Period(_safe_date(year, *month_day), 0)  # 'December 31,' over a year: a balance-sheet date
    if month_day and span:
        return Period(_safe_date(year, *month_day), span)
    if span == 12 or (span is None and annual):
        return Period(cal.year_end(year), 12)
    return None


def _in_dated_year(text: str, cal: FiscalCalendar) -> Period | None:
    """'Year Ended December 31, 2016 / First Quarter': that fiscal year's first quarter."""
    quarter = ordinal_quarter(text)
    dates = [m for m in _DAY_OF_YEAR.finditer(text) if _month_number(m.group(1))]
    if quarter is None or len(dates) != 1 or not re.search(r"\byears?\b", text, re.IGNORECASE):
        return None
    m = dates[0]
    end = _safe_date(int(m.group(3)), _month_number(m.group(1)), int(m.group(2)))
    return Period(cal.quarter_end(cal.fiscal_year_of(end), quarter), 3)


_VERSUS = re.compile(r"\b(?:19|20)\d\d\s+(?:vs\.?|v\.?|versus|compared (?:to|with))\s+(?:19|20)\d\d\b", re.IGNORECASE)


def column_periods(header: str, cal: FiscalCalendar, columns: int, annual: bool) -> list[Period | None] | None:
    """The period of each of a table's `columns`, read from its header lines ('Three Months Ended / June 30, /
    Six Months Ended / June 30, / 2024 2025 2024 2025'). Header groups share the years that follow them in
    order. Years alone mean fiscal years in an annual document, balance-sheet dates under a 'December 31,'
    heading; 'Q3 2024' and 'FY 2025' name fiscal quarters and years. None when the header does not give one period
    per column; a column with no period of its own (a trailing 'Y/Y % Change') is None."""
    text = spelled_dates(" ".join(header.split()))
    named = re.findall(r"\b(Q[1-4]|FY)\s?((?:19|20)\d\d)\b", text)
    if named and len(named) in (columns, columns - 1):
        out: list[Period | None] = []
        for kind, year in named:
            if kind == "FY":
                out.append(Period(cal.year_end(int(year)), 12))
            else:
                out.append(Period(cal.quarter_end(int(year), int(kind[1])), 3))
        return out + [None] * (columns - len(named))  # a trailing 'Y/Y % Change' column has no period
    text = re.sub(r"\b(?:19|20)\d\d\s*[-–/]\s*(?:19|20)?\d\d\b", " ", text)  # '% Change 2022-2021' is no period
    text, compared = _VERSUS.subn(" ", text)  # '2022 vs. 2021': the heading of change columns, no period
    last_year = max((m.end() for m in re.finditer(r"(?:19|20)\d\d", text)), default=0)
    change_columns = len(re.findall(r"%\s*change|\bchange\b|\bvariance\b", text[last_year:], re.I))
    if compared:  # the columns after the dated ones are the changes those pairs head ($ and %, or one of them)
        change_columns = max(change_columns, columns - len(re.findall(r"(?:19|20)\d\d", text)))
    if _odd_weeks(text):
        return None
    spans = rf"\b(?:(?:three|six|nine|twelve)\s+months|(?:{_week_words()})[- ]weeks)\b"
    lengths = [_months_word(m.group(0)) for m in re.finditer(spans, text, re.I)]
    lengths += [12] * len(re.findall(r"\b(?:fiscal\s+)?years?\s+ended\b", text, re.I))
    if len(set(lengths)) == 1:
        lengths = lengths[:1]  # 'For the Years Ended May 31, ...' above 'Year Ended May 31,': one span
    md = _month_day(text)
    dated = [
        (int(y), m)
        for m in re.finditer(r"(?:(?P<md>[A-Za-z]+\.?\s+\d{1,2}),?\s+)?(?P<y>(?:19|20)\d\d)", text)
        for y in [m.group("y")]
    ]
    extra = min(change_columns, columns - 1)  # trailing change columns ('% Change') have no period
    if len(dated) + extra < columns:
        return None
    full = [(y, m) for y, m in dated if m.group("md") and _month_day(m.group("md"))]
    if len(full) == columns - extra and not any(m.group("md") for _, m in dated[len(dated) - len(full) :]):
        dated = full  # 'At January 1, 2023 and January 2, 2022 ... 2022 2021': the dates, not the year labels
    dated = dated[len(dated) - (columns - extra) :]  # the years the columns are headed by: the last run
    years = [y for y, _ in dated]
    columns -= extra
    dates = [(_month_day(m.group("md")) if m.group("md") and _month_day(m.group("md")) else None) for _, m in dated]
    periods = _periods_of(years, dates, lengths, md, text, cal, columns, annual)
    return None if periods is None else periods + [None] * extra


def _periods_of(
    years: list[int], dates: list, lengths: list[int], md, text: str, cal: FiscalCalendar, columns: int, annual: bool
) -> list[Period] | None:
    if lengths:
        if columns % len(lengths):
            return None
        per = columns // len(lengths)
        return [
            Period(_safe_date(y, *(dates[i] or md or (cal.month, cal.day))), lengths[i // per])
            for i, y in enumerate(years)
        ]
    if any(dates) or re.search(r"\bas of\b|\bbalance\b", text, re.I) or (md and not annual):
        out = []
        for y, d in zip(years, dates):
            month_day = d or md or (cal.month, cal.day)
            out.append(Period(_safe_date(y, *month_day), 0))
        return out
    if md:  # 'December 31, / 2023 2024' with no 'ended': a balance sheet in an annual report
        return [Period(_safe_date(y, *md), 0) for y in years]
    if annual:
        return [Period(cal.year_end(y), 12) for y in years]
    return None


_YEAR_END = re.compile(r"\b(?:fiscal\s+)?years?\s+end(?:ed|ing|s)?(?:\s+on)?\s+([A-Z][a-z]+\.?\s+\d{1,2})\b", re.I)


def infer_year_end(text: str) -> FiscalCalendar | None:
    """The fiscal year end a document names most often ('Year Ended June 30,'), or None when it names none."""
    from collections import Counter

    found = Counter(_month_day(m.group(1)) for m in _YEAR_END.finditer(text))
    found.pop(None, None)
    if not found:
        return None
    month, day = found.most_common(1)[0][0]
    return FiscalCalendar(month, day)
