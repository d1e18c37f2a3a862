"""What ingest makes of the default corpus (chunks, tables, facts; not vectors), as one digest.

`python -m tests.parser_digest` records it with the current PARSER_VERSION in tests/data/parser-digest.json; the
test in tests/test_parser_version.py fails when the output changes while the version stays the same."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ingest.catalog import describe, read_catalog
from ingest.loaders import load_file
from ingest.pipeline import PARSER_VERSION, build_chunks, discover

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "data" / "parser-digest.json"


def digest(folder: Path = ROOT / "corpus", chunk_chars: int = 900) -> str:
    sha = hashlib.sha256()
    files, _problems = discover([folder])
    for path in files:
        loaded, _fmt = load_file(path)
        meta = describe(path, loaded, read_catalog(path.parent))
        for chunk in build_chunks(loaded, meta, "digest", chunk_chars):
            record = asdict(chunk)
            record.pop("id")
            record.pop("vectors")
            sha.update(json.dumps(record, sort_keys=True, default=str).encode())
    return sha.hexdigest()


if __name__ == "__main__":
    RECORD.write_text(json.dumps({"parser_version": PARSER_VERSION, "digest": digest()}, indent=2) + "\n")
    print(f"recorded parser version {PARSER_VERSION} in {RECORD}")
