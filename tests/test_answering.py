"""Answering on a tiny corpus with the fake embedder: citations are verbatim, refusals use the named phrase,
bad questions give clear errors."""

import pytest

from assistant.contract import phrases
from assistant.contract.errors import InvalidQuestion, QuestionTooLong, StoreEmpty, UnknownDocument


@pytest.fixture
def tiny_assistant(fake_assistant, tiny_corpus):
    fake_assistant.ingest([tiny_corpus])
    return fake_assistant


def test_answer_sentences_are_verbatim_quotes_of_cited_passages(tiny_assistant):
    answer = tiny_assistant.ask("How much did Zephyr Cloud revenue grow in fiscal 2031?")
    assert not answer.refused
    assert "42%" in answer.text and "[1]" in answer.text
    cited = answer.citations[0]
    assert cited.doc_id == "cloud-notes" and cited.section == "Cloud notes"
    assert cited.quote and all(line in cited.text for line in cited.quote.split("\n"))
    assert set(answer.timings) >= {"retrieve", "answer", "total"}


def test_question_about_missing_company_is_refused_with_closest_passages(tiny_assistant):
    answer = tiny_assistant.ask("What was Google Cloud revenue in fiscal 2031?")
    assert answer.refused
    assert answer.text == phrases.CANNOT_ANSWER
    assert answer.citations == []  # no passage names Google: none is about what was asked


def test_a_refusal_offers_only_passages_that_name_what_was_asked(tiny_assistant):
    answer = tiny_assistant.ask("What was Orion's revenue in fiscal 2040?")
    assert answer.refused
    assert [c.doc_id for c in answer.citations] == ["plain"]  # the one passage that names Orion
    assert all(not c.supported for c in answer.citations)


def test_question_about_missing_year_is_refused(tiny_assistant):
    assert tiny_assistant.ask("How much did Zephyr Cloud revenue grow in fiscal 2019?").refused


def test_document_filter_restricts_retrieval(tiny_assistant):
    answer = tiny_assistant.ask("Where did the Orion data centre open?", doc_ids=["plain"])
    assert not answer.refused and {c.doc_id for c in answer.citations} == {"plain"}
    assert "Lisbon" in answer.text
    with pytest.raises(UnknownDocument):
        tiny_assistant.ask("anything", doc_ids=["nope"])


@pytest.mark.parametrize(
    "question,k,error",
    [
        ("", 5, InvalidQuestion),
        ("   ", 5, InvalidQuestion),
        ("x" * 2001, 5, QuestionTooLong),
        ("revenue?", 0, InvalidQuestion),
        ("revenue?", 999, InvalidQuestion),
    ],
)
def test_bad_questions_are_rejected_clearly(tiny_assistant, question, k, error):
    with pytest.raises(error) as info:
        tiny_assistant.ask(question, k=k)
    assert info.value.message


def test_missing_store_says_run_ingest(settings):
    from assistant.core import Assistant

    with pytest.raises(StoreEmpty) as info:
        Assistant(settings=settings).ask("What was revenue?")
    assert "qa ingest" in info.value.message
    assert not settings.store.path.exists()  # asking never creates an empty store


def test_how_much_and_how_many_need_a_figure_that_is_not_a_year(tiny_assistant):
    from assistant.answer.select import carries
    from assistant.contract.types import Chunk, ScoredChunk

    registry = tiny_assistant.registry()
    hit = ScoredChunk(Chunk(id="c", doc_id="d", text="x"), 1.0)
    how_much = tiny_assistant.understand("How much does Orion plan to invest in cloud infrastructure?")
    assert not carries(
        how_much,
        "In fiscal year 2031 Orion announced that the investment will exceed the past decade's.",
        hit,
        registry,
    )
    assert carries(
        how_much,
        "Orion will invest RMB380 billion in cloud infrastructure.",
        ScoredChunk(Chunk(id="c", doc_id="d", text="Orion will invest RMB380 billion."), 1.0),
        registry,
    )
    who = tiny_assistant.understand("Who runs the Orion data centre?")
    assert carries(who, "Eddie Wu runs the Orion data centre.", hit, registry)


def test_the_words_that_make_a_figure_guidance_come_from_the_vocabulary(tiny_assistant):
    from assistant.answer.select import GUIDANCE, carries
    from assistant.contract.types import Chunk, ScoredChunk
    from assistant.finance.vocabulary import vocabulary

    assert all(GUIDANCE.fullmatch(w) for w in vocabulary().raw["forward_looking"]["figures"])
    assert not GUIDANCE.search("Capital spending was RMB30 billion, as expected.")  # said of a result
    asked = tiny_assistant.understand("How much did Orion invest in cloud infrastructure?")
    hit = ScoredChunk(Chunk(id="c", doc_id="d", text="x"), 1.0)
    registry = tiny_assistant.registry()
    assert carries(asked, "Orion invested RMB380 billion in cloud infrastructure.", hit, registry)
    assert not carries(asked, "Orion expects to invest RMB380 billion in cloud infrastructure.", hit, registry)


