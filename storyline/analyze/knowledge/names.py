"""Given names, from gender-guesser's dictionary (about 40,000 names from many countries)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _detector() -> Any:
    import gender_guesser.detector as detector

    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=20_000)
def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name ("Lloyd", "Maria"; not "Defense")."""
    return word[:1].isupper() and _detector().get_gender(word) != "unknown"
