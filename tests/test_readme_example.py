"""The README's Python API example runs as written (from the repository root's view of samples/)."""

from __future__ import annotations

import json
import os
import re

from tests.conftest import ROOT


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys, nlp):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    os.symlink(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    import storyline

    # Share the suite's pipeline instead of loading a second copy; everything else as written.
    opened = storyline.open
    monkeypatch.setattr(storyline, "open", lambda db, **kw: opened(db, nlp=nlp, processes=1, **kw))
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Vladimir Putin" in printed or "Putin" in printed
    first = json.loads((tmp_path / "record.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["type"] == "document" and first["analyzer"]
