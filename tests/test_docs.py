"""The README's usage section is generated from the code and must not drift."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_readme_usage_matches_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, "README.md is out of date: run `python -m cogapp -r README.md`\n" + result.stdout + result.stderr
