"""JSON Schemas of the exports, declared as pydantic models.

``python -m storyline.export.schema docs/schema`` writes them;
``tests/test_schema.py`` checks that the published files match these models
and that real exports validate against them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Stance = Literal["affirm", "deny", "hedge"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Record):
    text: str
    start: int = Field(description="Character offset (Unicode code points) into the document's text.")
    end: int = Field(description="End offset, exclusive.")


class StoryEntity(_Record):
    entity_id: str = Field(description="Cross-document identity id, stable in every export.")
    kind: str = Field(description="person, organisation, place or source (a body named by its role).")
    name: str
    country: str | None


class StoryDocument(_Record):
    doc_id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    source: str | None = Field(description="The path or feed the document was read from.")
    copy_of: str | None = Field(description="The document this one copies (syndication, repeats), if any.")


class ClaimStatement(_Record):
    statement_id: str
    doc_id: str
    url: str | None
    title: str | None
    outlet: str | None
    speaker: str | None = Field(description="The source's name (its cross-document identity's name when resolved).")
    speaker_entity_id: str | None = Field(description="The source's cross-document identity id.")
    cue: str | None
    stance: Stance = Field(description="The source's stance toward the claim.")
    date: str | None = Field(description="When the statement was made (ISO date), else the publication day.")
    start: int
    end: int
    text: str = Field(description="The statement's sentence span: the document text between start and end.")
    independent: bool = Field(description="False for a copy of a document already counted for this claim.")


class StoryClaim(_Record):
    claim_id: str
    text: str = Field(description="The canonical text: the affirming statement content that fits the claim best.")
    contested: bool = Field(description="Independent sources both affirm and deny it.")
    first_date: str | None
    last_date: str | None
    statements: list[ClaimStatement]


class StoryFigure(_Record):
    figure_id: str
    doc_id: str
    url: str | None
    title: str | None
    value: float
    unit: str | None
    about: str | None = Field(description="What is counted, in full: 'North Korean troops'.")
    qualifier: str = Field(description="exact, about, up to, at least, more than or less than.")
    approximate: bool
    speaker: str | None = Field(description="Who gave it: the speaker of the statement that contains it.")
    date: str | None
    start: int
    end: int
    text: str
    quantity: str = Field(description="The series the figure belongs to in this story.")
    increment: bool = Field(description="An addition to an earlier count ('1,500 more troops'), not a total.")


class TimelineEntry(_Record):
    date: str
    kind: Literal["event", "statement"]
    summary: str
    doc_id: str
    start: int
    end: int
    text: str
    outlet: str | None
    published: str | None
    date_source: str | None


class StoryRecord(_Record):
    """One line of ``storyline export --format stories``."""

    story_id: str = Field(description="Stable as documents arrive; a merged story's old id resolves to it.")
    title: str | None
    first_date: str | None
    last_date: str | None
    entities: list[StoryEntity] = Field(description="The story's main people, organisations and places.")
    documents: list[StoryDocument]
    claims: list[StoryClaim]
    figures: list[StoryFigure]
    timeline: list[TimelineEntry]


# -- the JSON Lines reference export (storyline export --format jsonl) ---------------------------------


class DocumentRecord(_Record):
    type: Literal["document"]
    doc_id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    updated: str | None
    authors: list[str]
    language: str | None
    source: str | None
    headline: list[int] | None
    body: list[list[int]]
    meta: dict[str, Any]
    analyzer: str | None = Field(description="storyline's version and the spaCy model that analysed it.")
    ingested_at: str | None
    text: str


class EntityRecord(_Record):
    model_config = ConfigDict(extra="allow")  # places add lat, lon, country, admin_level, geonameid, place_key
    type: Literal["entity"]
    doc_id: str
    id: str
    canonical: str
    entity_type: str
    roles: list[str]
    mentions: list[Span]
    start: int
    end: int
    text: str


class Speaker(Span):
    name: str
    entity_id: str | None


class StatementRecord(_Record):
    type: Literal["statement"]
    id: str
    doc_id: str
    start: int
    end: int
    text: str
    speaker: Speaker | None
    cue: Span | None
    content: Span
    kind: Literal["direct", "indirect", "mixed"]
    cue_class: str
    stance: Stance | None
    stance_reason: str | None
    date: str | None
    date_source: str | None


class TimeRecord(_Record):
    type: Literal["time"]
    id: str
    doc_id: str
    start: int
    end: int
    text: str
    value: str
    time_type: str
    granularity: str | None
    anchor: str | None


class FigureRecord(_Record):
    type: Literal["figure"]
    id: str
    doc_id: str
    start: int
    end: int
    text: str
    value: float
    unit: str | None
    about: str | None
    qualifier: str | None
    approximate: bool


class EventRecord(_Record):
    type: Literal["event"]
    id: str
    doc_id: str
    start: int
    end: int
    text: str
    event_type: str
    actor: str | None
    actor_entity_id: str | None
    object: str | None
    place: str | None
    place_entity_id: str | None
    date: str | None
    date_source: str | None


RECORDS: dict[str, type[BaseModel]] = {
    "document": DocumentRecord, "entity": EntityRecord, "statement": StatementRecord, "time": TimeRecord,
    "figure": FigureRecord, "event": EventRecord,
}
SCHEMAS: dict[str, type[BaseModel]] = {"story": StoryRecord, **RECORDS}


def schema(name: str) -> dict[str, Any]:
    return SCHEMAS[name].model_json_schema()


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schema")):
        print(path)
