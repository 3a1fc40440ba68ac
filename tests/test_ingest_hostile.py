"""Hostile input: sizes and shapes that made the readers' regexes run for minutes.

Each case runs in a child process with a time budget far above what a linear
reader needs (milliseconds) and far below what the old patterns took (from
seconds to hours), so a quadratic or exponential pattern fails the test instead
of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

BUDGET = 20.0  # seconds, for the child process including its imports

CASES = {
    # An 80,000-character last line took 49 s in the e-mail pattern (closing byline).
    "long last line": """
        from storyline.ingest.text import parse_article_text
        doc = parse_article_text("Title\\n\\nBody.\\n" + "a" * 400_000)
        assert doc.text.endswith("a")
    """,
    "long last line of e-mail-like pieces": """
        from storyline.ingest.text import parse_article_text
        parse_article_text("Title\\n\\nBody.\\n" + "a@b" * 100_000)
    """,
    # A 200-character "By …" line took 12 s (nested quantifiers: exponential).
    "long top byline": """
        from storyline.ingest.text import parse_article_text
        parse_article_text("By " + "Jane and Doe " * 40 + "!\\n\\nBody.")
        parse_article_text("By " + "Jane and Doe " * 20_000 + "!\\n\\nBody.")
    """,
    "long dateline": """
        from storyline.ingest.text import parse_article_text
        parse_article_text("Title\\n\\nPosted x" + " " * 200_000 + "y\\n\\nBody.")
    """,
    # A 400,000-character description with '<' and no '>' took 184 s and 4.5 GB.
    "markup without closing brackets": """
        import json
        from storyline.ingest.records import read_jsonl
        from storyline.ingest.outlets import Outlets
        line = json.dumps({"title": "T", "description": "<a " * 140_000})
        list(read_jsonl(line + "\\n", source="x.jsonl", outlets=Outlets.bundled()))
    """,
    "date with a long tail": """
        from storyline.ingest.dates import parse_datetime
        assert parse_datetime("2024 " + " ," * 100_000 + "x", None)[0] is None
    """,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_readers_are_linear_on_hostile_input(name):
    code = textwrap.dedent(CASES[name])
    try:
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=BUDGET)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still running after {BUDGET:.0f} s")
    assert result.returncode == 0, result.stderr[-2000:]
