"""``storyline export``"""

from __future__ import annotations

import importlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from storyline.cli.common import errors, fail, store_of


class Format(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    annotations = "annotations"
    stories = "stories"


WRITERS = {
    Format.jsonl: ("storyline.export.jsonl", "write_jsonl"),
    Format.csv: ("storyline.export.csv", "write_statements_csv"),
    Format.annotations: ("storyline.export.annotations", "write_annotations"),
    Format.stories: ("storyline.export.stories", "write_stories"),
}


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
    module, name = WRITERS[format]
    write = getattr(importlib.import_module(module), name)
    store = store_of(ctx)
    if output is None:
        n = write(store, sys.stdout)
    else:
        try:
            out = output.open("w", encoding="utf-8", newline="")
        except OSError as err:  # a folder that is not there, a folder given as the file, no permission
            raise fail(f"cannot write {output}: {err.strerror or err}") from err
        with out:
            n = write(store, out)
    errors.print(f"{n} records")
