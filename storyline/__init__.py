"""storyline: a verifiable, source-attributed record of a developing story.

    import storyline

    with storyline.open("story.db") as s:
        s.ingest(["samples/"])
        s.statements(speaker="Putin")

``open`` returns a :class:`Session`; the pieces it joins are exported too.
"""

__version__ = "0.1.0"

from storyline.analyze.pipeline import Outcome, load_pipeline  # noqa: E402
from storyline.analyze.pipeline import analyze as analyze_documents  # noqa: E402
from storyline.batch import BatchReport  # noqa: E402
from storyline.batch import ingest as ingest_paths  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.ingest.files import ReadOptions, Rejected, read_sources  # noqa: E402
from storyline.ingest.outlets import Outlet, Outlets  # noqa: E402
from storyline.model import (  # noqa: E402
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
from storyline.session import Session, open  # noqa: E402
from storyline.store import Store, open_store  # noqa: E402

__all__ = [
    "Analysis",
    "BatchReport",
    "Document",
    "Entity",
    "Event",
    "Figure",
    "Outcome",
    "Outlet",
    "Outlets",
    "ReadOptions",
    "Rejected",
    "Session",
    "Settings",
    "Speaker",
    "Statement",
    "Store",
    "TextSpan",
    "TimeExpression",
    "__version__",
    "analyze_documents",
    "ingest_paths",
    "load_pipeline",
    "open",
    "open_store",
    "read_sources",
]
