"""Answer units: a passage's sentences, or a table's rows read with their caption; where each sits in the passage;
and their vectors packed into a chunk's metadata."""

import numpy as np

from assistant.search.units import pack_vectors, unpack_vectors, units

TABLE = (
    "AWS sales increased 19% in 2024, compared to the prior year. The growth mainly reflects\n"
    "increased customer usage, partially offset by pricing changes from long-term contracts. Net sales\n"
    "by segment are as follows (in millions):\n"
    "Year Ended December 31,\n"
    "2023 2024\n"
    "North America $ 352,828 $ 387,497\n"
    "AWS 90,757 107,556\n"
)


def test_paragraph_before_a_table_answers_on_its_own_and_only_its_last_sentence_captions_the_rows():
    found = units(TABLE, "table")
    shown = [u.text for u in found]
    assert shown[0] == "AWS sales increased 19% in 2024, compared to the prior year."
    assert shown[1].startswith("The growth mainly reflects increased customer usage")
    assert found[1].quote in TABLE and "\n" in found[1].quote  # the quote is the verbatim span, line break included
    row = next(u for u in found if u.text.endswith("AWS 90,757 107,556"))
    assert row.text.startswith("Net sales by segment are as follows (in millions)") and "prior year" not in row.text


def test_every_unit_knows_where_its_quote_sits_in_the_passage():
    for text, kind in ((TABLE, "table"), ("First sentence here. Second one follows. Third.", "prose")):
        for unit in units(text, kind):
            assert text[unit.start : unit.end] == unit.quote


def test_short_caption_stays_whole_in_front_of_every_row():
    text = "Net sales (in millions):\n2023 2024\nAWS 90,757 107,556\nNorth America $ 352,828 $ 387,497\n"
    found = units(text, "table")
    assert len(found) == 2 and all(u.text.startswith("Net sales (in millions)") for u in found)


def test_unit_vectors_survive_packing_at_half_precision():
    vectors = np.random.default_rng(1).normal(size=(3, 384)).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    back = unpack_vectors(pack_vectors(vectors), 384)
    assert back.shape == (3, 384) and np.allclose(back, vectors, atol=1e-3)
    assert unpack_vectors("", 384) is None


def test_a_columns_dollar_million_heading_is_its_scale():
    from assistant.finance.figures import scale_note

    assert scale_note("Twelve Months Ended June 30, 2022 $ million 2023 $ million") == 1e6
    assert scale_note("US$ thousand") == 1e3
    assert scale_note("revenue of $5 million in the year") is None
