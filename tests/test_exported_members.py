"""The public API is exactly what ``storyline.__all__`` lists (as httpx's tests/test_exported_members.py checks)."""

from __future__ import annotations

import types

import storyline


def test_all_exports_are_public_members_and_every_public_member_is_exported():
    # Public names are imported on first use (PEP 562): dir() lists them, getattr loads them.
    members = {name for name in dir(storyline)
               if not name.startswith("_") and not isinstance(getattr(storyline, name), types.ModuleType)}
    assert set(storyline.__all__) - {"__version__"} == members
    assert storyline.__all__ == sorted(storyline.__all__)


def test_subpackages_are_not_shadowed():
    import storyline.ingest.files

    assert isinstance(storyline.ingest, types.ModuleType)  # the function is ingest_paths
    assert callable(storyline.ingest_paths)


def test_defaults_need_no_arguments():
    options = storyline.ReadOptions()
    assert options.outlets.for_domain("donga.com") is not None and options.encoding == "utf-8"
    assert storyline.Settings().model


def test_load_pipeline_defaults_to_the_settings_model():
    nlp = storyline.load_pipeline()
    assert {"storyline_statements", "storyline_places"} <= set(nlp.pipe_names)
