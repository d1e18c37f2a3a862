"""Document metadata: a `catalog.json` beside the files when there is one, else read from the file itself (an SEC
filing's cover page names the registrant, the form and the fiscal period).

`catalog.json` has two parts: `companies` (aliases, fiscal year end, reporting currency and segments with their
aliases, per company) and `files` (title, company, document type and period per file name).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.finance.periods import FiscalCalendar, infer_year_end
from ingest.loaders import LoadedFile

CATALOG_NAME = "catalog.json"
COVER_CHARS = 6000  # how much of a file's start is read as its cover page
FILING_TYPES = frozenset({"10-K", "10-Q", "20-F", "40-F", "8-K", "annual report", "earnings release"})


@dataclass
class CompanyProfile:
    """What the catalog (or a cover page) says about a company: other names, fiscal year end, reporting currency,
    and its segments with their aliases and descriptive words ('cloud')."""

    name: str
    aliases: list[str] = field(default_factory=list)
    fiscal_year_end: str = "12-31"
    currency: str = "USD"
    headquarters: str = ""  # a city: 'the Seattle retailer', 'the Hangzhou-based group'
    segments: dict[str, dict] = field(default_factory=dict)

    @property
    def calendar(self) -> FiscalCalendar:
        return FiscalCalendar.parse(self.fiscal_year_end)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class DocMeta:
    doc_id: str
    title: str
    company: str
    doc_type: str
    period: str
    companies: list[CompanyProfile] = field(default_factory=list)

    @property
    def annual(self) -> bool:
        return self.doc_type in ("10-K", "20-F", "annual report") or bool(re.match(r"FY\d{4}", self.period))

    @property
    def filing(self) -> bool:
        """A company's own report of its results (a sentence there without a period speaks of the report's)."""
        return self.doc_type in FILING_TYPES

    @property
    def calendar(self) -> FiscalCalendar:
        return self.companies[0].calendar if self.companies else FiscalCalendar()

    @property
    def currency(self) -> str:
        return self.companies[0].currency if self.companies else "USD"

    def profiles_json(self) -> str:
        return json.dumps([asdict(c) for c in self.companies], separators=(",", ":"))


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name: 'acme_10-k_2024.pdf' -> 'acme-10-k-2024'."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return slug[:80] or "document"


@dataclass
class Catalog:
    files: dict[str, dict] = field(default_factory=dict)
    companies: dict[str, CompanyProfile] = field(default_factory=dict)

    def entry(self, name: str) -> dict:
        return self.files.get(name, {})

    def profile(self, name: str) -> CompanyProfile | None:
        """The profile of a company named by its name or one of its aliases."""
        key = name.strip().lower()
        for profile in self.companies.values():
            if key in (n.lower() for n in profile.names()):
                return profile
        return None


def read_catalog(folder: Path) -> Catalog:
    path = Path(folder) / CATALOG_NAME
    if not path.is_file():
        return Catalog()
    data = json.loads(path.read_text(encoding="utf-8"))
    companies = {name: CompanyProfile(name=name, **spec) for name, spec in data.get("companies", {}).items()}
    return Catalog(files=data.get("files", {}), companies=companies)


def describe(path: Path, loaded: LoadedFile, catalog: Catalog | None = None) -> DocMeta:
    """Catalog entry first; otherwise the company, form and period from the file's cover page and properties."""
    catalog = catalog or Catalog()
    entry = catalog.entry(Path(path).name)
    cover = read_cover(loaded)
    subject = loaded.properties.get("Subject", "")
    company = entry.get("company") or cover.get("company", "")
    profiles = [catalog.profile(name) or company_profile(name, loaded, cover.get("fiscal_year_end", ""))
                for name in filter(None, (n.strip() for n in company.split(";")))]
    return DocMeta(
        doc_id=entry.get("doc_id") or doc_id_for(path),
        title=entry.get("title") or _title(path, loaded, cover),
        company=company,
        doc_type=entry.get("doc_type") or cover.get("form") or _doc_type(path.name + " " + subject),
        period=entry.get("period") or cover.get("period") or _period(subject),
        companies=profiles,
    )


