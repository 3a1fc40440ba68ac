"""The story and clustering scorers, on hand-made fixtures whose expected scores are computed by hand.

tests/fixtures/story/: gold.json + stories.jsonl (a toy story gold and export),
ecb_gold.tsv + ecb_stories.jsonl (a toy ECB+ gold and export). The expected
figures are worked out in the comments next to each assertion.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.eval.clustering import b_cubed, evaluate, read_gold_tsv, source_name
from storyline.eval.story import InputError, document_key, read_stories, read_story_gold, score, url_key
from tests.conftest import ROOT, SHARED

FIXTURES = ROOT / "tests" / "fixtures" / "story"
GOLD, STORIES = FIXTURES / "gold.json", FIXTURES / "stories.jsonl"
ECB_GOLD, ECB_STORIES = FIXTURES / "ecb_gold.tsv", FIXTURES / "ecb_stories.jsonl"
runner = CliRunner()

A, B, C, D = (f"https://news.example/{x}" for x in "abcd")
R = "title:Reference article"


# --- document keys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, key",
    [
        ("https://www.aljazeera.com/news/2024/10/8/x?traffic_source=rss", "https://www.aljazeera.com/news/2024/10/8/x"),
        ("HTTPS://News.Example/a/?utm_source=rss#top", "https://news.example/a"),
        ("https://news.example/a/", "https://news.example/a"),
        ("https://news.example/A", "https://news.example/A"),  # the path keeps its case
        ("  https://news.example/a#frag  ", "https://news.example/a"),
    ],
)
def test_url_key_drops_query_fragment_case_and_trailing_slash(url, key):
    assert url_key(url) == key


def test_document_key_falls_back_to_the_title():
    assert document_key(None, "Putin acknowledges N. Korean troop deployment to Russia") == (
        "title:Putin acknowledges N. Korean troop deployment to Russia"
    )
    assert document_key("", "  Reference \n article ") == R
    assert document_key("https://news.example/a?x=1", "ignored") == A
    assert document_key("file:///data/seed/000.txt", "Reference article") == R  # a local file is no web URL
    assert document_key(None, None) is None


# --- B³ ----------------------------------------------------------------------------------------

TOY = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}  # gold clusters of sizes 2 and 3


def test_b_cubed_perfect():
    b = b_cubed({"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}, TOY)
    assert (b.precision, b.recall, b.f1) == (1.0, 1.0, 1.0)


def test_b_cubed_all_in_one():
    b = b_cubed({item: "one" for item in TOY}, TOY)
    # P = (2 × 2/5 + 3 × 3/5) / 5 = 0.52; R = 1
    assert b.precision == pytest.approx(0.52)
    assert b.recall == 1.0
    assert b.f1 == pytest.approx(2 * 0.52 / 1.52)


def test_b_cubed_all_singletons_and_missing_items_are_singletons():
    singletons = b_cubed({item: item for item in TOY}, TOY)
    # P = 1; R = (2 × 1/2 + 3 × 1/3) / 5 = 0.4
    assert (singletons.precision, singletons.recall) == (1.0, pytest.approx(0.4))
    assert singletons.f1 == pytest.approx(2 * 0.4 / 1.4)
    missing = b_cubed({"zzz": "not gold"}, TOY)
    assert (missing.precision, missing.recall, missing.items) == (1.0, pytest.approx(0.4), 5)


def test_b_cubed_mixed():
    # system {a, b, c} {d, e}: a, b: P 2/3 R 1; c: P 1/3 R 1/3; d, e: P 1 R 2/3
    b = b_cubed({"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}, TOY)
    assert b.precision == pytest.approx((2 / 3 * 2 + 1 / 3 + 2) / 5)
    assert b.recall == pytest.approx((2 + 1 / 3 + 2 / 3 * 2) / 5)


# --- the story scorer --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report():
    return score(read_story_gold(GOLD), read_stories(STORIES))


def test_documents_outside_the_gold_are_ignored_and_missing_ones_counted(report):
    # x and y are unknown to the gold; g is in the gold but not exported.
    assert (report.stories, report.documents, report.ignored, report.missing) == (3, 6, 2, 1)


def test_membership_of_the_best_matching_story(report):
    # s1 holds a, b, r, d (+ optional e, unknown x): tp 3 (a, b, r), system 4, gold 4 (a, b, c, r) → 0.75
    # s2 holds c only: P 1, R 0.25, F1 0.4, so s1 is the best match.
    assert report.story.story_id == "s1"
    m = report.membership
    assert (m.tp, m.predicted, m.gold) == (3, 4, 4)
    assert m.f1 == pytest.approx(0.75)


def test_claim_pairs_per_claim_and_micro(report):
    k1, k2 = report.claims
    # K1 ← c1: (a affirm) (b deny) (r hedge); (b hedge) is an optional pair, e is ignored, x unknown.
    # Gold (a affirm) (b deny) (c affirm) (r hedge): tp 3, system 3, gold 4 → P 1, R 0.75, F1 6/7.
    # (c2 scores 4/7 on K1.)
    assert (k1.claim.claim_id, k1.story_id) == ("c1", "s1")
    assert (k1.counts.tp, k1.counts.predicted, k1.counts.gold) == (3, 3, 4)
    assert k1.counts.f1 == pytest.approx(6 / 7)
    assert k1.missed == [(C, "affirm")] and k1.extra == []
    # K2 ← c2 (story s2; its statement on c resolves through doc_id, not its own wrong url):
    # (a affirm) (c affirm) (d deny) vs (a affirm) (c affirm): P 2/3, R 1, F1 0.8. (c1: 1/3.)
    assert (k2.claim.claim_id, k2.story_id) == ("c2", "s2")
    assert k2.counts.f1 == pytest.approx(0.8)
    assert k2.extra == [(D, "deny")]
    # micro: tp 5, system 6, gold 6
    micro = report.claims_micro
    assert (micro.tp, micro.predicted, micro.gold) == (5, 6, 6)
    assert micro.f1 == pytest.approx(5 / 6)


def test_contested_flags(report):
    assert [c.claim.contested for c in report.claims] == [True, False]
    assert report.all_contested is False


def test_troop_figures_of_the_best_story(report):
    # s1's troop figures: (a 10000) twice (unit "troops"; about "North Korean soldiers"), (b 3000) about
    # "Russian forces", (r 12000) "soldiers", (r 500) "troops" is in figures_ignore; (r 500 officers) and
    # (a 7 villages) are not troops; x is unknown. (c 1500) is in s2, not the best story.
    f = report.figures
    assert (f.tp, f.predicted, f.gold) == (2, 3, 3)
    assert f.f1 == pytest.approx(2 / 3)
    assert report.figures_missed == [(C, 1500)]
    assert report.figures_extra == [(B, 3000)]


def test_no_matching_claim_scores_zero(tmp_path):
    export = tmp_path / "empty.jsonl"
    export.write_text(json.dumps({"story_id": 1, "documents": [], "claims": [], "figures": []}) + "\n", encoding="utf-8")
    report = score(read_story_gold(GOLD), read_stories(export))
    assert report.story is None and report.membership.gold == 4 and report.membership.f1 == 0
    assert [(c.claim, c.counts.gold, c.counts.f1) for c in report.claims] == [(None, 4, 0.0), (None, 2, 0.0)]
    assert report.missing == 7  # a, b, c, d, e, g and the reference article


# --- the clustering scorer ---------------------------------------------------------------------


def test_source_basename():
    assert source_name("/data/ecbplus/text/1_1ecb.txt") == "1_1ecb.txt"
    assert source_name("file:///data/text/1_2ecb.txt") == "1_2ecb.txt"
    assert source_name("C:\\corpus\\2_1ecb.txt") == "2_1ecb.txt"
    assert source_name("1_3ecbplus.txt") == "1_3ecbplus.txt"


def test_clustering_report():
    report = evaluate(ECB_GOLD, ECB_STORIES)
    assert (report.stories, report.exported, report.not_in_gold, report.missing) == (2, 5, 1, 1)
    # subtopics: 1_1, 1_2: P 2/3 R 1; 1_3: P 1/3 R 1; 2_1 and missing 2_2: P 1 R 1 → P 11/15, R 1
    assert report.subtopics.precision == pytest.approx(11 / 15) and report.subtopics.recall == 1.0
    assert report.subtopics.f1 == pytest.approx(11 / 13)
    # topics: topic 1 perfect; 2_1 and 2_2 apart: R 1/2 each → P 1, R 0.8, F1 8/9
    assert (report.topics.precision, report.topics.recall) == (1.0, pytest.approx(0.8))
    assert report.topics.f1 == pytest.approx(8 / 9)


# --- the commands, end to end ------------------------------------------------------------------


def test_cli_story_table_and_json():
    result = runner.invoke(app, ["eval", "story", str(GOLD), str(STORIES)])
    assert result.exit_code == 0, result.output
    assert "membership      0.750  0.750  0.750" in result.output
    assert "F1 ≥ 0.90 NOT" in result.output and "all claims contested: no" in result.output
    result = runner.invoke(app, ["eval", "story", str(GOLD), str(STORIES), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["membership"]["story"] == "s1" and scores["documents"] == 8
    assert (scores["membership"]["missed"], scores["membership"]["extra"]) == ([C], [D])
    assert scores["claims_micro"]["f1"] == pytest.approx(5 / 6)
    assert scores["troop_figures"]["extra"] == [[B, 3000]]


def test_cli_clustering_table_and_json():
    result = runner.invoke(app, ["eval", "clustering", str(ECB_GOLD), str(ECB_STORIES)])
    assert result.exit_code == 0, result.output
    assert "subtopics     0.733  1.000  0.846      5" in result.output
    result = runner.invoke(app, ["eval", "clustering", str(ECB_GOLD), str(ECB_STORIES), "--json"])
    assert json.loads(result.output)["b_cubed_topics"]["f1"] == pytest.approx(8 / 9)


# --- bad input: one clear line, exit status 2 --------------------------------------------------


def _error(*args: str) -> str:
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_missing_file(tmp_path):
    assert "no such file" in _error("story", str(tmp_path / "gold.json"), str(STORIES))
    assert "no such file" in _error("clustering", str(ECB_GOLD), str(tmp_path / "none.jsonl"))


def test_bad_json_line_names_its_line(tmp_path):
    export = tmp_path / "bad.jsonl"
    lines = STORIES.read_text(encoding="utf-8").splitlines()
    export.write_text(lines[0] + "\n\n{not json\n", encoding="utf-8")
    assert f"{export}:3: not JSON" in _error("story", str(GOLD), str(export))


def test_export_line_of_the_wrong_shape(tmp_path):
    export = tmp_path / "shape.jsonl"
    export.write_text('{"story_id": "s", "documents": [{"doc_id": "a", "url": 3}], "claims": [], "figures": []}\n', encoding="utf-8")
    message = _error("story", str(GOLD), str(export))
    assert f"{export}:1, documents[0]: 'url' is missing or not a string" in message
    export.write_text("[1, 2]\n", encoding="utf-8")
    assert "expected an object" in _error("clustering", str(ECB_GOLD), str(export))


def test_gold_of_the_wrong_shape(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"story": {"members": "not a list"}, "claims": [], "figures": [], "documents": {}}), encoding="utf-8")
    assert "not a story gold file, story: 'members' is missing or not a list" in _error("story", str(gold), str(STORIES))
    # the ECB+ TSV given where the story gold is expected
    assert "not JSON" in _error("story", str(ECB_GOLD), str(STORIES))
    # the story gold given where the ECB+ TSV is expected
    assert "not an ECB+ gold file" in _error("clustering", str(GOLD), str(ECB_STORIES))
    with pytest.raises(InputError, match="stances"):
        bad = json.loads(GOLD.read_text(encoding="utf-8"))
        del bad["claims"][0]["stances"]
        gold.write_text(json.dumps(bad), encoding="utf-8")
        read_story_gold(gold)


def test_gold_tsv_rows_are_checked(tmp_path):
    gold = tmp_path / "gold.tsv"
    gold.write_text("file\ttopic\tsubtopic\n1_1ecb.txt\t1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.tsv:2: expected file, topic and subtopic"):
        read_gold_tsv(gold)


# --- the shared data (skipped on a fresh clone) --------------------------------------------------

NK_GOLD = SHARED / "data" / "nk-feeds" / "story-gold-2024-10-08_to_2024-10-27.json"


@pytest.mark.skipif(not NK_GOLD.is_file(), reason="needs ../shared/data/nk-feeds")
def test_the_shared_story_gold_reads():
    gold = read_story_gold(NK_GOLD)
    assert "title:Putin acknowledges N. Korean troop deployment to Russia" in gold.members
    assert len(gold.documents) == 80 and [c.id for c in gold.claims] == ["C1", "C2"]
    assert gold.members <= gold.documents and not gold.members & gold.optional
    # every feed item's link maps to a gold key (the links carry ?traffic_source=rss and the like)
    feed = NK_GOLD.parent / "2024-10-08_to_2024-10-27.jsonl"
    keys = [url_key(json.loads(line)["link"]) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert len(keys) == 79 and set(keys) <= gold.documents


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "data" / "ecbplus" / "gold.tsv").is_file(), reason="needs ../shared/data/ecbplus")
def test_the_baseline_reproduces_the_published_figure():
    from storyline.eval.clustering import baseline

    ecb = SHARED / "data" / "ecbplus"
    gold = read_gold_tsv(ecb / "gold.tsv")
    b = b_cubed(baseline(ecb), {f: g.subtopic for f, g in gold.items()})
    assert b.f1 == pytest.approx(0.885, abs=0.001)


@pytest.mark.skipif(not (SHARED / "data" / "ecbplus" / "gold.tsv").is_file(), reason="needs ../shared/data/ecbplus")
def test_the_shared_ecbplus_gold_reads():
    gold = read_gold_tsv(SHARED / "data" / "ecbplus" / "gold.tsv")
    assert len(gold) == 772 and len({g.subtopic for g in gold.values()}) == 66
    assert all((SHARED / "data" / "ecbplus" / "text" / f).is_file() for f in gold)