def test_quantity_question_without_a_figure_in_the_passages_is_refused(tiny_assistant):
    answer = tiny_assistant.ask("How much did storage products contribute to the Zephyr Cloud growth?")
    assert answer.refused


def test_a_sentence_must_name_the_metric_asked_in_the_questions_own_words():
    from assistant.answer.select import _names_metric
    from assistant.text import content_terms

    rivian = "As of December 31, 2024, we held 158 million shares of Rivian's Class A common stock."
    assert not _names_metric(content_terms("stock price"), rivian, rivian)
    chips = "Trainium and Graviton now have a combined annual revenue run rate of over $10 billion."
    assert _names_metric(content_terms("Trainium Graviton chips"), chips, chips)
    before = "We have performance obligations not yet recognized. Those commitments were approximately $195 billion."
    assert _names_metric(
        content_terms("unrecognized performance obligations"),
        "Those commitments were approximately $195 billion.",
        before,
    )


def test_a_quoted_figure_must_be_a_value_of_the_metric_asked():
    from assistant.answer.select import _figure_of

    row = (
        "Information on reportable segments and reconciliation to consolidated net income is as follows: AWS "
        "Operating income $ 39,834"
    )
    assert not _figure_of({"net_income"}, row) and _figure_of({"operating_income"}, row)
    assert _figure_of({"net_income"}, "Net income was $59.2 billion in 2024.")


@pytest.fixture
def orion(fake_assistant, tmp_path):
    """A filing of an invented company with a statement table, ingested with its catalog entry."""
    import json

    folder = tmp_path / "orion"
    folder.mkdir()
    (folder / "orion-10-k-2030.md").write_text(
        "# Orion Corp. annual report\n\nOrion Corp. consolidated statements of operations (in millions)\n\n"
        "| | 2029 | 2030 |\n|---|---|---|\n| Net sales | 500 | 520 |\n| Membership fees | 20 | 22 |\n"
        "| Total revenues | 520 | 542 |\n| Member rewards | 41 | 47 |\n"
        "| Operating income (loss) | 26 | (19) |\n\n"
        "Orion Corp. consolidated balance sheets (in millions)\n\n"
        "| | December 31, 2029 | December 31, 2030 |\n|---|---|---|\n| Total assets | 210 | 190 |\n"
        "| Total stockholders' equity (deficit) | 12 | (30) |\n\n"
        "Orion Corp. consolidated statements of cash flows (in millions)\n\n"
        "| | 2029 | 2030 |\n|---|---|---|\n| Net cash provided by (used in) operating activities | 14 | (8) |\n\n"
        "Orion Corp. selected funding data (in millions)\n\n"
        "| | 2029 | 2030 |\n|---|---|---|\n| Customer deposits | 80 | 95 |\n\n"
        "Outlook. In the home market, total revenues grew 30% in 2030 on a constant-currency basis.\n",
        encoding="utf-8",
    )
    (folder / "catalog.json").write_text(
        json.dumps(
            {
                "companies": {"Orion Corp.": {"aliases": ["Orion"], "fiscal_year_end": "12-31"}},
                "files": {"orion-10-k-2030.md": {"company": "Orion Corp.", "doc_type": "10-K", "period": "FY2030"}},
            }
        )
    )
    fake_assistant.ingest([folder])
    return fake_assistant


def _orion_statement(assistant, folder, statement: str):
    """An invented company's annual report holding one statement table (in millions), ingested."""
    folder.mkdir()
    (folder / "orion-10-k-2030.md").write_text(
        f"# Orion Corp. annual report\n\nOrion Corp. {statement}", encoding="utf-8"
    )
    assistant.ingest([folder])
    return assistant


@pytest.fixture
def orion_dividends(fake_assistant, tmp_path):
    """A cash-flow statement printing the dividends an invented company paid as an outflow in brackets."""
    return _orion_statement(
        fake_assistant,
        tmp_path / "orion-dividends",
        "consolidated statements of cash flows (in millions)\n\n"
        "| | 2029 | 2030 |\n|---|---|---|\n| Net cash provided by operating activities | 40 | 44 |\n"
        "| Dividends paid | (10) | (12) |\n",
    )


