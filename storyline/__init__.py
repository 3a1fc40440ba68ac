"""storyline: a verifiable, source-attributed record of a developing story.

    import storyline

    with storyline.open("story.db") as s:
        s.ingest(["samples/"])
        s.statements(speaker="Putin")

``open`` returns a :class:`Session`; the pieces it joins are exported too.
The public names are imported on first use (PEP 562), so that importing
storyline, or running a command that does not analyse, does not load spaCy.
"""


import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

# public name → (module, attribute)
_PUBLIC: dict[str, tuple[str, str]] = {
    "Outcome": ("storyline.analyze.pipeline", "Outcome"),
    "load_pipeline": ("storyline.analyze.pipeline", "load_pipeline"),
    "analyze_documents": ("storyline.analyze.pipeline", "analyze"),
    "BatchReport": ("storyline.batch", "BatchReport"),
    "ingest_paths": ("storyline.batch", "ingest"),
    "Settings": ("storyline.config", "Settings"),
    "ReadOptions": ("storyline.ingest.files", "ReadOptions"),
    "Rejected": ("storyline.ingest.files", "Rejected"),
    "read_sources": ("storyline.ingest.files", "read_sources"),
    "Outlet": ("storyline.ingest.outlets", "Outlet"),
    "Outlets": ("storyline.ingest.outlets", "Outlets"),
    **{
        name: ("storyline.model", name)
        for name in ("Analysis", "Document", "Entity", "Event", "Figure", "Speaker", "Statement", "TextSpan", "TimeExpression")
    },
    "Store": ("storyline.store", "Store"),
    "open_store": ("storyline.store", "open_store"),
    "Session": ("storyline.session", "Session"),
    "open": ("storyline.session", "open"),
}


def __getattr__(name: str) -> _typing.Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'storyline' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(_importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


if _typing.TYPE_CHECKING:
    from storyline.analyze.pipeline import Outcome, load_pipeline
    from storyline.analyze.pipeline import analyze as analyze_documents
    from storyline.batch import BatchReport
    from storyline.batch import ingest as ingest_paths
    from storyline.config import Settings
    from storyline.ingest.files import ReadOptions, Rejected, read_sources
    from storyline.ingest.outlets import Outlet, Outlets
    from storyline.model import Analysis, Document, Entity, Event, Figure, Speaker, Statement, TextSpan, TimeExpression
    from storyline.session import Session, open
    from storyline.store import Store, open_store

__all__ = sorted([*_PUBLIC, "__version__"])
