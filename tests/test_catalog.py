"""The catalog: document ids, company profiles by any name, a company's own metrics, and what a document without an
entry says of itself."""

import json
from pathlib import Path

import pytest

from ingest.catalog import Catalog, CompanyProfile, DocMeta, company_profile, describe, doc_id_for, read_catalog
from ingest.loaders.base import LoadedFile, Section
from tests.conftest import CORPUS, PROJECT_ROOT

COVER = (
    "UNITED STATES SECURITIES AND EXCHANGE COMMISSION\nFORM 10-K\n"
    "ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d)\nFor the fiscal year ended January 28, 2023\n"
    "Zephyr Retail Corp.\n(Exact name of registrant as specified in its charter)\n"
)


def test_doc_ids_are_stable_url_safe_slugs():
    assert doc_id_for(Path("amazon_10-k_2024.pdf")) == "amazon-10-k-2024"
    assert doc_id_for(Path("Ünïcode Report (final).md")) == "n-code-report-final"
    assert doc_id_for(Path("___.txt")) == "document"


def test_the_default_catalog_names_companies_by_any_alias():
    catalog = read_catalog(CORPUS)
    profile = catalog.profile("amzn")
    assert profile is not None and profile.name == "Amazon.com, Inc." and profile.calendar.month == 12
    assert catalog.profile("Alibaba").calendar.month == 3 and catalog.profile("nobody") is None
    assert read_catalog(CORPUS / "missing") == Catalog()


def test_a_filing_without_an_entry_is_described_from_its_cover_page():
    loaded = LoadedFile(sections=[Section(text=COVER)], title="0000012345-23-000001")
    meta = describe(Path("zephyr.pdf"), loaded)
    assert meta.company == "Zephyr Retail Corp." and meta.doc_type == "10-K"
    assert meta.companies[0].aliases == ["Zephyr Retail"] and meta.companies[0].fiscal_year_end == "01-28"
    assert "Zephyr Retail Corp." in meta.title


def test_a_company_profile_reads_the_year_end_from_column_headings():
    loaded = LoadedFile(sections=[Section(text="Year Ended March 31,\n2024 2025\nRevenue 10 12")])
    assert company_profile("Acme Holdings Limited", loaded) == CompanyProfile(
        name="Acme Holdings Limited", aliases=["Acme"], fiscal_year_end="03-31"
    )


def test_a_year_end_no_page_states_is_left_unknown_and_read_from_the_facts():
    from datetime import date

    from assistant.contract.types import DocumentInfo, Fact
    from assistant.finance.periods import Period
    from assistant.query.registry import build_registry
    from assistant.store.facts import DocumentFacts, FactIndex

    loaded = LoadedFile(sections=[Section(text="Revenue grew strongly.")])
    assert company_profile("Acme Holdings Limited", loaded).fiscal_year_end == ""
    year = Fact(
        concept="revenue",
        label="Net sales",
        period=Period(date(2023, 6, 30), 12).key(),
        value=1.0,
        unit="USD",
        quote="Net sales 1",
        text="1",
        scale=1.0,
        company="Acme",
        segment="",
        measure="value",
        source="table",
    )
    facts = FactIndex().with_document("acme-2023-10k", DocumentFacts(by_concept={"revenue": [year]}))
    page = DocumentInfo(
        doc_id="acme-2023-10k",
        title="Acme 10-K page",
        doc_type="10-K",
        company="Acme",
        period="2023",
        chunks=1,
        profiles='[{"name": "Acme", "fiscal_year_end": ""}]',
    )
    assert build_registry({"acme-2023-10k": page}, facts).calendar("Acme").month == 6
    assert build_registry({"acme-2023-10k": page}, FactIndex()).calendar("Acme").month == 12


def test_one_company_under_two_names_is_one_company():
    from assistant.finance.periods import FiscalCalendar
    from assistant.query.registry import same_companies

    profiles = [
        {"name": "Acme Inc.", "ticker": "ACME"},
        {"name": "Acme Systems Incorporated"},
        {"name": "American Widgets Company", "ticker": "AWC"},
        {"name": "American Gadgets Company, Inc."},
        {"name": "Zeta Holdings Ltd."},
        {"name": "Zeta Logistics plc"},
    ]
    calendars = {
        "Acme Inc.": FiscalCalendar(12, 2),
        "Acme Systems Incorporated": FiscalCalendar(11, 27),
        "Zeta Holdings Ltd.": FiscalCalendar(3, 31),
        "Zeta Logistics plc": FiscalCalendar(12, 31),
    }
    assert same_companies(profiles, calendars) == {"Acme Systems Incorporated": "Acme Inc."}


