"""Exports of the record: JSON Lines (the reference format), CSV, W3C Web Annotations."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from storyline.export.annotations import write_annotations
from storyline.export.csv import write_statements_csv
from storyline.export.jsonl import write_jsonl
from storyline.store import Store

# format name → writer(store, out) → number of records written
WRITERS: dict[str, Callable[[Store, IO[str]], int]] = {
    "jsonl": write_jsonl,
    "csv": write_statements_csv,
    "annotations": write_annotations,
}

__all__ = ["WRITERS", "write_annotations", "write_jsonl", "write_statements_csv"]
