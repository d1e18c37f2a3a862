"""The registry of names changes by one document's entries: adding and removing documents gives what building from
the remaining documents gives, and a name, segment or calendar only a removed document gave is gone."""

import json
from datetime import date

from assistant.contract.types import DocumentInfo, Fact
from assistant.finance.periods import Period
from assistant.query.registry import NameEntries, Registry
from assistant.store.facts import DocumentFacts


def _profile(name, aliases=(), year_end="", currency="USD", segments=None):
    return {
        "name": name,
        "aliases": list(aliases),
        "fiscal_year_end": year_end,
        "currency": currency,
        "segments": segments or {},
    }


def _doc(doc_id, *profiles, facts=()):
    info = DocumentInfo(
        doc_id=doc_id,
        title=doc_id,
        doc_type="10-K",
        company="; ".join(p["name"] for p in profiles),
        period="",
        chunks=1,
        file_hash="v1",
        profiles=json.dumps(list(profiles)),
    )
    by_concept: dict[str, list[Fact]] = {}
    segments: dict[str, set[str]] = {}
    for company, segment, end in facts:
        by_concept.setdefault("operating_income", []).append(
            Fact(
                concept="operating_income",
                label="Operating income",
                period=Period(end, 12).key(),
                value=1.0,
                unit="USD",
                quote="",
                company=company,
                segment=segment,
                doc_id=doc_id,
            )
        )
        if segment:
            segments.setdefault(company, set()).add(segment)
    return doc_id, NameEntries.of(info, DocumentFacts(by_concept=by_concept, segments=segments), "v1")


DOCS = dict(
    [
        _doc(
            "acme-2030",
            _profile("Acme Corp", ["Acme"], "06-30", segments={"Cloud": {"aliases": ["Acme Cloud"]}}),
            facts=[("Acme Corp", "Devices", date(2030, 6, 30))],
        ),
        _doc(
            "zeta-2030",
            _profile("Zeta Holdings", ["Zeta"], currency="EUR"),
            facts=[("Zeta Holdings", "Logistics", date(2030, 9, 30)), ("Zeta Holdings", "", date(2030, 9, 30))],
        ),
        _doc("acme-2031", _profile("Acme Corp", ["Acme", "ACM"], "06-30")),
    ]
)


def _view(registry: Registry):
    """Everything a question's analysis and answer read from a registry."""
    return (
        sorted((n, e, k) for n, e, k in registry.matcher.names),
        registry.calendars,
        registry.display,
        registry.currencies,
        sorted(registry.segments),
    )


def test_adding_then_removing_documents_equals_building_from_those_left():
    grown = Registry()
    for doc_id, entries in DOCS.items():
        grown = grown.with_documents({doc_id: entries})
    assert _view(grown) == _view(Registry().with_documents(DOCS))
    left = grown.without(["zeta-2030"])
    assert _view(left) == _view(Registry().with_documents({d: e for d, e in DOCS.items() if d != "zeta-2030"}))
    assert not left.matcher.mentions("How did Zeta do?") and "Zeta Holdings" not in left.currencies
    assert [m.entity.company for m in grown.matcher.mentions("How did Zeta do?")] == ["Zeta Holdings"]  # unchanged


def test_a_name_two_documents_give_stays_until_both_are_gone():
    registry = Registry().with_documents(DOCS)
    assert registry.is_segment("Acme Corp", "Devices") and registry.calendar("Acme Corp").month == 6
    registry = registry.without(["acme-2030"])
    assert [m.entity.company for m in registry.matcher.mentions("What did Acme earn?")] == ["Acme Corp"]
    assert not registry.is_segment("Acme Corp", "Devices")
    assert [m.entity.segment for m in registry.matcher.mentions("Acme Cloud revenue")] == [""]  # only the company
    assert registry.matcher.mentions("What did ACM earn?")
    registry = registry.without(["acme-2031"])
    assert not registry.matcher.mentions("What did Acme earn?") and "Acme Corp" not in registry.calendars


def test_a_calendar_no_profile_states_follows_the_annual_figures_of_the_documents_served():
    registry = Registry().with_documents(DOCS)
    assert (registry.calendar("Zeta Holdings").month, registry.calendar("Zeta Holdings").day) == (9, 30)
    later = dict(
        [
            _doc(
                "zeta-2031",
                _profile("Zeta Holdings", ["Zeta"], currency="EUR"),
                facts=[("Zeta Holdings", "", date(2031, 12, 31))] * 3,
            )
        ]
    )
    moved = registry.with_documents(later)
    assert moved.calendar("Zeta Holdings").month == 12
    assert moved.without(["zeta-2031"]).calendar("Zeta Holdings").month == 9


def test_one_company_under_two_names_and_its_prose_scale_follow_the_documents_served():
    older = dict([_doc("acme-2029", _profile("Acme Systems Incorporated", year_end="06-30"))])
    registry = Registry().with_documents(DOCS).with_documents(older)
    assert registry.canonical == {"Acme Systems Incorporated": "Acme Corp"}
    assert registry.without(["acme-2030", "acme-2031"]).canonical == {}
    sentence = Fact(
        concept="revenue",
        label="revenue",
        period=Period(date(2030, 6, 30), 12).key(),
        value=4.5e10,
        unit="USD",
        quote="",
        company="Acme Corp",
        scale=1e9,
        source="sentence",
        doc_id="acme-2030",
    )
    info = DocumentInfo(doc_id="acme-note", title="note", doc_type="note", company="Acme Corp", period="", chunks=1)
    told = registry.with_documents(
        {"acme-note": NameEntries.of(info, DocumentFacts(by_concept={"revenue": [sentence]}))}
    )
    assert told.prose_scale("Acme Corp", "USD") == 1e9 and registry.prose_scale("Acme Corp", "USD") is None
    assert told.without(["acme-note"]).prose_scale("Acme Corp", "USD") is None


def test_a_member_that_names_a_line_item_is_no_segment():
    docs = dict(
        [
            _doc(
                "acme-2032",
                _profile("Acme Corp", ["Acme"]),
                facts=[("Acme Corp", "NET REVENUES", date(2032, 12, 31)), ("Acme Corp", "Devices", date(2032, 12, 31))],
            )
        ]
    )
    registry = Registry().with_documents(docs)
    assert registry.is_segment("Acme Corp", "Devices") and not registry.is_segment("Acme Corp", "NET REVENUES")
    assert [m.entity.segment for m in registry.matcher.mentions("What were Acme's net revenues?")] == [""]
