"""The served index: BM25 over chunks (restricted to chosen documents when asked, scored as bm25s scores), idf, the
fact index kept with it, changes by one document's entries, the per-document cache on disk, and readers that
never wait for an update."""

import threading

import numpy as np
import pytest

from assistant.contract.types import Chunk, DocumentInfo, Fact
from assistant.search.lexical import DocumentEntries, LexicalCache, LexicalIndex
from assistant.text import index_tokens


def _fact(chunk_id: str, doc_id: str, company: str, value: float) -> Fact:
    return Fact(
        concept="revenue",
        label="revenue",
        period="12M@2030-12-31",
        value=value,
        unit="USD",
        quote=f"{company} revenue was {value}.",
        company=company,
        chunk_id=chunk_id,
        doc_id=doc_id,
    )


CHUNKS = [
    Chunk(id="a", doc_id="d1", text="Orion revenue grew 20% in 2030."),
    Chunk(
        id="b",
        doc_id="d2",
        text="Vega revenue grew 12% in 2030 to $9.8 billion.",
        facts=[_fact("b", "d2", "Vega", 9.8e9)],
    ),
    Chunk(id="c", doc_id="d2", text="Vega staff moved to a new campus."),
]


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


def _corpus(n_docs=6, per_doc=15, seed=7) -> list[Chunk]:
    rng = np.random.default_rng(seed)
    words = [f"term{i}" for i in range(60)] + ["revenue", "income", "cloud", "segment", "2030", "2031"]
    out = []
    for d in range(n_docs):
        for i in range(per_doc):
            text = " ".join(rng.choice(words, size=int(rng.integers(3, 40))))
            out.append(
                Chunk(
                    id=f"{d}-{i}",
                    doc_id=f"doc{d}",
                    text=text,
                    company=f"Company {d}",
                    facts=[_fact(f"{d}-{i}", f"doc{d}", f"Company {d}", float(d * 100 + i))] if i == 0 else [],
                )
            )
    return out


QUERIES = ["revenue cloud segment", "term3 term3 income 2030", "term59 term1 term2 term4 cloud", "2031 segment"]


def test_scores_equal_those_of_bm25s():
    import bm25s

    chunks = _corpus()
    index = LexicalIndex.build("s", chunks, np.zeros((len(chunks), 4), dtype="float32"))
    corpus = [index_tokens(c.search_text()) or ["_"] for c in chunks]
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    reference = bm25s.BM25(k1=1.2, b=0.75)
    reference.index(bm25s.tokenization.Tokenized(ids=ids, vocab=vocab), show_progress=False)
    for query in QUERIES:
        tokens = [t for t in index_tokens(query) if t in reference.vocab_dict]
        expected = reference.get_scores(tokens)
        ours = dict(index.search(query, len(chunks)))
        assert ours and all(ours.get(row, 0.0) == float(s) for row, s in enumerate(expected))  # bit for bit


def _parts(chunks: list[Chunk], version: str = "v1") -> dict[str, DocumentEntries]:
    groups: dict[str, list[Chunk]] = {}
    for c in chunks:
        groups.setdefault(c.doc_id, []).append(c)
    return {
        d: DocumentEntries.build(d, version, members, np.full((len(members), 4), len(d), dtype="float32"))
        for d, members in groups.items()
    }


def _same(a: LexicalIndex, b: LexicalIndex) -> None:
    """Two indexes serve the same chunks with the same scores, idf and facts."""
    assert sorted(c.id for c in a.chunks if a.row_of_id(c.id) is not None) == sorted(
        b.chunks[r].id for r in range(b.size) if b.live[r]
    )
    for query in QUERIES:
        ours = {a.chunks[r].id: s for r, s in a.search(query, 1000)}
        fresh = {b.chunks[r].id: s for r, s in b.search(query, 1000)}
        assert ours == pytest.approx(fresh, rel=1e-6)
    for term in ("revenu", "term3", "cloud", "absent"):
        assert a.idf(term) == pytest.approx(b.idf(term))
    assert sorted(f.value for f in a.facts.all()) == sorted(f.value for f in b.facts.all())


def test_adding_and_removing_documents_equals_building_afresh():
    parts = _parts(_corpus())
    changed = _parts(
        [
            Chunk(
                id=f"x{i}",
                doc_id="doc2",
                text=f"cloud revenue term{i} rose",
                company="Company 2",
                facts=[_fact(f"x{i}", "doc2", "Company 2", 777.0 + i)],
            )
            for i in range(4)
        ],
        "v2",
    )["doc2"]
    grown = LexicalIndex.assemble("s", [parts["doc0"], parts["doc1"]])
    for d in ("doc2", "doc3", "doc4", "doc5"):
        grown = grown.with_documents([parts[d]])
    before = grown
    updated = grown.without(["doc4"]).with_documents([changed])  # a delete, then a changed version
    fresh = LexicalIndex.assemble("s", [parts[d] for d in ("doc0", "doc1", "doc3", "doc5")] + [changed])
    _same(updated, fresh)
    assert "doc4" not in {f.doc_id for f in updated.facts.all()}
    assert {f.value for f in updated.facts.find("revenue", company="Company 2")} == {777.0, 778.0, 779.0, 780.0}
    assert updated.row_of_id(parts["doc2"].chunks[0].id) is None  # the old version's rows are no longer served
    _same(before, LexicalIndex.assemble("s", list(parts.values())))  # the earlier snapshot did not change


