"""``storyline export``"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import errors, store_of
from storyline.export.jsonl import write_jsonl


class Format(str, Enum):
    jsonl = "jsonl"


def export(
    ctx: typer.Context,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
) -> None:
    """Export the whole record: documents with their text, entities, statements, times, figures, events."""
    store = store_of(ctx)
    if output is None:
        n = write_jsonl(store, sys.stdout)
    else:
        with output.open("w", encoding="utf-8") as out:
            n = write_jsonl(store, out)
    errors.print(f"{n} records")
