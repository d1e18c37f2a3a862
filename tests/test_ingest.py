"""Ingest on a real Chroma store: content-hash ids, idempotent re-ingest, edits replace, prune removes."""

from pathlib import Path

from assistant.contract.types import Chunk
from ingest import pipeline
from ingest.pipeline import Ingestor, chunk_id, embedding_text
from tests.conftest import FakeEmbeddings


def _ingestor(settings, fake_embedder):
    return Ingestor(settings, embedder=fake_embedder)


def test_first_ingest_then_second_adds_nothing(settings, fake_embedder, tiny_corpus):
    ing = _ingestor(settings, fake_embedder)
    first = ing.run([tiny_corpus])
    assert first.problems == []
    assert first.documents == 3 and first.added_chunks > 0
    assert first.chunks_after == first.added_chunks == ing.store.count()
    second = _ingestor(settings, fake_embedder).run([tiny_corpus])
    assert second.added_chunks == 0 and second.removed_chunks == 0
    assert second.unchanged_documents == 3
    assert second.chunks_after == first.chunks_after


def test_chunk_ids_are_content_hashes(settings, fake_embedder, tiny_corpus):
    ing = _ingestor(settings, fake_embedder)
    ing.run([tiny_corpus])
    info = ing.store.documents()["cloud-notes"]
    chunks = [c for c, _ in ing.store.all_chunks() if c.doc_id == "cloud-notes"]
    assert len(chunks) == info.chunks
    for chunk in chunks:
        assert chunk.id == chunk_id("cloud-notes", info.file_hash, chunk.text, 0)


def test_edited_file_replaces_its_chunks(settings, fake_embedder, tiny_corpus):
    ing = _ingestor(settings, fake_embedder)
    ing.run([tiny_corpus])
    path = tiny_corpus / "plain.txt"
    path.write_text("Quarterly memo\n\nThe Orion data centre moved to Porto in 2032 with 300 megawatts.\n")
    report = ing.run([tiny_corpus])
    assert report.unchanged_documents == 2
    assert report.added_chunks >= 1 and report.removed_chunks >= 1
    texts = " ".join(c.text for c, _ in ing.store.all_chunks() if c.doc_id == "plain")
    assert "Porto" in texts and "Lisbon" not in texts
    # nothing of the old version is left behind, served or not
    assert ing.store.count() == sum(d.chunks for d in ing.store.documents().values())


def test_prune_removes_documents_whose_files_are_gone(settings, fake_embedder, tiny_corpus):
    ing = _ingestor(settings, fake_embedder)
    ing.run([tiny_corpus])
    (tiny_corpus / "plain.txt").unlink()
    kept = ing.run([tiny_corpus])
    assert "plain" in ing.store.documents() and kept.pruned_documents == []
    pruned = ing.run([tiny_corpus], prune=True)
    assert pruned.pruned_documents == ["plain"]
    assert "plain" not in ing.store.documents()
    assert all(c.doc_id != "plain" for c, _ in ing.store.all_chunks())


def test_unreadable_file_is_reported_and_the_rest_ingested(settings, fake_embedder, tiny_corpus):
    (tiny_corpus / "broken.pdf").write_bytes(b"%PDF-1.7 garbage that is not a pdf")
    (tiny_corpus / "empty.md").write_text("")
    report = _ingestor(settings, fake_embedder).run([tiny_corpus, Path("/no/such/file.md")])
    bad = {Path(p.path).name: p.error for p in report.problems}
    assert set(bad) == {"broken.pdf", "empty.md", "file.md"}
    assert "not a readable PDF" in bad["broken.pdf"]
    assert "empty" in bad["empty.md"]
    assert report.documents == 5 and report.added_chunks > 0
    assert {"cloud-notes", "plain", "filing"} <= set(_ingestor(settings, fake_embedder).store.documents())


def test_qaignore_skips_listed_files(settings, fake_embedder, tiny_corpus):
    (tiny_corpus / ".qaignore").write_text("plain.txt\n")
    report = _ingestor(settings, fake_embedder).run([tiny_corpus])
    assert "plain" not in report.doc_ids and report.documents == 2


class CountingEmbeddings(FakeEmbeddings):
    """The fake embedder, remembering every text it was asked to encode."""

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts, show_progress=False):
        self.seen += list(texts)
        return super().encode(texts)


