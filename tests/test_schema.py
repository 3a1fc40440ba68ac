"""The published JSON Schemas match the models the exports are checked against."""

import json
from pathlib import Path

from storyline.export.schema import SCHEMAS, schema

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "schema"


def test_published_schemas_are_up_to_date():
    for name in SCHEMAS:
        published = json.loads((FOLDER / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert published == schema(name), f"regenerate: python -m storyline.export.schema docs/schema ({name})"
