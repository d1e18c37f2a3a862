"""The store's cached commit records: re-read exactly when some writer has changed them."""

from assistant.store.chunks import GENERATION_ID, ChunkStore
from assistant.contract.types import DocumentInfo
from ingest.pipeline import Ingestor


def _record(doc_id: str, file_hash: str = "h1") -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc_id,
        title=doc_id.title(),
        doc_type="note",
        company="",
        period="",
        chunks=0,
        source="",
        file_hash=file_hash,
    )


def test_another_writer_s_commit_and_delete_are_seen(settings):
    reader, writer = ChunkStore(settings, create=True), ChunkStore(settings, create=True)
    writer.commit_documents([_record("alpha")])
    assert set(reader.documents()) == {"alpha"}
    writer.commit_documents([_record("beta"), _record("alpha", "h2")])
    docs = reader.documents()
    assert set(docs) == {"alpha", "beta"} and docs["alpha"].file_hash == "h2"
    writer.delete_document("beta")
    assert set(reader.documents()) == {"alpha"}
    assert GENERATION_ID not in reader.documents()


def test_unchanged_generation_serves_the_cached_records(settings, monkeypatch):
    store = ChunkStore(settings, create=True)
    store.commit_documents([_record("alpha")])
    store.documents()
    reads = []
    original_get = store._docs.get
    monkeypatch.setattr(store._docs, "get", lambda **kw: (reads.append(kw.get("ids")), original_get(**kw))[1])
    assert set(store.documents()) == {"alpha"}
    assert reads == [[GENERATION_ID]]  # one point read, not the whole collection


def test_store_without_a_generation_record_is_read_every_time(settings, fake_embedder, tiny_corpus):
    """Stores written before the generation record existed stay correct: nothing is cached for them."""
    ingestor = Ingestor(settings, embedder=fake_embedder)
    ingestor.run([tiny_corpus])
    store = ingestor.store
    store._docs.delete(ids=[GENERATION_ID])
    before = set(store.documents())
    store._docs.delete(ids=["plain"])  # a change that writes no generation
    assert set(store.documents()) == before - {"plain"}


def test_returned_records_are_a_copy(settings):
    store = ChunkStore(settings, create=True)
    store.commit_documents([_record("alpha")])
    store.documents().pop("alpha")
    assert "alpha" in store.documents()
