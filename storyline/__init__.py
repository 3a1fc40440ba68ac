"""storyline: a verifiable, source-attributed record of a developing story."""

from storyline.analyze.pipeline import Outcome, load_pipeline
from storyline.analyze.pipeline import analyze as analyze_documents
from storyline.batch import BatchReport, ingest
from storyline.config import Settings
from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.ingest.outlets import Outlet, Outlets
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
from storyline.store import Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "BatchReport",
    "Outcome",
    "Outlet",
    "Outlets",
    "ReadOptions",
    "Rejected",
    "Settings",
    "analyze_documents",
    "ingest",
    "load_pipeline",
    "open_store",
    "read_sources",
    "Document",
    "Entity",
    "Event",
    "Figure",
    "Speaker",
    "Statement",
    "Store",
    "TextSpan",
    "TimeExpression",
    "__version__",
]