class _Store:
    """A store whose documents can change, counting what the index reads from it."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = {c.id: c for c in chunks}
        self.versions = {c.doc_id: "v1" for c in chunks}
        self.whole_reads = 0
        self.document_reads: list[str] = []
        self.block = None  # an Event a document read waits for

    def documents(self):
        return {
            d: DocumentInfo(doc_id=d, title=d, doc_type="note", company="", period="", chunks=1, file_hash=h)
            for d, h in self.versions.items()
        }

    def signature(self, docs=None):
        docs = self.documents() if docs is None else docs
        return "|".join(f"{d}:{docs[d].file_hash}" for d in sorted(docs))

    def all_chunks(self, with_embeddings=False):
        self.whole_reads += 1
        return [(c, np.ones(4, dtype="float32")) for c in self.chunks.values() if c.doc_id in self.versions]

    def document_chunks(self, doc_id, file_hash):
        if self.block is not None:
            self.block.wait(10)
        self.document_reads.append(doc_id)
        return [(c, np.ones(4, dtype="float32")) for c in self.chunks.values() if c.doc_id == doc_id]


def test_entries_are_kept_on_disk_per_document_and_a_change_reads_only_that_document(tmp_path):
    store = _Store(CHUNKS)
    first = LexicalCache(tmp_path).get(store)
    assert store.document_reads == ["d1", "d2"] and len(list((tmp_path / "entries").glob("*.pkl"))) == 2
    again = LexicalCache(tmp_path).get(store)  # a new process: read back from disk, not from the store
    assert store.document_reads == ["d1", "d2"] and [c.id for c in again.chunks] == [c.id for c in first.chunks]
    for path in (tmp_path / "entries").glob("*.pkl"):
        path.write_bytes(b"not a pickle")
    assert LexicalCache(tmp_path).get(store).size == 3 and store.document_reads[2:] == ["d1", "d2"]  # bad files re-read

    cache = LexicalCache(tmp_path)
    cache.get(store)
    store.chunks["e"] = Chunk(id="e", doc_id="d3", text="Lyra revenue fell in 2030.")
    store.versions["d3"] = "v1"
    added = cache.get(store)
    assert store.document_reads[-1] == "d3" and store.document_reads.count("d1") == 2 and store.whole_reads == 0
    del store.versions["d2"]
    removed = cache.get(store)
    assert store.document_reads[-1] == "d3" and not removed.facts.find("revenue", company="Vega")
    assert {removed.chunks[r].doc_id for r, _ in removed.search("revenue 2030", 10)} == {"d1", "d3"}
    assert added.facts.find("revenue", company="Vega")  # the snapshot a search already holds is unchanged


def test_readers_never_wait_for_an_update_and_never_see_a_removed_document(tmp_path):
    store = _Store(CHUNKS)
    cache = LexicalCache(None)
    cache.get(store)
    store.chunks["e"] = Chunk(id="e", doc_id="d3", text="Lyra revenue fell in 2030.")
    store.versions["d3"] = "v1"
    del store.versions["d2"]
    store.block = threading.Event()
    updater = threading.Thread(target=cache.get, args=(store,))
    updater.start()
    while not cache._update.locked():
        pass
    served = cache.get(store)  # returns at once, while the update waits on the store
    assert updater.is_alive()
    assert {served.chunks[r].doc_id for r, _ in served.search("revenue", 10)} == {"d1"}
    assert not served.facts.find("revenue", company="Vega")
    written = []
    writer = threading.Thread(target=lambda: written.append(cache.get(store, wait=True)))
    writer.start()  # a writer (after its upload or delete) waits for the update instead
    writer.join(0.3)
    assert writer.is_alive() and not written
    store.block.set()
    updater.join(10)
    writer.join(10)
    assert {r for r, _ in cache.get(store).search("Lyra", 10)} and {r for r, _ in written[0].search("Lyra", 10)}


def test_compacting_keeps_what_is_served_and_each_vector_with_its_chunk():
    parts = _parts(_corpus())
    index = LexicalIndex.assemble("s", list(parts.values()))
    assert all(not p.embeddings.size for p in index.parts.values())  # vectors live once, in the row storage
    thinned = index.without(["doc0", "doc1", "doc2", "doc3"])
    compact = thinned.compacted()
    assert compact.size == compact.live_rows == thinned.live_rows and compact.dead_rows() == 0
    _same(compact, thinned)
    for row in range(compact.size):
        assert compact.embeddings[row][0] == len(compact.chunks[row].doc_id)  # _parts marks vectors by doc id
    assert all(c.vectors == "" for c in compact.chunks)
