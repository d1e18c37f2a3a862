"""Chunking: whole sentences, bounded size, tables kept with their caption and header row."""

from assistant.text import split_sentences
from ingest.chunker import chunk_section
from ingest.loaders import Section

TABLE_PAGE = """Revenue grew strongly in the year. Management discussed the drivers at length.
Net sales by segment are as follows (in millions):
Year Ended December 31,
2023 2024
North America $ 352,828 $ 387,497
International 131,200 142,906
AWS 90,757 107,556
Consolidated $ 574,785 $ 637,959
The increase was driven by unit sales and AWS usage."""


def test_small_table_stays_whole_with_caption_and_header():
    pieces = chunk_section(Section(TABLE_PAGE, page=3, heading="Item 7."), max_chars=900)
    tables = [p for p in pieces if p.kind == "table"]
    assert len(tables) == 1
    table = tables[0].text
    assert table.startswith("Net sales by segment are as follows (in millions):")
    for row in ("2023 2024", "North America $ 352,828 $ 387,497", "AWS 90,757 107,556", "Consolidated"):
        assert row in table
    prose = " ".join(p.text for p in pieces if p.kind == "prose")
    assert "Revenue grew strongly in the year." in prose and "AWS usage." in prose
    assert all(p.page == 3 and p.section == "Item 7." for p in pieces)


def test_large_table_is_split_by_rows_repeating_its_header():
    rows = "\n".join(f"Product line {i} {1000 + i:,} {2000 + i:,}" for i in range(120))
    text = f"Sales by product line (in millions):\nYear Ended December 31,\n2023 2024\n{rows}"
    pieces = chunk_section(Section(text), max_chars=600)
    assert len(pieces) > 3
    for piece in pieces:
        assert piece.kind == "table"
        assert piece.text.startswith("Sales by product line (in millions):\nYear Ended December 31,\n2023 2024")
        assert len(piece.text) <= 700
    body = "\n".join(p.text for p in pieces)
    assert all(f"Product line {i} " in body for i in range(120))


def test_prose_chunks_keep_sentences_whole_and_bounded():
    sentences = [f"Sentence number {i} talks about cloud revenue and margins in detail." for i in range(60)]
    text = " ".join(sentences)
    pieces = chunk_section(Section(text), max_chars=400)
    assert len(pieces) > 5
    for piece in pieces:
        assert len(piece.text) <= 400
        assert piece.text.startswith("Sentence number") and piece.text.endswith("detail.")
        assert text[piece.start : piece.end] == piece.text  # offsets point back into the section


def test_run_on_line_without_sentence_breaks_is_cut_at_words():
    text = "word " * 1000
    spans = split_sentences(text)
    assert all(e - s <= 400 for s, e in spans)
    assert sum(len(text[s:e].split()) for s, e in spans) == 1000
