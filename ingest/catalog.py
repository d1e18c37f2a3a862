"""Document metadata: a `catalog.json` beside the files when there is one, else read from the file itself (an SEC
filing's cover page names the registrant, the form and the fiscal period).

`catalog.json` has two parts: `companies` (aliases, fiscal year end, reporting currency, segments with their
aliases, and metrics of the company's own, per company) and `files` (title, company, document type and period per
file name). A company's `metrics` are line items only its statements print (key -> names, label, kind, unit,
statement, and `magnitude` when they are printed as outflows) and its own names for a general metric (key ->
names): the general vocabulary holds only what any filing may use.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.finance.periods import FiscalCalendar, infer_year_end
from assistant.finance.names import short_names
from ingest.identity import Identity, read_identity
from ingest.loaders import LoadedFile

CATALOG_NAME = "catalog.json"
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
    ticker: str = ""  # matched in questions only as printed, in capitals ('ACME', never 'acme')
    segments: dict[str, dict] = field(default_factory=dict)
    metrics: dict[str, dict] = field(default_factory=dict)  # its own line items and names (`add_company_metrics`)

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
    """Catalog entry first; otherwise what the document says of itself (`ingest/identity.py`): the company from
    its cover page or its release's opening, the form, the period it reports and the company's fiscal calendar."""
    catalog = catalog or Catalog()
    entry = catalog.entry(Path(path).name)
    identity = read_identity(loaded)
    company = entry.get("company") or identity.company
    profiles = [
        catalog.profile(name) or _profile(name, identity, loaded)
        for name in filter(None, (n.strip() for n in company.split(";")))
    ]
    return DocMeta(
        doc_id=entry.get("doc_id") or doc_id_for(path),
        title=entry.get("title") or _title(path, loaded, identity),
        company=company,
        doc_type=entry.get("doc_type")
        or identity.form
        or _doc_type(path.name + " " + loaded.properties.get("Subject", "")),
        period=entry.get("period") or identity.period_label(),
        companies=profiles,
    )


def _profile(name: str, identity: Identity, loaded: LoadedFile) -> CompanyProfile:
    """The profile of a company no catalog describes: the document's own names for it and its calendar."""
    if name == identity.company:
        return CompanyProfile(
            name=name,
            aliases=identity.aliases,
            ticker=identity.ticker,
            fiscal_year_end=identity.fiscal_year_end or _headings_year_end(loaded),
        )
    return company_profile(name, loaded)


def company_profile(name: str, loaded: LoadedFile, fiscal_year_end: str = "") -> CompanyProfile:
    """A company named without a cover page: its name without the legal suffix as an alias, and its fiscal year
    end from the year ends its statements' column headings name."""
    return CompanyProfile(
        name=name, aliases=short_names(name), fiscal_year_end=fiscal_year_end or _headings_year_end(loaded)
    )


def _headings_year_end(loaded: LoadedFile) -> str:
    calendar = infer_year_end("\n".join(s.text for s in loaded.sections))
    return calendar.text() if calendar else ""  # unknown, not assumed


def _title(path: Path, loaded: LoadedFile, identity: Identity) -> str:
    """'Acme Corp. 10-Q, Q3 FY2023 (three months ended July 1, 2023)' for a filing; else the file's own title."""
    if identity.company and identity.form:
        when = identity.period_label() or (
            f"dated {identity.event_date:%B} {identity.event_date.day}, {identity.event_date.year}"
            if identity.event_date
            else ""
        )
        return f"{identity.company} {identity.form}, {when}".strip(", ")[:160]
    title = loaded.title.strip()
    if not title or re.fullmatch(r"[\d-]+", title):  # EDGAR PDFs carry the accession number as title
        title = Path(path).stem.replace("_", " ").replace("-", " ")
    return title[:160]


def _doc_type(text: str) -> str:
    lowered = text.lower()
    for pattern, name in (
        (r"10-?k", "10-K"),
        (r"10-?q", "10-Q"),
        (r"20-?f", "20-F"),
        (r"8-?k", "8-K"),
        (r"earnings|results|release", "earnings release"),
        (r"annual.report", "annual report"),
    ):
        if re.search(pattern, lowered):
            return name
    return "document"
