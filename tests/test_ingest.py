"""Ingest on a real Chroma store: content-hash ids, idempotent re-ingest, edits replace, prune removes."""

from pathlib import Path

from ingest.pipeline import Ingestor, chunk_id


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
