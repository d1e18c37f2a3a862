"""Text primitives: number normalising, stemming, tokens for lexical search, sentence spans, table-line tests."""

from assistant.text import (
    content_terms,
    index_tokens,
    is_column_header,
    is_table_row,
    normalize_number,
    numbers_in,
    split_sentences,
    stem,
)


def test_numbers_are_normalised_to_compare():
    assert normalize_number("128,725") == "128725" and normalize_number("19%") == "19"
    assert normalize_number("1.50") == "1.5" and numbers_in("$128.7 billion, up 19%") == {"128.7", "19"}


def test_stems_match_plural_and_verb_forms():
    assert stem("increased") == stem("increase") == stem("increases")
    assert stem("companies") == "company" and stem("business") == "business" and stem("sales") == "sale"


def test_index_tokens_drop_stopwords_and_add_period_tokens():
    tokens = index_tokens("What were the net sales in Q2 2025?")
    assert "the" not in tokens and "net" in tokens and "2025" in tokens
    assert content_terms("How much did sales grow in 2024?") == [
        t for t in dict.fromkeys(index_tokens("How much did sales grow in 2024?")) if t not in ("much", "did", "how")
    ]


def test_sentence_spans_are_trimmed_and_long_run_ons_cut_at_spaces():
    text = "  First sentence ends here. Second one, with $1.5 billion, ends too.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First sentence ends here.", "Second one, with $1.5 billion, ends too."]
    long_run = " ".join(["word"] * 300)
    assert all(e - s <= 400 for s, e in split_sentences(long_run))


def test_table_lines_and_column_headers():
    assert is_table_row("North America $ 90,033 $ 100,068") and is_table_row("| a | b |")
    assert not is_table_row(
        "Cash capital expenditures were $16.4 billion and $31.4 billion during Q2 2024 and Q2 2025,"
    )
    assert not is_table_row("for the six months ended June 30, 2024")
    assert is_column_header("Three Months Ended June 30,") and is_column_header("2023 2024")
    assert not is_column_header("Net sales 1,234 5,678")
