"""Who a document is from and what period it reports, read from the document itself: an SEC cover page (form,
registrant, trading symbol, the period the report covers) or an earnings release's own opening ('Acme Corp.
(NYSE: ACME) today reported results for the quarter ended ...'), and the company's fiscal calendar from the dates
its statements and sentences use. Names are normalised (case, typographic quotes, legal suffixes) and come with the
short names a reader uses: the name without its suffix, the terms the document defines for itself ('("Acme" or
"the Company")') and the ticker.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from assistant.finance.names import SUFFIX_TAIL, cased_name, normalise_quotes, short_names
from assistant.finance.periods import FiscalCalendar, Period, find_periods
from ingest.loaders.base import LoadedFile

COVER_CHARS = 6000  # how much of a document's start is read as its cover page or its release's opening
BODY_CHARS = 400_000  # how much of the document is read for calendar evidence and name casing

_FORM = re.compile(r"\b(?:FORM|Form)\s+(10-K|10-Q|20-F|8-K|40-F|6-K)\b(?!\s+(?:for|filed|and)\b)")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
_DATE = rf"{_MONTH}\s+\d{{1,2}}\s*,?\s*(?:19|20)\d\d"
_ANNUAL = re.compile(rf"for\s+the\s+(?:fiscal\s+)?year\s+ended\s*:?\s*({_DATE})", re.IGNORECASE)
_QUARTERLY = re.compile(
    rf"for\s+the\s+quarterly\s+period\s+ended\s*:?\s*(?:[A-Za-z]+\s+){{0,3}}?({_DATE})", re.IGNORECASE
)  # 'ended Commission file March 31, 2021': two cover columns interleaved
_EVENT = re.compile(
    rf"date\s+of\s+report\s*\(date\s+of\s+earliest\s+event\s+reported\)\s*:?\s*({_DATE})", re.IGNORECASE
)
_REGISTRANT_LABEL = re.compile(r"\(\s*exact\s+name\s+of\s+(?:the\s+)?registrant", re.IGNORECASE)
_COVER_NOISE = re.compile(
    r"commission\s+file\s+(?:number|no\.?)\s*:?\s*[\d-]*|_{2,}|\(mark one\)|"
    r"for the transition period from\s*\S*\s*to\s*\S*|\bor\b\s*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"securities|exchange|commission|form\s+\d|report|pursuant|\bact\b|delaware|"
    r"incorporation|jurisdiction|identification|washington|file\s+number|\d{3}|^\W*$|"
    r"\btransition\b|\bperiod\b|\bfrom\s+to\b",
    re.IGNORECASE,
)
_EXCHANGE = r"(?:NYSE|NASDAQ|Nasdaq|NYSE American|NASDAQ GS|ASX|LSE|TSX)"
_LISTED = re.compile(rf"([A-Z][\w&.,'’ -]{{1,70}}?)\s*\(\s*{_EXCHANGE}\s*:\s*([A-Z][A-Z.]{{0,5}})\s*\)")
_TRADING_ROW = re.compile(
    r"\b([A-Z]{1,5}(?:\.[A-Z])?)\s+(?:[—–-]\s+)*(?:The\s+)?(?:New York Stock Exchange|NYSE|Nasdaq|NASDAQ|"
    r"Chicago Stock Exchange)"
)
_ANNOUNCES = re.compile(
    r"^\s*([A-Z][\w&.,'’ -]{1,60}?)\s+(?i:reports|announces|reported|delivers|posts)\b", re.MULTILINE
)
_LEGAL_NAME = re.compile(
    r"\b((?:The\s+)?[A-Z][\w&.'’-]*(?:\s+(?:&\s+)?[A-Z][\w&.'’-]*){0,4},?\s+"
    r"(?:Inc\.|Incorporated|Corporation|Company|Corp\.|Co\.|plc|PLC|Ltd\.|Limited|N\.V\.|S\.A\.))"
)
_RESULTS = re.compile(
    r"(?:results|earnings)\s+for\s+(?:its\s+|the\s+)?(?P<what>[^.;]{0,120}?)\s*(?:period\s+)?"
    rf"ended\s+(?P<date>{_DATE})",
    re.IGNORECASE,
)
_RESULTS_NAMED = re.compile(
    r"(?:reports?|announces?|reported|announced)\s+(?:its\s+)?(?P<a>[^.;\n]{0,60}?)\s+"
    r"(?:financial\s+)?results|results\s+for\s+(?:the\s+|its\s+)?(?P<b>[^.;]{0,60})",
    re.IGNORECASE,
)
_NAMED_QUARTER = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|q(?P<q>[1-4]))\b"
    r"(?:[\s,]+(?:and\s+)?(?:full[- ]year\s+)?)?(?:(?:of\s+)?fiscal(?:\s+year)?\s*)?"
    r"(?P<year>(?:19|20)\d\d)?",
    re.IGNORECASE,
)
_NAMED_YEAR = re.compile(r"\b(?:fiscal|full[- ]year|fy)\s*(?:year\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_FISCAL_NAMED = re.compile(
    r"\bfiscal\s+(?:year\s+)?((?:19|20)\d\d)\b[^.\n]{0,80}?\bended\s+"
    rf"({_DATE})|\b(?:fiscal\s+)?years?\s+ended\s+({_DATE})\s*\(\s*[“\"]?fiscal\s+"
    r"((?:19|20)\d\d)",
    re.IGNORECASE,
)
_YEAR_END_SAID = re.compile(
    rf"fiscal\s+year\s+(?:end|ends|ending|ended)\s+(?:on\s+)?({_MONTH}\s+\d{{1,2}})\b", re.IGNORECASE
)
_YTD = re.compile(r"\b(six|nine|twenty-six|thirty-nine|26|39)[- ](?:months|weeks)\s+ended", re.IGNORECASE)
_QUARTER_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "q1": 1,
    "q2": 2,
    "q3": 3,
    "q4": 4,
}
_DESCRIBES_RESULTS = re.compile(
    r"\b(?:reports?|reported|announces?|announced)\b[^.]{0,120}\bresults\b|"
    r"\bfinancial results\b",
    re.IGNORECASE,
)


@dataclass
class Identity:
    """What a document says about itself. Empty fields were not found (never guessed)."""

    company: str = ""  # the legal name, cased as the document writes it in prose: 'Acme Holdings, Inc.'
    aliases: list[str] = field(default_factory=list)  # short names: 'Acme Holdings', 'Acme', defined terms
    ticker: str = ""
    form: str = ""  # '10-K', '10-Q', '8-K', 'earnings release', ...
    period: Period | None = None  # the period the report covers (a quarter for a 10-Q or a quarterly release)
    event_date: date | None = None  # an 8-K's date of report
    calendar: FiscalCalendar | None = None  # None when the document does not show its fiscal year end

    @property
    def fiscal_year_end(self) -> str:
        return self.calendar.text() if self.calendar else ""

    def period_label(self) -> str:
        """'FY2023 (year ended June 30, 2023)', 'Q3 FY2023 (three months ended July 1, 2023)', or ''."""
        if self.period is None:
            return ""
        cal = self.calendar or FiscalCalendar()
        end = f"{self.period.end:%B} {self.period.end.day}, {self.period.end.year}"
        if self.period.months == 12:
            return f"FY{cal.fiscal_year_of(self.period.end)} (year ended {end})"
        if self.period.months == 3 and self.calendar is not None:
            fy, q = cal.quarter_of(self.period.end)
            return f"Q{q} FY{fy} (three months ended {end})"
        words = {3: "three", 6: "six", 9: "nine"}.get(self.period.months, str(self.period.months))
        return f"{words} months ended {end}"


def read_identity(loaded: LoadedFile) -> Identity:
    """The identity a document states: cover page first, then a release's opening lines, then its body."""
    cover = _start(loaded, COVER_CHARS)
    flat = " ".join(cover.split())
    body = _start(loaded, BODY_CHARS)
    identity = Identity()
    form = _FORM.search(flat[:1500])
    identity.form = form.group(1).upper() if form else ""
    name, ticker = _listed_name(flat)
    registrant = _registrant(cover) if identity.form else ""
    raw_name = registrant or name or _announcer(cover) or _most_named(body)
    identity.ticker = ticker or _trading_symbol(flat)
    if raw_name:
        identity.company = cased_name(raw_name, body)
        identity.aliases = short_names(identity.company, body)
    event = _EVENT.search(flat)
    if event:
        identity.event_date = _date(event.group(1))
    identity.period, quarter, named_year = _reported_period(flat, identity.form)
    identity.calendar = fiscal_calendar(body, identity.period, quarter, named_year)
    if identity.period is None and quarter and named_year:  # 'reports second-quarter 2023 results', no date
        cal = identity.calendar or FiscalCalendar()
        identity.period = (
            Period(cal.year_end(named_year), 12)
            if quarter == 4 and not _NAMED_QUARTER.search(flat[:COVER_CHARS])
            else Period(cal.quarter_end(named_year, quarter), 3)
        )
    if identity.form in ("", "8-K") and identity.period is not None and _DESCRIBES_RESULTS.search(flat):
        identity.form = "earnings release"
    return identity