@pytest.fixture
def own_metrics(monkeypatch):
    """The vocabulary as the data files give it, before and after the test: what a profile adds stays here."""
    from assistant.finance import vocabulary as module

    monkeypatch.setattr(module, "_COMPANY_METRICS", {})
    module.vocabulary.cache_clear()
    yield module
    monkeypatch.undo()
    module.vocabulary.cache_clear()


SHIPPING = {
    "shipping_costs": {
        "label": "shipping costs",
        "names": ["outbound shipping costs"],
        "kind": "flow",
        "unit": "money",
        "statement": "income",
        "magnitude": True,
    },
    "net_capex": {"names": ["purchases of equipment net of rebates"]},
    "fuel_costs": {"names": ["fuel costs"]},  # a line item given by its names only: its first one is its label
}


def test_a_companys_own_line_items_are_read_from_its_profile_in_its_documents_tables(own_metrics):
    from ingest.facts import context_for, table_facts
    from ingest.tables import TableContext, parse_table

    vocab = own_metrics.vocabulary()
    assert vocab.concept_of("Outbound shipping costs") is None
    profile = CompanyProfile(name="Acme Corp.", aliases=["Acme"], metrics=SHIPPING)
    meta = DocMeta("acme-10-k", "Acme 10-K", "Acme Corp.", "10-K", "FY2024", [profile])
    context = context_for(meta, "")
    table = parse_table(
        ["Statements of operations (in millions)"],
        ["Year Ended December 31, 2023 2024", "Outbound shipping costs 40 45"],
        TableContext(),
    )
    assert {f.concept for f in table_facts(table, context)} == {"shipping_costs"}
    vocab = own_metrics.vocabulary()
    assert "shipping_costs" in vocab.magnitudes and vocab.concepts["shipping_costs"].label == "shipping costs"
    assert vocab.concepts["fuel_costs"].label == "fuel costs" and "fuel_costs" not in vocab.magnitudes
    net_capex = vocab.concepts["net_capex"]  # a general metric keeps its label and formula, with one more name
    assert net_capex.label == "net capital expenditures" and net_capex.formula == "ppe_purchases - ppe_proceeds"
    assert vocab.mentions("its purchases of equipment net of rebates")[0].concept is net_capex


def test_a_question_names_a_companys_own_line_item_once_its_documents_are_served(own_metrics):
    from assistant.contract.types import DocumentInfo
    from assistant.query.analyze import analyze
    from assistant.query.registry import build_registry
    from assistant.store.facts import FactIndex

    question = "What were Acme's outbound shipping costs in 2024?"
    page = DocumentInfo(
        doc_id="acme-10-k",
        title="Acme 10-K",
        doc_type="10-K",
        company="Acme Corp.",
        period="FY2024",
        chunks=1,
        profiles=json.dumps([{"name": "Acme Corp.", "aliases": ["Acme"], "metrics": SHIPPING}]),
    )
    registry = build_registry({"acme-10-k": page}, FactIndex())
    query = analyze(question, registry.matcher)
    assert query.concept is not None and query.concept.key == "shipping_costs"


def test_the_general_vocabulary_holds_no_line_item_or_name_a_catalog_gives_as_a_companys_own():
    general = json.loads((PROJECT_ROOT / "assistant" / "finance" / "data" / "vocabulary.json").read_text())
    formulas = json.loads((PROJECT_ROOT / "assistant" / "finance" / "data" / "formulas.json").read_text())
    names = {
        n.lower() for spec in [*general["concepts"].values(), *formulas["formulas"].values()] for n in spec["names"]
    }
    for profile in read_catalog(CORPUS).companies.values():
        for key, spec in profile.metrics.items():
            assert "label" not in spec or key not in general["concepts"] and key not in formulas["magnitudes"]
            assert not names & {n.lower() for n in spec["names"]}
