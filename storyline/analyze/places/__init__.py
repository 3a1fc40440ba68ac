"""Places: an offline gazetteer and a toponym resolver (see docs/places.md).

Public API: :func:`resolve` (with :class:`Toponym`, :class:`Context`,
:class:`Resolution`, :class:`Resolver`), :class:`Gazetteer`,
:func:`ruler_patterns` and :func:`demonyms` for the entity ruler. The spaCy
component ``storyline_places`` lives in :mod:`.component`.
"""

from storyline.analyze.places.gazetteer import Gazetteer, default_path
from storyline.analyze.places.patterns import demonyms, ruler_patterns
from storyline.analyze.places.resolver import Context, Resolution, Resolver, Toponym, resolve

__all__ = [
    "Context", "Gazetteer", "Resolution", "Resolver", "Toponym", "default_path", "demonyms", "resolve", "ruler_patterns",
]
