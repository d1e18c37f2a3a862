"""A change to what ingest produces (loaders, chunking, tables, facts) must bump PARSER_VERSION, so every stored
document is parsed again; nothing else (an answer rule, the upload code) re-embeds the store."""

import json

from ingest.pipeline import PARSER_VERSION, pipeline_version
from tests.parser_digest import RECORD, digest


def test_ingest_output_changes_only_with_a_parser_version_bump():
    recorded = json.loads(RECORD.read_text())
    how = "bump PARSER_VERSION in ingest/pipeline.py, then record it: python -m tests.parser_digest"
    assert recorded["parser_version"] == PARSER_VERSION, f"PARSER_VERSION changed: {how.split(', then ')[1]}"
    assert digest() == recorded["digest"], f"ingest output changed: {how}"


def test_the_store_version_depends_on_what_shapes_chunks_only():
    assert pipeline_version(900) == pipeline_version(900)
    assert pipeline_version(900) != pipeline_version(600)
