"""Rasa test stories (tests/stories/) pass with no prediction errors, NLU included."""

import subprocess
import sys

from tests.servers import ROOT


def test_stories_have_no_prediction_errors(model_path, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "test", "core", "--model", str(model_path), "--stories", "tests/stories",
         "--fail-on-prediction-errors", "--out", str(tmp_path), "--no-plot"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    failed = (tmp_path / "failed_test_stories.yml")
    details = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:] + details
