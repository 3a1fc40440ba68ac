"""Languages: identified, recorded, and documents the pipeline cannot read stored but not analysed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from storyline.cli import app
from storyline.ingest.language import normalise, settle
from storyline.model import Document
from storyline.store import open_store

FRENCH = (
    "La Russie dément la présence de soldats nord-coréens",
    "Le ministère russe des Affaires étrangères a démenti jeudi la présence de soldats nord-coréens sur le "
    "territoire de la Russie, qualifiant ces informations de fausses. Selon Séoul, des milliers de soldats ont "
    "pourtant été envoyés dans la région de Koursk.",
)
KOREAN = (
    "러시아 외무부, 북한군 파병 보도 부인",
    "러시아 외무부는 23일 북한군이 러시아에 파병됐다는 보도를 부인했다. 국가정보원은 북한군 약 1만2천 명이 러시아로 "
    "이동했다고 밝혔다.",
)
ENGLISH = (
    "Russia denies North Korean troops are on its soil",
    "Russia's foreign ministry on Thursday denied that North Korean soldiers were in Russia, calling the reports "
    "fake. Seoul says thousands of troops have been sent to the Kursk region.",
)


def doc(title: str, body: str, language: str | None = None) -> Document:
    text = f"{title}\n\n{body}"
    return Document(text=text, headline=(0, len(title)), body=[(len(title) + 2, len(text))], language=language)


def test_tags_and_names_normalise_to_iso_639_1():
    assert [normalise(t) for t in ("en-US", "EN", "eng", "English", "fr_CA", "ko", "xx-yy", "", None)] == [
        "en", "en", "en", "en", "fr", "ko", None, None, None,
    ]


def test_identified_from_the_text_and_a_confident_text_overrides_a_declaration():
    assert settle(doc(*FRENCH)) == "fr"
    assert settle(doc(*KOREAN)) == "ko"
    assert settle(doc(*ENGLISH)) == "en"
    wrongly_declared = doc(*FRENCH, language="en")
    assert settle(wrongly_declared) == "fr" and wrongly_declared.meta["language_declared"] == "en"


def test_a_short_headline_keeps_its_declared_language():
    # Four words say little: the identifier's guess may be another language, with low confidence.
    headline = "Kursk Region Police Search Lawmaker’s Business Over Border Defense Failures"
    document = Document(text=headline, headline=None, language="en")
    assert settle(document) == "en" and "language_declared" not in document.meta


def test_other_languages_are_stored_but_not_analysed(tmp_path):
    items = tmp_path / "items.jsonl"
    items.write_text(
        "\n".join(json.dumps({"title": t, "description": b, "url": f"https://example.org/{n}"})
                  for n, (t, b) in enumerate((ENGLISH, FRENCH, KOREAN)))
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "-j", "1", "ingest", str(items)])
    assert result.exit_code == 0, result.output
    assert "3 ingested, 0 skipped, 0 rejected" in result.output
    assert "2 stored but not analysed (language fr (French); language ko (Korean))" in result.output
    store = open_store(db)
    languages = {d.url: d.language for d in store.documents()}
    assert languages == {"https://example.org/0": "en", "https://example.org/1": "fr", "https://example.org/2": "ko"}
    for document in store.documents():
        analysis = store.analysis(document.id)
        extracted = analysis.entities + analysis.statements + analysis.times + analysis.figures + analysis.events
        assert bool(extracted) == (document.language == "en"), document.language
    assert sorted(why for _, why, _ in store.not_analysed()) == [
        "language fr (French): the pipeline reads English only",
        "language ko (Korean): the pipeline reads English only",
    ]
    store.close()
    status = runner.invoke(app, ["--db", str(db), "status"])
    assert status.output.count("not analysed") == 2 and "language ko (Korean)" in status.output