def test_identical_passages_are_embedded_once(settings, tmp_path):
    folder = tmp_path / "dupes"
    folder.mkdir()
    para = "The Lyra region added 14 megawatts of capacity in 2031 after a delayed permit review."
    (folder / "repeats.md").write_text(f"# Notes\n\n{para}\n\n# Notes\n\n{para}\n", encoding="utf-8")
    embedder = CountingEmbeddings()
    report = Ingestor(settings, embedder=embedder).run([folder])
    assert report.added_chunks == 2  # both occurrences are stored, with their own ids ...
    assert len(embedder.seen) == len(set(embedder.seen)) == 1  # ... from one encoding


def test_embedding_text_is_a_compact_context_line_then_the_passage():
    chunk = Chunk(
        id="x",
        doc_id="amzn",
        text="AWS sales increased 19%.",
        company="Amazon.com, Inc.",
        doc_type="10-K",
        period="FY2024 (year ended 2024-12-31)",
        section="Part II, Item 7. Management's Discussion and Analysis of Financial Condition and Results",
    )
    assert embedding_text(chunk) == (
        "Amazon 10-K FY2024 | Item 7. Management's Discussion and Analysis of Financial\nAWS sales increased 19%."
    )
    assert embedding_text(Chunk(id="y", doc_id="n", text="plain")) == "plain"
    assert embedding_text(
        Chunk(id="z", doc_id="a", text="t", company="American Express", doc_type="10-K", period="2022")
    ).startswith("American Express 10-K 2022\n")
    assert len(embedding_text(chunk)) < len(chunk.search_text())


def test_writes_are_grouped_by_whole_documents(settings, fake_embedder, tiny_corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 2)
    ing = _ingestor(settings, fake_embedder)
    writes, committed = [], []
    add, commit = ing.store.add_chunks, ing.store.commit_documents

    def checked_commit(infos):
        for info in infos:  # every chunk of the version is in before its record is committed
            stored = ing.store.chunk_hashes(info.doc_id)
            assert sum(h == info.file_hash for h in stored.values()) == info.chunks
            committed.append(info.doc_id)
        commit(infos)

    monkeypatch.setattr(ing.store, "add_chunks", lambda c, e, h, k: (writes.append(len(c)), add(c, e, h, k))[1])
    monkeypatch.setattr(ing.store, "commit_documents", checked_commit)
    report = ing.run([tiny_corpus])
    assert sum(writes) == report.added_chunks and max(writes) <= 2
    assert sorted(committed) == sorted(report.doc_ids)  # every document committed exactly once


def test_pending_documents_split_into_groups_of_at_least_the_batch():
    def item(n):
        return pipeline.PreparedDocument(
            path=Path("x"), meta=None, file_hash="h", chunks=[], stale_ids=[], new_chunks=[None] * n
        )

    sizes = [
        [len(i.new_chunks) for i in g]
        for g in pipeline.write_groups([item(3), item(0), item(4), item(1), item(9), item(2)], 5)
    ]
    assert sizes == [[3, 0, 4], [1, 9], [2]]


def test_progress_is_reported_as_embedding_goes(settings, fake_embedder, tiny_corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "PROGRESS_SLICE", 2)
    seen = []
    report = _ingestor(settings, fake_embedder).run([tiny_corpus], progress=lambda *step: seen.append(step))
    assert len(seen) >= report.added_chunks // 2 and len(seen) > 1
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (report.added_chunks, report.added_chunks)


def test_reparsing_reuses_the_vectors_of_unchanged_passages(settings, tiny_corpus, monkeypatch):
    from tests.conftest import FakeEmbeddings

    class Counting(FakeEmbeddings):
        encoded = 0

        def encode(self, texts, show_progress=False):
            Counting.encoded += len(texts)
            return super().encode(texts)

    ing = _ingestor(settings, Counting())
    first = ing.run([tiny_corpus])
    assert Counting.encoded == first.added_chunks > 0
    monkeypatch.setattr(pipeline, "PARSER_VERSION", pipeline.PARSER_VERSION + 1)  # every file is parsed again
    again = ing.run([tiny_corpus])
    assert again.added_chunks == first.added_chunks and again.unchanged_documents == 0
    assert Counting.encoded == first.added_chunks  # nothing encoded twice: the stored vectors were re-used


def test_index_with_full_cleanup_removes_documents_not_given(settings, fake_embedder, tiny_corpus):
    from ingest.pipeline import file_source, index

    ing = _ingestor(settings, fake_embedder)
    ing.run([tiny_corpus])
    keep = file_source(tiny_corpus / "plain.txt", settings)
    report = index([keep], ing.store, fake_embedder, settings, cleanup="full")
    assert report.unchanged_documents == 1 and sorted(report.pruned_documents) == ["cloud-notes", "filing"]
    assert set(ing.store.documents()) == {"plain"}
