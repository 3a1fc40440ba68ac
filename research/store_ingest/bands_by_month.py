"""What the copy check's MinHash band index would cost if its keys were clustered by month.

    python research/store_ingest/bands_by_month.py STORE.db SEED.db --story

Runs ``wal_pages.py`` (same arguments; it works on STORE.db in place, so copy it first) with each
band key prefixed by the document's publication month ("2024-10|3:ab…"), so a month's keys sit
together in the index instead of on one random leaf each. Measures pages only: the prefix would
also change what a copy is (found only among documents of the months a lookup names), which is
why it is a probe and not the product.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from storyline.model import Document
from storyline.story import duplicates

_month = {"value": ""}
_band_keys = duplicates.band_keys
_record = duplicates.Copies.record


def record(self: duplicates.Copies, document: Document, text_of):  # type: ignore[no-untyped-def]
    _month["value"] = document.published.strftime("%Y-%m") if document.published else ""
    return _record(self, document, text_of)


duplicates.Copies.record = record  # type: ignore[method-assign]
duplicates.band_keys = lambda m: [f"{_month['value']}|{k}" for k in _band_keys(m)]
sys.argv = ["wal_pages.py", *sys.argv[1:]]
runpy.run_path(str(Path(__file__).with_name("wal_pages.py")), run_name="__main__")
