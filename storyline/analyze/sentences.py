"""Sentence-boundary hints for the parser, which respects preset boundaries.

- A paragraph break (a blank line, whatever the line ending) always starts a sentence, so a headline or a
  quote does not run into the next paragraph.
- A closing quotation mark written right after the sentence's last character
  never starts one: the small model splits ``… serious issue."`` before the
  ``"``, which would cut quotes off from their content.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_QUOTES = {'"', "”", "’", "'", "»", "」"}


def _line_breaks(space: str) -> int:
    """Line breaks in a whitespace token, written as LF, CRLF or CR alone (old Mac files)."""
    return space.count("\n") + space.count("\r") - space.count("\r\n")


@Language.component("storyline_sentences", assigns=["token.is_sent_start"])
def sentence_hints(doc: Doc) -> Doc:
    after_break = False
    for token in doc:
        if token.is_space:
            after_break = after_break or _line_breaks(token.text) >= 2
            continue
        if after_break:
            if token.i > 0:
                token.is_sent_start = True
            after_break = False
        elif token.i > 0 and token.text in _QUOTES and doc[token.i - 1].whitespace_ == "" and not doc[token.i - 1].is_space:
            closing = token.i + 1 == len(doc) or token.whitespace_ != "" or doc[token.i + 1].is_space or doc[token.i + 1].is_punct
            if closing:
                token.is_sent_start = False
    return doc

