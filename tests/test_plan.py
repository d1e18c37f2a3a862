"""The search planner reads the Query's typed fields: its periods (no re-parse of the question), each side of a
comparison, the figures a question asks for (a derived metric: its inputs), and the filings for those periods;
the search then puts the passages that state those figures first."""

from datetime import date

from assistant.contract.types import DocumentInfo
from assistant.finance.entities import Entity
from assistant.finance.periods import FiscalCalendar, Period, PeriodSpec
from assistant.finance.vocabulary import vocabulary
from assistant.query.analyze import Query
from assistant.query.plan import document_periods, filings_for, period_terms, plan_search

JUNE = {"Acme Corp": FiscalCalendar(6, 30)}


def _query(**fields) -> Query:
    return Query(text="question", focus="question", **fields)


def _docs(*rows) -> dict[str, DocumentInfo]:
    return {d: DocumentInfo(doc_id=d, title=d, doc_type=t, company=c, period=p, chunks=1) for d, c, t, p in rows}


DOCS = _docs(
    ("acme-2030", "Acme Corp", "10-K", "FY2030 (year ended 2030-06-30)"),
    ("acme-2031", "Acme Corp", "10-K", "FY2031 (year ended June 30, 2031)"),
    ("acme-q1", "Acme Corp", "10-Q", "quarter ended 2030-09-30"),
    ("note", "Acme Corp; Zeta Inc", "article", "2031"),
)


def test_period_terms_come_from_the_typed_periods():
    assert period_terms([PeriodSpec("FY2025", 0, 6, months=12, fiscal_year=2025)]) == {"fy2025", "2025"}
    assert period_terms([PeriodSpec("Q2 2025", 0, 7, months=3, quarter=2, fiscal_year=2025)]) == {"q2", "2025"}
    assert period_terms(
        [
            PeriodSpec("2024", 0, 4, fiscal_year=2024),
            PeriodSpec("June 30, 2025", 9, 22, months=0, end_date=date(2025, 6, 30)),
        ]
    ) == {"2024", "2025"}


def test_a_comparison_searches_each_side_with_its_own_periods():
    years = [PeriodSpec("2030", 0, 4, fiscal_year=2030), PeriodSpec("2031", 9, 13, fiscal_year=2031)]
    plan = plan_search(_query(entities=[Entity("Acme Corp")], periods=years), JUNE, DOCS)
    assert [p.periods for p in plan.parts] == [{"2030", "2031"}, {"2030"}, {"2031"}]


def test_the_figures_asked_are_the_line_items_of_a_metric_for_each_period_by_the_company_calendar():
    margin = vocabulary().concepts["operating_margin"]
    plan = plan_search(
        _query(
            entities=[Entity("Acme Corp")],
            concepts=[margin],
            intent="compute",
            periods=[PeriodSpec("fiscal 2031", 0, 11, months=12, fiscal_year=2031)],
        ),
        JUNE,
        DOCS,
    )
    assert {(f.concept, f.period) for f in plan.figures} == {
        ("operating_income", Period(date(2031, 6, 30), 12)),
        ("revenue", Period(date(2031, 6, 30), 12)),
    }
    assert plan.scope == ["acme-2031"]  # the filing for that fiscal year, not the article dated 2031
    assert not plan_search(
        _query(
            entities=[Entity("Acme Corp")],
            concepts=[margin],
            intent="explain",
            periods=[PeriodSpec("2031", 0, 4, fiscal_year=2031)],
        ),
        JUNE,
        DOCS,
    ).figures


def test_filings_for_a_period_follow_each_company_calendar():
    quarter = _query(
        entities=[Entity("Acme Corp")], periods=[PeriodSpec("Q1 2031", 0, 7, months=3, quarter=1, fiscal_year=2031)]
    )
    assert filings_for(quarter, JUNE, DOCS) == ["acme-q1"]  # fiscal Q1 2031 ends September 30, 2030
    assert filings_for(quarter, {}, DOCS) is None  # by a calendar year it would end in March 2031: no filing
    assert document_periods("2031", FiscalCalendar()) == ()  # an article's date names no reporting period


def test_an_annual_report_named_in_a_question_may_be_a_10_k():
    docs = DOCS | _docs(("zeta-ar", "Zeta Inc", "annual report", "FY2031"))
    plan = plan_search(_query(sources=["annual report"]), JUNE, docs, scoped=False)
    assert set(plan.doc_ids) == {"acme-2030", "acme-2031", "zeta-ar"}
    assert set(plan_search(_query(sources=["10-Q"]), JUNE, docs, scoped=False).doc_ids) == {"acme-q1"}