# -- names ----------------------------------------------------------------------------------------------------
def _start(loaded: LoadedFile, limit: int) -> str:
    text = ""
    for section in loaded.sections:
        text += section.text + "\n"
        if len(text) > limit:
            break
    return normalise_quotes(text[:limit])


def _registrant(cover: str) -> str:
    """The name printed just above '(Exact name of registrant as specified in its charter)'."""
    label = _REGISTRANT_LABEL.search(cover)
    if not label:
        return _caps_after_file_number(cover)
    before = _COVER_NOISE.sub("\n", cover[: label.start()])
    words: list[str] = []  # the capitalised words that end at the label (a cover may print one word a line)
    for word in reversed(before.split()):
        if (
            not (word[:1].isupper() or word[:1].isdigit() or word == "&")
            or re.search(r"\d{3}", word)
            or len(words) >= 8
        ):
            break
        words.insert(0, word)
    for start in range(len(words)):
        name = " ".join(words[start:])
        if _name_like(name) and _core(name) and words[start].lower() not in ("to", "from", "or", "and", "for", "by"):
            return name
    return _caps_after_file_number(cover)


def _core(name: str) -> str:
    """The name without its legal suffix and a leading 'The'; '' for a bare suffix or a generic phrase."""
    core = re.sub(r"^the\s+", "", SUFFIX_TAIL.sub("", name).strip(" ,&"), flags=re.IGNORECASE)
    return "" if re.fullmatch(r"(?:our|the|this|such|each|a|an|its|their)?\s*(?:company)?", core, re.I) else core


