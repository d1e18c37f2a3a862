"""The quality gate: `qa eval` on the default corpus must not fall below the committed thresholds."""

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow
THRESHOLDS = PROJECT_ROOT / "bench" / "eval-thresholds.json"


def test_eval_meets_committed_thresholds(real_assistant, output_dir):
    out = output_dir / "eval"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.interfaces.cli",
            "--store",
            str(real_assistant.settings.store.path),
            "eval",
            str(PROJECT_ROOT / "corpus" / "questions.jsonl"),
            "--k",
            "5",
            "--out",
            str(out),
            "--thresholds",
            str(THRESHOLDS),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["metrics"]["questions"] >= 80
    assert (out / "report.md").read_text().startswith("# Question-set evaluation")
    assert "<svg" in (out / "report.html").read_text()
