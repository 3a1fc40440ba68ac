"""Quotations: the spans between matching quotation marks.

Curly marks pair by direction; straight ``"`` (and the ``''``/````` ASCII
pairs some wires use) alternate open/close. A paragraph break ends every open
quotation except one that the next paragraph reopens, the press convention for
quotes running over several paragraphs (the unclosed paragraph is kept as a
quotation too).
"""

from __future__ import annotations

import re

_MARK = re.compile(r"“|”|\"|''|``|«|»|‘(?=\w)|(?<=[\w.,!?])’(?!\w)")
_OPEN = {"“", "``", "«", "‘"}
_CLOSE = {"”", "»", "’"}


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of quotations, marks included, in text order."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    open_mark = ""
    para_end = [m.start() for m in re.finditer(r"\n\s*\n|\n", text)]
    breaks = iter(para_end + [len(text) + 1])
    next_break = next(breaks)
    for m in _MARK.finditer(text):
        mark, pos = m.group(), m.start()
        while pos > next_break:
            if open_at is not None:  # the quote runs to the paragraph's end
                spans.append((open_at, next_break))
                open_at = None
            next_break = next(breaks)
        single = mark in {"‘", "’"}
        if open_at is None:
            if mark in _CLOSE:
                continue  # a stray closing mark (or an apostrophe)
            open_at, open_mark = pos, mark
        else:
            closes = (
                mark in _CLOSE or mark == open_mark == '"' or (mark == "''" and open_mark in {"``", "''"})
            )
            if single != (open_mark == "‘"):
                continue  # a nested single quotation inside a double one
            if closes:
                spans.append((open_at, m.end()))
                open_at = None
            elif mark in _OPEN or mark == '"' or mark == "''":
                open_at, open_mark = pos, mark  # an unclosed quotation restarts
    if open_at is not None:
        spans.append((open_at, len(text)))
    return spans