def _caps_after_file_number(cover: str) -> str:
    """A cover without the label: the capitalised line after the commission file number."""
    lines = [ln.strip() for ln in cover.split("\n")]
    for i, line in enumerate(lines):
        if re.search(r"commission\s+file\s+(?:number|no)", line, re.IGNORECASE):
            for candidate in lines[i : i + 3]:
                candidate = _COVER_NOISE.sub(" ", candidate).strip(" .,:;")
                letters = re.sub(r"[^A-Za-z]", "", candidate)
                if candidate and letters.isupper() and _name_like(candidate):
                    return candidate
    return ""


def _name_like(text: str) -> bool:
    words = text.split()
    return (
        1 <= len(words) <= 8
        and len(text) <= 80
        and bool(re.search(r"[A-Za-z]{2}", text))
        and not _NOT_A_NAME.search(text)
    )


def _listed_name(flat: str) -> tuple[str, str]:
    """'Acme Corp. (NYSE: ACME)' -> ('Acme Corp.', 'ACME')."""
    for m in _LISTED.finditer(flat):
        words = m.group(1).split()
        while (
            words
            and not words[0][:1].isupper()
            or words
            and re.match(r"^(?:Today|On|The)$", words[0])
            and len(words) > 2
        ):
            words = words[1:]
        name = re.split(r"\s+[-–—]{1,2}\s+|--|[–—]", " ".join(words))[-1].strip(" ,")  # after a dateline
        if _name_like(name):
            return name, m.group(2).rstrip(".")
    return "", ""


def _announcer(cover: str) -> str:
    """'Acme Reports Fourth Quarter Results' -> 'Acme'."""
    m = _ANNOUNCES.search(cover[:1500])
    return m.group(1).strip(" ,") if m and _name_like(m.group(1)) and _core(m.group(1)) else ""


def _most_named(body: str) -> str:
    """The legal name the document repeats most ('The Acme Company'), for a cover whose name is an image."""
    found = Counter(" ".join(m.group(1).split()) for m in _LEGAL_NAME.finditer(body[:60_000]))
    found = Counter(
        {n: c for n, c in found.items() if _name_like(n) and _core(n) and not re.search(r"\bLLP\b|Trust|Bank of", n)}
    )
    return found.most_common(1)[0][0] if found else ""


def _trading_symbol(flat: str) -> str:
    """The ticker in the cover's 'Trading Symbol(s)' table, when it has one."""
    at = flat.lower().find("trading symbol")
    if at < 0:
        return ""
    found = Counter(
        m.group(1)
        for m in _TRADING_ROW.finditer(flat[at : at + 1500])
        if m.group(1) not in ("NYSE", "LLC", "INC", "THE", "OF")
    )
    return found.most_common(1)[0][0] if found else ""


# -- periods --------------------------------------------------------------------------------------------------
def _date(text: str) -> date | None:
    specs = find_periods(" ".join(text.split()))
    return specs[0].end_date if specs and specs[0].end_date else None


