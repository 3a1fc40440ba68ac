"""Sentence-boundary hints for the parser, which respects preset boundaries.

- A paragraph break (a blank line, whatever the line ending) always starts a sentence, so a headline or a
  quote does not run into the next paragraph.
- A closing quotation mark written right after the sentence's last character
  never starts one: the small model splits ``… serious issue."`` before the
  ``"``, which would cut quotes off from their content.
"""

from __future__ import annotations

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze.extensions import text_of

_QUOTES = {'"', "”", "’", "'", "»", "」"}
_NOT_START = (1 << 64) - 1  # sent_start -1 ("not a start") as Doc.to_array writes it (uint64)


def _line_breaks(space: str) -> int:
    """Line breaks in a whitespace token, written as LF, CRLF or CR alone (old Mac files)."""
    return space.count("\n") + space.count("\r") - space.count("\r\n")


@Language.component("storyline_sentences", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    # Token attributes read through Doc.to_array, and the hints written back with one
    # Doc.from_array: Token.is_sent_start's setter first checks the whole doc for a parse
    # (a scan of every token per hint), and a Token object per token cost as much again.
    n = len(doc)
    if n == 0:
        return doc
    cols = doc.to_array([IS_SPACE, IS_PUNCT, SPACY, ORTH, IDX, LENGTH]).tolist()
    quotes = {doc.vocab.strings[q] for q in _QUOTES}
    text = text_of(doc)
    hints: list[tuple[int, bool]] = []
    after_break = False
    for i, (is_space, _, spacy, orth, idx, length) in enumerate(cols):
        if is_space:
            after_break = after_break or _line_breaks(text[idx : idx + length]) >= 2
            continue
        if after_break:
            if i > 0:
                hints.append((i, True))
            after_break = False
        elif i > 0 and orth in quotes and not cols[i - 1][2] and not cols[i - 1][0]:
            closing = i + 1 == n or spacy or cols[i + 1][0] or cols[i + 1][1]
            if closing:
                hints.append((i, False))
    if hints:
        i, start = hints[0]
        doc[i].is_sent_start = start  # through the setter: it refuses a parsed doc, as before
        starts = doc.to_array([SENT_START])
        for i, start in hints[1:]:
            starts[i] = 1 if start else _NOT_START
        doc.from_array([SENT_START], starts)
    return doc
