"""``storyline eval …``: score storyline against the evaluation sets in ../shared/data.

Each command runs the same pipeline users run and prints a table; the scoring
itself lives in :mod:`storyline.eval`.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="Score storyline against annotated evaluation sets.", no_args_is_help=True)
