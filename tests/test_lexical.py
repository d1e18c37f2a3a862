"""The lexical index: BM25 over chunks (restricted to chosen documents when asked), idf, the fact index built with
it, and the on-disk cache keyed by the store's signature."""

import numpy as np

from assistant.search.lexical import LexicalCache, LexicalIndex
from assistant.contract.types import Chunk, Fact

CHUNKS = [Chunk(id="a", doc_id="d1", text="Orion revenue grew 20% in 2030."),
          Chunk(id="b", doc_id="d2", text="Vega revenue grew 12% in 2030 to $9.8 billion.",
                facts=[Fact(concept="revenue", label="revenue", period="12M@2030-12-31", value=9.8e9, unit="USD",
                            quote="Vega revenue grew 12% in 2030 to $9.8 billion.", company="Vega", chunk_id="b",
                            doc_id="d2")]),
          Chunk(id="c", doc_id="d2", text="Vega staff moved to a new campus.")]


def _index(signature="s1") -> LexicalIndex:
    return LexicalIndex.build(signature, CHUNKS, np.eye(3, 4, dtype="float32"))


def test_bm25_ranks_by_words_and_respects_the_document_filter():
    index = _index()
    assert [index.chunks[row].id for row, _ in index.search("Vega revenue", 3)][0] == "b"
    assert {index.chunks[row].doc_id for row, _ in index.search("revenue", 3, allowed={"d1"})} == {"d1"}
    assert index.search("nothing matches this", 3) == []


def test_rarer_terms_weigh_more_and_facts_are_indexed():
    index = _index()
    assert index.idf("campu") > index.idf("revenu") and index.known("vega") and not index.known("zebra")
    assert [f.value for f in index.facts.find("revenue", company="Vega")] == [9.8e9]


class _Store:
    def __init__(self):
        self.reads = 0

    def signature(self, docs=None):
        return "sig-1"

    def all_chunks(self, with_embeddings=False):
        self.reads += 1
        return [(c, np.ones(4, dtype="float32")) for c in CHUNKS]


def test_the_cache_is_reused_in_memory_and_from_disk(tmp_path):
    store = _Store()
    first = LexicalCache(tmp_path).get(store)
    assert first.signature == "sig-1" and store.reads == 1
    assert LexicalCache(tmp_path).get(store).rows == first.rows and store.reads == 1  # read back from disk
    (next(tmp_path.glob("lexical-*.pkl"))).write_bytes(b"not a pickle")
    assert LexicalCache(tmp_path).get(store).signature == "sig-1" and store.reads == 2  # a bad file is rebuilt
