"""The language of a document, and whether the pipeline can read it.

Identified with py3langid (a maintained fork of langid.py: a naive Bayes
model over byte n-grams, 97 languages, 4.5 MB, a few milliseconds a document)
on what analysis reads: the headline and the body, so for a feed item its
title and description. Short texts are hard (a headline of four words is often
given to the wrong language with low confidence), so:

- a declared language (a record's ``language`` field, a feed's, a page's) is
  kept unless the text says otherwise with confidence ≥ ``OVERRIDE``;
- an undeclared one is set from the text when the confidence is ≥ ``ACCEPT``,
  and left unknown (None) otherwise.

storyline's pipeline reads English only. A document in another language is
stored, with its text and metadata, but not analysed: it gets no extractions,
and the ingest report and ``storyline status`` say so. A document of unknown
language is analysed.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

import pycountry

from storyline.model import Document

SUPPORTED = frozenset({"en"})
ACCEPT = 0.80
OVERRIDE = 0.95
MIN_LETTERS = 20  # fewer letters than this say nothing reliable
SAMPLE_CHARS = 5000  # the start of the analysed text is enough, and keeps long documents fast

IDENTIFIED = "language_identified"
_SUBTAG = re.compile(r"[A-Za-z]{2,3}(?=$|[-_])")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise(tag: str | None) -> str | None:
    """A language tag or name as ISO 639-1 where there is one ("en-US", "eng", "English" → "en").

    None for what is not a language.
    """
    if not tag or not tag.strip() or len(tag) > 60:
        return None
    value = tag.strip()
    if (m := _SUBTAG.match(value)) is not None:
        code = m.group(0).lower()
        found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else (
            pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
        )
        if found is not None:
            return getattr(found, "alpha_2", None) or found.alpha_3
    try:
        found = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return getattr(found, "alpha_2", None) or found.alpha_3


def name(code: str | None) -> str:
    found = pycountry.languages.get(alpha_2=code) if code and len(code) == 2 else None
    return found.name if found is not None else (code or "unknown")


def identify(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and its probability (0 for a text without letters)."""
    sample = text[:SAMPLE_CHARS]
    # Counted up to MIN_LETTERS only: a batch's texts are read before its first is analysed.
    if sum(1 for _ in itertools.islice(filter(str.isalpha, sample), MIN_LETTERS)) < MIN_LETTERS:
        return "und", 0.0
    language, probability = _identifier().classify(sample)
    return normalise(language) or language, float(probability)


def analysed_text(document: Document) -> str:
    return "\n".join(document.text[s:e] for s, e in document.analysed_ranges())


def settle(document: Document) -> str | None:
    """Set ``document.language`` from its declaration and its text; returns it.

    ``meta["language_identified"]`` records what the identifier said (and that
    the language is settled); when the text overrides a declaration, the
    declared value is kept in ``meta["language_declared"]``.
    """
    if IDENTIFIED in document.meta:
        return document.language
    declared = normalise(document.language)
    detected, probability = identify(analysed_text(document))
    document.meta[IDENTIFIED] = {"language": detected, "probability": round(probability, 3)}
    if declared is not None:
        if detected != declared and probability >= OVERRIDE:
            document.meta["language_declared"] = document.language
            document.language = detected
        else:
            document.language = declared
    else:
        document.language = detected if probability >= ACCEPT else None
    return document.language


def not_analysed_reason(document: Document) -> str | None:
    """Why the pipeline will not analyse this document, or None when it will (settles the language)."""
    language = settle(document)
    if language is None or language in SUPPORTED:
        return None
    return f"language {language} ({name(language)}): the pipeline reads English only"
