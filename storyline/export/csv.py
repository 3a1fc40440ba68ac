"""Statements as CSV: one row per statement, for spreadsheets."""

from __future__ import annotations

import csv
from typing import IO

from storyline.store import StatementQuery, Store

COLUMNS = [
    "doc_id", "outlet", "published", "url", "date", "date_source", "speaker", "speaker_text", "speaker_start",
    "speaker_end", "cue", "cue_start", "cue_end", "cue_class", "kind", "content", "content_start", "content_end",
]


def write_statements_csv(store: Store, out: IO[str]) -> int:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    rows = store.statements(StatementQuery())
    for row in rows:
        s = row.statement
        sp, cue = s.speaker, s.cue
        writer.writerow([
            row.doc_id, row.outlet, row.published, row.url, s.date, s.date_source,
            sp.name if sp else "", sp.text if sp else "", sp.start if sp else "", sp.end if sp else "",
            cue.text if cue else "", cue.start if cue else "", cue.end if cue else "", s.cue_class, s.kind,
            s.content.text, s.content.start, s.content.end,
        ])
    return len(rows)
