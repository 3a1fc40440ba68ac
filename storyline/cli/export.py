"""``storyline export``"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import errors, store_of
from storyline.export.annotations import write_annotations
from storyline.export.csv import write_statements_csv
from storyline.export.jsonl import write_jsonl
from storyline.export.stories import write_stories


class Format(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    annotations = "annotations"
    stories = "stories"


WRITERS = {Format.jsonl: write_jsonl, Format.csv: write_statements_csv, Format.annotations: write_annotations,
           Format.stories: write_stories}


def export(
    ctx: typer.Context,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
) -> None:
    """Export the record.

    jsonl: everything (documents with their text, entities, statements, times, figures, events), the reference
    format. csv: one row per statement. annotations: statements as W3C Web Annotations (JSON Lines of JSON-LD)
    with text-position and text-quote selectors. stories: one story per line with its documents, claims
    (each statement with its source's stance), figures and timeline.
    """
    store = store_of(ctx)
    write = WRITERS[format]
    if output is None:
        n = write(store, sys.stdout)
    else:
        with output.open("w", encoding="utf-8", newline="") as out:
            n = write(store, out)
    errors.print(f"{n} records")
