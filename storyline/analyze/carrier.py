"""Per-document inputs that travel with the text into ``nlp.pipe``'s worker processes.

spaCy tokenizes strings in the worker processes, but a ``Doc`` (the only other
way to attach inputs such as the publication time) is made, serialized and
sent from the main process, which then does the tokenizing for every worker.
So the inputs ride in a short header in front of the text, and a tokenizer
wrapper takes them off again: the ``Doc``'s text is exactly the document's
(offsets unchanged) and its extensions are set before any component runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc

from storyline.analyze.extensions import keep_text

_MARK = "\x1estoryline\x1f"
_END = "\x1e"


def with_inputs(text: str, inputs: dict[str, Any]) -> str:
    """``text`` with ``inputs`` (extension name → value) in front."""
    return f"{_MARK}{json.dumps(inputs, separators=(',', ':'))}{_END}{text}"


class InputsTokenizer:
    """Wraps a tokenizer: reads the header, tokenizes the text, sets the inputs on the Doc."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if not text.startswith(_MARK):
            return keep_text(self.tokenizer(text), text)
        end = text.index(_END, len(_MARK))
        inputs = json.loads(text[len(_MARK) : end])
        body = text[end + len(_END) :]
        doc = keep_text(self.tokenizer(body), body)
        for name, value in inputs.items():
            setattr(doc._, name, value)
        return doc

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:  # vocab, rules, to_bytes … of the wrapped tokenizer
        if name == "tokenizer":  # not set yet (unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