@pytest.fixture
def orion_bank(fake_assistant, tmp_path):
    """An income statement that prints net income and, under it, the part applicable to common stockholders."""
    return _orion_statement(
        fake_assistant,
        tmp_path / "orion-bank",
        "consolidated statements of income (in millions)\n\n"
        "| | 2029 | 2030 |\n|---|---|---|\n| Total net revenue | 900 | 980 |\n| Net income | 100 | 120 |\n"
        "| Preferred stock dividends | 5 | 6 |\n| Net income applicable to common stockholders | 95 | 114 |\n",
    )


@pytest.mark.parametrize(
    "question, said",
    [
        ("What was Orion's net income in 2030?", "Orion's net income in FY2030 was $120 million"),
        (
            "How much of Orion's net income in 2030 was applicable to common stockholders?",
            "Orion's net income applicable to common stockholders in FY2030 was $114 million",
        ),
    ],
)
def test_net_income_is_the_whole_unless_the_question_names_the_common_holders_line(orion_bank, question, said):
    assert said in orion_bank.ask(question).direct


def test_a_loss_set_against_a_profit_is_compared_as_signed_figures(orion):
    answer = orion.ask("Compare Orion's operating income in 2030 with 2029.")
    assert "FY2029 was larger, by $45 million" in answer.direct and "times as much" not in answer.direct


@pytest.mark.parametrize(
    "question, said",
    [
        ("What was Orion's operating income in 2030?", "a loss of $19 million"),
        ("What was Orion's total stockholders' equity at December 31, 2030?", "a deficit of $30 million"),
        ("How much cash did Orion's operating activities generate in 2030?", "an outflow of $8 million"),
    ],
)
def test_a_negative_figure_is_said_in_words_the_metric_calls_for(orion, question, said):
    direct = orion.ask(question).direct
    assert said in direct and "-$" not in direct


@pytest.mark.parametrize(
    "question, said",
    [
        ("What is the year end 2030 total stockholders' equity of Orion?", "a deficit of $30 million"),
        ("What is Orion's year end 2030 total assets? Answer in USD millions.", "$190 million"),
    ],
)
def test_a_time_word_before_a_named_metric_and_period_still_asks_for_the_figure(orion, question, said):
    answer = orion.ask(question)
    assert not answer.refused and said in answer.direct


@pytest.mark.parametrize(
    "question, said, not_said",
    [
        ("What were Orion's net sales in 2030?", "Orion's net sales in FY2030 were $520 million", "$542 million"),
        ("What were Orion's total revenues in 2030?", "Orion's total revenues in FY2030 were $542 million", "$520"),
    ],
)
def test_a_statement_line_asked_by_its_own_name_is_the_one_given(orion, question, said, not_said):
    direct = orion.ask(question).direct
    assert said in direct and not_said not in direct


def test_a_stated_change_that_the_two_years_figures_contradict_is_not_shown(orion):
    direct = orion.ask("What were Orion's total revenues in 2030?").direct
    assert "$542 million" in direct and "30%" not in direct


def test_a_payment_asked_yes_or_no_is_yes_when_cash_went_out(orion_dividends):
    answer = orion_dividends.ask("Did Orion pay dividends in 2030?")
    assert answer.direct.startswith("Yes.") and "$12 million" in answer.direct


@pytest.mark.parametrize(
    "question, verdict",
    [
        ("Was Orion's total net revenue above $950 million in 2030?", "Yes."),
        ("Did Orion's total net revenue exceed $1 billion in 2030?", "No."),
        ("Was Orion's net income less than $100 million in 2030?", "No."),
        ("Was Orion's net margin at least 12% in 2030?", "Yes."),
        ("Was Orion's net margin 15% or more in 2030?", "No."),
        ("A broker writes that Orion earns 15%+ net margins. Does Orion's 2030 net income support that?", "No."),
        ("A broker writes that Orion earns 10%+ net margins. Does Orion's 2030 net income bear that out?", "Yes."),
        ("A broker writes that Orion grows 15%+ a year. Does Orion's 2030 net income support that?", ""),
        ("Was Orion's net income above 10% in 2030?", ""),
    ],
)
def test_a_yes_or_no_against_a_threshold_or_a_claim_compares_like_with_like_or_gives_no_verdict(
    orion_bank, question, verdict
):
    direct = orion_bank.ask(question).direct
    assert any(figure in direct for figure in ("$980 million", "$120 million", "12.2%"))
    assert direct.startswith(("Yes.", "No.")) == bool(verdict) and direct.startswith(verdict)


def test_a_line_item_no_vocabulary_names_is_read_from_its_table_row_in_the_asked_column(orion):
    answer = orion.ask("What was Orion's member rewards expense in 2030?")
    assert "$47 million" in answer.direct and "$41 million" not in answer.direct
    assert orion.ask("What was Initech's member rewards expense in 2030?").refused


