"""storyline: a verifiable, source-attributed record of a developing story."""

from storyline.model import (
    Analysis,
    Document,
    Entity,
    Event,
    Figure,
    Speaker,
    Statement,
    TextSpan,
    TimeExpression,
)

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Document",
    "Entity",
    "Event",
    "Figure",
    "Speaker",
    "Statement",
    "TextSpan",
    "TimeExpression",
    "__version__",
]
