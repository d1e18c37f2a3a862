"""Question analysis: the sides of a comparison, and how their searches are merged."""

from dataclasses import replace

import pytest

from assistant.question import comparison_sides
from assistant.retrieval import interleave
from assistant.types import Chunk, ScoredChunk


def _texts(question: str) -> list[str]:
    return [side.question for side in comparison_sides(question)]


def test_two_periods_give_one_question_per_period():
    left, right = _texts("How did AWS sales growth in Q2 2025 compare with its growth in Q4 2025?")
    assert "Q2 2025" in left and "Q4" not in left
    assert "Q4 2025" in right and "Q2" not in right
    assert "AWS" in left and "AWS" in right  # only one side names the company: both keep it
    assert [set(side.own) for side in comparison_sides("AWS growth in Q2 2025 versus Q4 2025")] == [{"q2"}, {"q4"}]


def test_two_companies_each_keep_their_own_name_and_the_shared_metric():
    left, right = _texts("Compare Amazon's capital expenditures in 2024 with Alibaba's capital "
                                   "expenditures in fiscal year 2025.")
    assert "Amazon" in left and "2024" in left and "Alibaba" not in left and "2025" not in left
    assert "Alibaba" in right and "2025" in right and "Amazon" not in right and "2024" not in right


def test_dates_between_and_from_to_split():
    left, right = _texts("How did commitments change between December 31, 2024 and June 30, 2025?")
    assert "December" in left and "June" not in left and "June 30, 2025" in right and "December" not in right
    left, right = _texts("How much did AWS net sales increase from 2024 to 2025?")
    assert "2024" in left and "2025" not in left and "2025" in right and "2024" not in right


def test_questions_without_two_distinct_sides_are_not_split():
    assert comparison_sides("What was AWS revenue in 2025?") == []
    assert comparison_sides("How did AWS revenue in 2025 compare with expectations?") == []
    assert comparison_sides("Which grew faster in 2025, revenue or operating income?") == []


def _hit(cid: str) -> ScoredChunk:
    return ScoredChunk(chunk=Chunk(id=cid, doc_id="d", text=cid), score=1.0)


def test_interleave_takes_each_ranking_in_turn_without_repeats():
    merged = interleave([[_hit("a"), _hit("b"), _hit("c")], [_hit("x"), _hit("a")], [_hit("y")]], 5)
    assert [h.chunk.id for h in merged] == ["a", "x", "y", "b", "c"]
    assert [h.chunk.id for h in interleave([[_hit("a")], []], 3)] == ["a"]


@pytest.fixture
def two_companies(fake_assistant, tmp_path):
    """One company written about at length, the other mostly about something else."""
    folder = tmp_path / "sides"
    folder.mkdir()
    orion = [f"Orion revenue growth in 2030 reached {20 + i}% in region {i}, and revenue growth stayed strong."
             for i in range(6)]
    vega = [f"Vega staff in office {i} moved to a new campus during the summer." for i in range(6)]
    vega.insert(3, "Vega revenue grew 12% in 2030 to $9.8 billion.")
    (folder / "orion.md").write_text("# Orion\n\n" + "\n\n".join(orion) + "\n", encoding="utf-8")
    (folder / "vega.md").write_text("# Vega\n\n" + "\n\n".join(vega) + "\n", encoding="utf-8")
    fake_assistant.settings = replace(fake_assistant.settings, chunk_chars=120)
    fake_assistant.ingest([folder])
    return fake_assistant


QUESTION = "Compare Orion revenue growth in 2030 with Vega revenue growth in 2030."


def test_each_side_of_a_comparison_is_retrieved(two_companies):
    whole = two_companies.search._search(QUESTION, 3)
    assert all("Vega revenue" not in h.chunk.text for h in whole)  # the whole question alone misses one side
    hits = two_companies.search.search(QUESTION, 3)
    assert any("Vega revenue grew 12%" in h.chunk.text for h in hits)
    assert any(h.chunk.doc_id == "orion" for h in hits)


def test_comparison_answer_quotes_both_sides(two_companies):
    answer = two_companies.ask(QUESTION, k=3)
    assert not answer.refused
    assert "12%" in answer.text and "Orion revenue growth in 2030 reached" in answer.text
    assert {c.doc_id for c in answer.citations} == {"orion", "vega"}


def test_reranking_reuses_chunk_tokens_and_keeps_the_cache_bounded(two_companies, monkeypatch):
    from assistant import retrieval

    monkeypatch.setattr(retrieval, "TOKEN_CACHE_SIZE", 5)
    search = two_companies.search
    search._token_cache.clear()
    search.search("Orion revenue growth in 2030", 3)
    assert len(search._token_cache) == 5  # more chunks were reranked than the cache keeps
    calls = []
    monkeypatch.setattr(retrieval, "index_tokens", lambda text: calls.append(text) or [])
    index = search.latest_index()
    _signature, row = next(reversed(search._token_cache))
    cached = search._tokens(index, row)
    assert not calls and cached  # served from the cache, not re-tokenised
    search._tokens(index, next(r for r in range(len(index.chunks)) if (index.signature, r) not in
                               search._token_cache))
    assert len(calls) == 1 and len(search._token_cache) == 5
