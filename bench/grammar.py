"""Pass rate of each question reader on the hand-written grammar tables (tests/data/grammar_cases.jsonl and
tests/data/followup_cases.jsonl): `python -m bench.grammar`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from grammar_table import cases, fixture, followup_result, grammar_result, rates


def main() -> None:
    names = fixture()
    for table, read in (("grammar_cases.jsonl", grammar_result), ("followup_cases.jsonl", followup_result)):
        results = [(case, read(case, names)) for case in cases(table)]
        whole = sum(not wrong for _, wrong in results)
        print(f"{table}: {whole}/{len(results)} cases pass ({whole / len(results):.3f})")
        for reader, (passed, total) in rates(results).items():
            print(f"  {reader:10s} {passed}/{total} ({passed / total:.3f})")
        for case, wrong in results:
            if wrong:
                print(f"  failing: {case['id']}: {wrong}")


if __name__ == "__main__":
    main()
