"""Hybrid retrieval: rankings merged for two-sided questions, each side retrieved, bounded token cache, the passage
stating a figure first."""

import json

import pytest

from assistant.core import Assistant
from assistant.search.retrieval import interleave
from assistant.contract.types import Chunk, ScoredChunk


def _hit(cid: str) -> ScoredChunk:
    return ScoredChunk(chunk=Chunk(id=cid, doc_id="d", text=cid), score=1.0)


def test_interleave_takes_each_ranking_in_turn_without_repeats():
    merged = interleave([[_hit("a"), _hit("b"), _hit("c")], [_hit("x"), _hit("a")], [_hit("y")]], 5)
    assert [h.chunk.id for h in merged] == ["a", "x", "y", "b", "c"]
    assert [h.chunk.id for h in interleave([[_hit("a")], []], 3)] == ["a"]


@pytest.fixture
def two_companies(settings, fake_embedder, tmp_path):
    """One company written about at length, the other mostly about something else."""
    folder = tmp_path / "sides"
    folder.mkdir()
    orion = [
        f"Orion revenue growth in 2030 reached {20 + i}% in region {i}, and revenue growth stayed strong."
        for i in range(6)
    ]
    vega = [f"Vega staff in office {i} moved to a new campus during the summer." for i in range(6)]
    vega.insert(3, "Vega revenue grew 12% in 2030 to $9.8 billion.")
    (folder / "orion.md").write_text("# Orion\n\n" + "\n\n".join(orion) + "\n", encoding="utf-8")
    (folder / "vega.md").write_text("# Vega\n\n" + "\n\n".join(vega) + "\n", encoding="utf-8")
    qa = Assistant(settings=settings.updated(chunk_chars=120), embedder=fake_embedder)
    qa.ingest([folder])
    return qa


QUESTION = "Compare Orion revenue growth in 2030 with Vega revenue growth in 2030."


def test_each_side_of_a_comparison_is_retrieved(two_companies):
    whole = two_companies.search.search(QUESTION, 3)
    assert all("Vega revenue" not in h.chunk.text for h in whole)  # the whole question alone misses one side
    turn = two_companies._retrieve(two_companies._understand(two_companies._start(QUESTION, 3, None, [])))
    assert any("Vega revenue grew 12%" in h.chunk.text for h in turn.passages)
    assert any(h.chunk.doc_id == "orion" for h in turn.passages)


def test_comparison_answer_quotes_both_sides(two_companies):
    answer = two_companies.ask(QUESTION, k=3)
    assert not answer.refused
    assert "12%" in answer.text and "Orion revenue growth in 2030 reached" in answer.text
    assert {c.doc_id for c in answer.citations} == {"orion", "vega"}


def test_reranking_reuses_chunk_tokens_and_keeps_the_cache_bounded(two_companies, monkeypatch):
    from assistant.search import retrieval
    from assistant.search.lexical import LexicalIndex

    monkeypatch.setattr(retrieval, "TOKEN_CACHE_SIZE", 5)
    search = two_companies.search
    search._token_cache.clear()
    search.search("Orion revenue growth in 2030", 3)
    assert len(search._token_cache) == 5  # more chunks were reranked than the cache keeps
    calls = []
    original = LexicalIndex.tokens
    monkeypatch.setattr(LexicalIndex, "tokens", lambda self, row: calls.append(row) or original(self, row))
    index = search.latest_index()
    cached_id = next(reversed(search._token_cache))
    row = next(r for r in range(index.size) if index.chunks[r].id == cached_id)
    assert search._tokens(index, row)[0] and not calls  # served from the cache
    other = next(r for r in range(index.size) if index.chunks[r].id not in search._token_cache)
    tokens, numbers = search._tokens(index, other)
    assert ("orion" in tokens or "vega" in tokens) and numbers
    assert calls == [other] and len(search._token_cache) == 5


def test_the_langchain_retriever_and_chain_plan_as_ask_does(two_companies):
    docs = two_companies.retriever(k=3).invoke(QUESTION)
    assert {d.metadata["doc_id"] for d in docs} == {"orion", "vega"}  # each side retrieved, as `ask` retrieves
    turn = two_companies.chain.invoke(two_companies._start(QUESTION, 3, None, []))
    assert turn.answer.text == two_companies.ask(QUESTION, k=3).text
    assert set(turn.timings) == {"validate", "understand", "retrieve", "answer"}


def test_asking_imports_neither_langchain_nor_torch(tmp_path, tiny_corpus):
    """A cold question loads only what it needs: LangChain comes in only for its interfaces."""
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    script = f"""
import sys
from assistant.core import Assistant
from tests.conftest import FakeEmbeddings
qa = Assistant(store_path={str(tmp_path / "store")!r}, embedder=FakeEmbeddings())
qa.ingest([{str(tiny_corpus)!r}])
answer = qa.ask("Where did the Orion data centre open?")
assert "Lisbon" in answer.text, answer.text
print(sorted(m for m in sys.modules if m.split('.')[0] in ('langchain_core', 'langchain', 'torch')))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_passage_stating_the_figure_asked_comes_first(settings, fake_embedder, tmp_path):
    folder = tmp_path / "filing"
    folder.mkdir()
    chatter = [
        f"Acme net sales in 2030 were discussed at meeting {i}, where net sales for 2030 and net sales "
        f"trends were reviewed again."
        for i in range(12)
    ]
    table = (
        "<h2>Consolidated Statements of Operations</h2><table><tr><th>(in millions)</th><th>2029</th>"
        "<th>2030</th></tr><tr><td>Net sales</td><td>480</td><td>512</td></tr></table>"
    )
    (folder / "acme.htm").write_text(
        "<html><head><title>Acme 10-K</title></head><body><h2>Item 7</h2>"
        + "".join(f"<p>{c}</p>" for c in chatter)
        + table
        + "</body></html>"
    )
    (folder / "catalog.json").write_text(
        json.dumps(
            {
                "companies": {"Acme Corp": {"aliases": ["Acme"], "fiscal_year_end": "12-31"}},
                "files": {
                    "acme.htm": {"company": "Acme Corp", "doc_type": "10-K", "period": "FY2030 (year ended 2030-12-31)"}
                },
            }
        )
    )
    question = "What were Acme's net sales in 2030?"
    plain = Assistant(settings=settings.updated(chunk_chars=150, scoped_search=False), embedder=fake_embedder)
    plain.ingest([folder])
    assert not any("512" in c.text for c in plain.passages(question, 2))  # the words' search alone misses it
    scoped = Assistant(settings=settings.updated(chunk_chars=150, scoped_search=True), embedder=fake_embedder)
    assert "512" in scoped.passages(question, 2)[0].text
