"""Sentence-boundary hints for the parser, which respects preset boundaries.

- A paragraph break (a blank line, whatever the line ending) always starts a sentence, so a headline or a
  quote does not run into the next paragraph.
- A closing quotation mark written right after the sentence's last character
  never starts one: the small model splits ``… serious issue."`` before the
  ``"``, which would cut quotes off from their content.
"""

from __future__ import annotations

from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze.extensions import text_of

_QUOTES = {'"', "”", "’", "'", "»", "」"}


def _line_breaks(space: str) -> int:
    """Line breaks in a whitespace token, written as LF, CRLF or CR alone (old Mac files)."""
    return space.count("\n") + space.count("\r") - space.count("\r\n")


@Language.component("storyline_sentences", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    # Token attributes read through Doc.to_array: making a Token object for each of a
    # document's ~1,000 tokens cost more than the rest of this component.
    n = len(doc)
    if n == 0:
        return doc
    cols = doc.to_array([IS_SPACE, IS_PUNCT, SPACY, ORTH, IDX, LENGTH]).tolist()
    quotes = {doc.vocab.strings[q] for q in _QUOTES}
    text = text_of(doc)
    after_break = False
    for i, (is_space, _, spacy, orth, idx, length) in enumerate(cols):
        if is_space:
            after_break = after_break or _line_breaks(text[idx : idx + length]) >= 2
            continue
        if after_break:
            if i > 0:
                doc[i].is_sent_start = True
            after_break = False
        elif i > 0 and orth in quotes and not cols[i - 1][2] and not cols[i - 1][0]:
            closing = i + 1 == n or spacy or cols[i + 1][0] or cols[i + 1][1]
            if closing:
                doc[i].is_sent_start = False
    return doc