def test_a_balance_no_vocabulary_names_asked_at_a_date_is_read_from_the_column_of_that_years_end(orion):
    answer = orion.ask("What were Orion's customer deposits at December 31, 2030?")
    assert "$95 million" in answer.direct and "$80 million" not in answer.direct


def _row_candidate(question: str, values: dict[str, float]):
    """A table row of an invented filing with its facts by period key, and the query asking about it."""
    from assistant.answer.select import Candidate
    from assistant.contract.types import Chunk, Fact, ScoredChunk
    from assistant.finance.entities import EntityMatcher
    from assistant.query.analyze import analyze
    from assistant.query.registry import Registry

    row = "Cash dividends paid (8,729) (8,440) (8,043)"
    facts = [
        Fact("dividends_paid", "Cash dividends paid", key, v, "USD", row, text=f"({abs(v) / 1e6:,.0f})", scale=1e6)
        for key, v in values.items()
    ]
    chunk = Chunk("c1", "orion-10-k-2030", f"Cash flows (in millions)\n{row}", company="Orion Corp.", facts=facts)
    names = EntityMatcher()
    names.add_company("Orion Corp.", ["Orion"])
    cand = Candidate(passage=0, text=row, score=1.0, quote=row)
    return cand, analyze(question, names), ScoredChunk(chunk, 1.0), Registry()


def test_a_table_row_asked_for_one_figure_states_it_with_its_period_and_scale():
    from assistant.answer.select import _row_stated

    values = {"12M@2030-12-31": -8729e6, "12M@2029-12-31": -8440e6, "12M@2028-12-31": -8043e6}
    cand, query, hit, registry = _row_candidate("How much did Orion pay in cash dividends during 2029?", values)
    assert _row_stated(cand, query, hit, registry) == "Cash dividends paid in FY2029: $8,440 million"


def test_a_table_row_with_no_single_figure_for_the_period_is_not_stated():
    from assistant.answer.select import _row_stated

    same_period = {"12M@2029-12-31": -8440e6}
    cand, query, hit, registry = _row_candidate("How much did Orion pay in cash dividends during 2027?", same_period)
    assert _row_stated(cand, query, hit, registry) is None  # no column for the year asked
    cand, query, hit, registry = _row_candidate(
        "How much did Orion pay in cash dividends?", {**same_period, "12M@2030-12-31": -1e6}
    )
    assert _row_stated(cand, query, hit, registry) is None  # two years, none asked


def test_a_table_row_that_cannot_be_pinned_to_one_figure_is_not_offered_as_the_answer():
    from assistant.answer.select import _row_unpinned

    pinned = {"12M@2029-12-31": -8440e6}
    cand, query, hit, registry = _row_candidate("How much did Orion pay in cash dividends during 2029?", pinned)
    assert not _row_unpinned(cand, query, hit, registry)
    cand, query, hit, registry = _row_candidate("How much did Orion pay in cash dividends during 2027?", pinned)
    assert _row_unpinned(cand, query, hit, registry)  # three figures, none of them read as 2027's
    cand, query, hit, registry = _row_candidate("Why did Orion pay cash dividends in 2027?", pinned)
    assert not _row_unpinned(cand, query, hit, registry)  # a question in words is not asking for one figure


@pytest.fixture
def orion_weeks(fake_assistant, tmp_path):
    """A 52-week fiscal year: the statements date the year by the day it ended, not a month end."""
    return _orion_statement(
        fake_assistant,
        tmp_path / "orion-weeks",
        "consolidated statements of earnings for the fiscal years ended May 26, 2030 and May 27, 2029 (in millions)"
        "\n\n| | Fiscal year ended May 26, 2030 | Fiscal year ended May 27, 2029 |\n|---|---|---|\n"
        "| Net sales | 900 | 850 |\n| Net earnings | 90 | 80 |\n",
    )


@pytest.mark.parametrize(
    "question, said",
    [
        ("On what date did Orion's fiscal 2030 end?", "May 26, 2030"),
        ("When did Orion's fiscal 2029 end?", "May 27, 2029"),
    ],
)
def test_the_end_of_a_fiscal_year_is_the_day_the_statements_date_it(orion_weeks, question, said):
    answer = orion_weeks.ask(question)
    assert not answer.refused and said in answer.direct and answer.citations
    assert said in answer.citations[0].quote


def test_the_end_of_a_fiscal_year_no_filing_dates_is_not_given(orion_weeks):
    assert "2031" not in orion_weeks.ask("On what date did Orion's fiscal 2031 end?").direct