def _reported_period(flat: str, form: str) -> tuple[Period | None, int | None, int | None]:
    """The period a report covers, and the fiscal quarter and year it names its results by, when it does."""
    annual = _ANNUAL.search(flat)
    if annual and form in ("10-K", "20-F", "40-F", ""):
        when = _date(annual.group(1))
        return (Period(when, 12), 4, None) if when else (None, None, None)
    quarterly = _QUARTERLY.search(flat)
    if quarterly:
        when = _date(quarterly.group(1))
        return (Period(when, 3), None, None) if when else (None, None, None)
    results = _RESULTS.search(flat)
    named_quarter, named_year = _named_results(flat)
    if results:
        when = _date(results.group("date"))
        what = results.group("what").lower()
        if when is None:
            return None, named_quarter, named_year
        if re.search(r"quarter|three months|thirteen|13 weeks|fourteen|14 weeks", what):
            return Period(when, 3), named_quarter, named_year
        if re.search(r"year|twelve months|52|53|fifty", what):
            return Period(when, 12), 4, named_year
        return Period(when, 3 if named_quarter else 12), named_quarter, named_year
    return None, named_quarter, named_year


def _named_results(flat: str) -> tuple[int | None, int | None]:
    """(quarter, fiscal year) a release names its results by: 'Acme Reports Second-Quarter 2023 Results',
    'results for fourth-quarter and full year 2022', 'reports fiscal 2023 results'."""
    for m in _RESULTS_NAMED.finditer(flat[:COVER_CHARS]):
        words = m.group("a") or m.group("b") or ""
        quarter = _NAMED_QUARTER.search(words)
        if quarter:
            q = _QUARTER_WORDS.get((quarter.group("ord") or "").lower()) or int(quarter.group("q"))
            year = quarter.group("year") or next(iter(re.findall(r"(?:19|20)\d\d", words)), None)
            return q, int(year) if year else None
        year = _NAMED_YEAR.search(words)
        if year:
            return 4, int(year.group("year"))
    return None, None


def fiscal_calendar(
    body: str, period: Period | None, quarter: int | None, named_year: int | None = None
) -> FiscalCalendar | None:
    """The fiscal year end and how years are named, from what the document shows: an annual report's period, a
    quarter's position in the year ('nine months ended' = the third quarter), a sentence that states the year
    end, or the second date of a quarterly balance sheet (the last year end). None when nothing shows it."""
    end: tuple[int, int] | None = None
    if period is not None and period.months == 12:
        end = (period.end.month, period.end.day)
    elif period is not None and period.months == 3:
        q = quarter or _quarter_from_ytd(body, period)
        if q is not None:
            year_end = _months_after(period.end, 3 * (4 - q))
            end = (year_end.month, year_end.day)
    if end is None:
        said = _YEAR_END_SAID.search(body)
        if said:
            specs = find_periods(said.group(1) + ", 2000")
            if specs and specs[0].end_date:
                end = (specs[0].end_date.month, specs[0].end_date.day)
    if end is None:
        return None
    calendar = FiscalCalendar.parse(f"{end[0]:02d}-{end[1]:02d}")
    named_late = (
        period is not None
        and named_year is not None
        and period.end.year == named_year + 1
        and period.end.month <= 6
        and calendar.month <= 6
    )  # 'fourth quarter fiscal 2022' ended January 28, 2023
    return FiscalCalendar(calendar.month, calendar.day, named_by_start=named_late or _named_by_start(body, calendar))


def _quarter_from_ytd(body: str, period: Period) -> int | None:
    """A quarterly report that also shows six (nine) months to the same date is the second (third) quarter;
    one that shows only three months is the first."""
    near = [m for m in _YTD.finditer(body[:BODY_CHARS])]
    words = Counter(m.group(1).lower() for m in near)
    if not words:
        return 1 if re.search(r"\bthree\s+months\s+ended|\bthirteen\s+weeks\s+ended", body, re.IGNORECASE) else None
    top = words.most_common(1)[0][0]
    return 2 if top in ("six", "twenty-six", "26") else 3


def _months_after(day: date, months: int) -> date:
    """The month end `months` after the month a quarter ends in; a 52/53-week quarter ending in a month's first
    week ('July 1') ends the month before."""
    import calendar as cal

    if day.day <= 7:
        day = day.replace(day=1) - timedelta(days=1)
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, cal.monthrange(y, m + 1)[1])


def _named_by_start(body: str, calendar: FiscalCalendar) -> bool:
    """Whether 'fiscal 2023' names the year that starts in 2023 (and ends early in 2024), as some retailers do:
    decided by the sentences that pair a fiscal year's name with its end date."""
    votes: Counter = Counter()
    for m in _FISCAL_NAMED.finditer(body):
        named, ended = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        when = _date(ended)
        if when is not None and _near_year_end(when, calendar):
            votes[int(named) == when.year - 1 and when.month <= 6] += 1
    return bool(votes) and votes[True] > votes[False]


def _near_year_end(when: date, calendar: FiscalCalendar) -> bool:
    ends = [date(y, calendar.month, 1) + timedelta(days=calendar.day - 1) for y in (when.year - 1, when.year)]
    return min(abs((when - e).days) for e in ends) <= 10