_FORM = re.compile(r"\bFORM\s+(10-K|10-Q|20-F|8-K|40-F)\b", re.IGNORECASE)
_FISCAL_END = re.compile(r"for the (fiscal year|quarterly period) ended\s+([A-Z][a-z]+\.?\s+\d{1,2},?\s+(?:19|20)\d\d)",
                         re.IGNORECASE)
_REGISTRANT = re.compile(r"([^\n]{3,120})\n[^\n]{0,40}\(?\s*Exact name of (?:the )?registrant", re.IGNORECASE)


def read_cover(loaded: LoadedFile) -> dict[str, str]:
    """Form, registrant, period and fiscal year end from an SEC filing's cover page (empty when there is none)."""
    from assistant.finance.periods import find_periods

    text = ""
    for section in loaded.sections:
        text += section.text + "\n"
        if len(text) > COVER_CHARS:
            break
    text = text[:COVER_CHARS]
    out: dict[str, str] = {}
    form = _FORM.search(text)
    if form:
        out["form"] = form.group(1).upper()
    ended = _FISCAL_END.search(text)
    if ended:
        specs = find_periods(ended.group(2))
        when = specs[0].end_date if specs else None
        if when:
            annual = ended.group(1).lower().startswith("fiscal")
            out["period"] = (f"FY{when.year} (year ended {when.isoformat()})" if annual
                             else f"quarter ended {when.isoformat()}")
            if annual:
                out["fiscal_year_end"] = f"{when.month:02d}-{when.day:02d}"
    registrant = _REGISTRANT.search(text)
    if registrant:
        name = re.sub(r"\s+", " ", registrant.group(1)).strip(" _*#")
        if re.search(r"[A-Za-z]", name):
            out["company"] = name.title() if name.isupper() else name
    return out


def company_profile(name: str, loaded: LoadedFile, fiscal_year_end: str = "") -> CompanyProfile:
    """A company no catalog describes: its name without the legal suffix as an alias, and its fiscal year end
    from the cover page or, failing that, from the year ends its statements' column headings name."""
    if not fiscal_year_end:
        calendar = infer_year_end("\n".join(s.text for s in loaded.sections))
        fiscal_year_end = f"{calendar.month:02d}-{calendar.day:02d}" if calendar else ""  # unknown, not assumed
    return CompanyProfile(name=name, aliases=_short_names(name), fiscal_year_end=fiscal_year_end)


def _short_names(name: str) -> list[str]:
    """'Acme.com, Inc.' -> ['Acme.com', 'Acme']: the name without its legal suffix."""
    bare = name
    while True:  # 'Acme Holdings Limited' -> 'Acme'
        shorter = re.sub(r",?\s+(inc|corp|corporation|company|co|ltd|limited|holdings?|plc|llc|n\.v|s\.a|ag|se)\.?$",
                         "", bare, flags=re.IGNORECASE).strip()
        if shorter == bare or not shorter:
            break
        bare = shorter
    out = [bare] if bare != name else []
    if bare.lower().endswith(".com"):
        out.append(bare[:-4])
    return out


def _title(path: Path, loaded: LoadedFile, cover: dict[str, str]) -> str:
    title = loaded.title.strip()
    if not title or re.fullmatch(r"[\d-]+", title):  # EDGAR PDFs carry the accession number as title
        if cover.get("company") and cover.get("form"):
            return f"{cover['company']} Form {cover['form']}, {cover.get('period', '')}".strip(", ")
        title = Path(path).stem.replace("_", " ").replace("-", " ")
    return title[:160]


def _doc_type(text: str) -> str:
    lowered = text.lower()
    for pattern, name in ((r"10-?k", "10-K"), (r"10-?q", "10-Q"), (r"20-?f", "20-F"), (r"8-?k", "8-K"),
                          (r"earnings|results|release", "earnings release"), (r"annual.report", "annual report")):
        if re.search(pattern, lowered):
            return name
    return "document"


def _period(subject: str) -> str:
    match = re.search(r"period ending (\d{4}-\d{2}-\d{2})", subject)
    return f"period ending {match.group(1)}" if match else ""
