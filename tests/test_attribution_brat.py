"""The brat standoff reader/writer on tiny fixtures."""

from storyline.eval.brat import BratAttribution, BratSpan, article_name, format_ann, parse_ann, parse_fragments

TEXT = "Smith said that taxes rise. “No,” Jones said, “never.”"
ANN = """T1\tSource 0 5\tSmith
T2\tCue 6 10\tsaid
T3\tContent 11 26\tthat taxes rise
T4\tAttribution 6 10\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 28 33;46 54\t“No,” “never.”
T6\tSource 34 39\tJones
T7\tCue 40 44\tsaid
T8\tAttribution 40 44\tsaid
E2\tAttribution:T8 Cue:T7 Source:T6 Content:T5
T9\tDiscuss 0 26\tSmith said that taxes rise
T10\tCue 6 10\tsaid
T11\tContent 11 26\tthat taxes rise
T12\tAttribution-no-source 6 10\tsaid
E3\tAttribution-no-source:T12 Cue:T10 Content:T11
#1\tAnnotatorNotes T9\ta note
"""


def test_fragments_are_sorted_pairs():
    assert parse_fragments("46 54;28 33") == ((28, 33), (46, 54))


def test_reads_attributions_and_ignores_notes():
    doc = parse_ann(ANN, "x")
    assert len(doc.attributions) == 3
    first, second, third = doc.attributions
    assert first.source.fragments == ((0, 5),) and first.cue.fragments == ((6, 10),)
    assert second.content.fragments == ((28, 33), (46, 54))
    assert third.source is None and third.content.fragments == ((11, 26),)


def test_article_name_strips_annotator_suffix():
    assert article_name("news_2016_abcd_4e07", ["news_2016_abcd"]) == "news_2016_abcd"
    assert article_name("plain", ["plain"]) == "plain"
    assert article_name("other_4e07", ["news"]) is None


def test_round_trip():
    doc = parse_ann(ANN)
    written = format_ann(doc.attributions, TEXT)
    again = parse_ann(written)
    key = lambda a: (a.cue.fragments, a.source.fragments if a.source else None, a.content.fragments)  # noqa: E731
    assert sorted(map(key, again.attributions), key=str) == sorted(map(key, doc.attributions), key=str)
    assert "Content 28 33;46 54\t“No,” “never.”" in written


def test_writer_skips_attributions_without_cue():
    a = BratAttribution(None, None, BratSpan(((0, 5),)))
    assert format_ann([a], TEXT) == ""


def test_error_script_reads_only_written_articles_when_asked(tmp_path):
    """``attribution_errors.py --written-only`` (held-out error analysis) leaves out the
    split's articles without a written file instead of counting their cues as missed."""
    import subprocess
    import sys
    from pathlib import Path

    split, out = tmp_path / "split", tmp_path / "out"
    for sub in ("text", "attributions"):
        (split / sub).mkdir(parents=True)
    out.mkdir()
    for name in ("alpha", "beta"):
        (split / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
        (split / "attributions" / f"{name}.ann").write_text(ANN, encoding="utf-8")
    # one attribution written: its cue "said" is also the third gold attribution's
    (out / "alpha.ann").write_text(format_ann(parse_ann(ANN).attributions[:1], TEXT), encoding="utf-8")
    script = Path(__file__).resolve().parents[1] / "scripts" / "attribution_errors.py"

    def run(*flags: str) -> str:
        return subprocess.run([sys.executable, str(script), str(split), str(out), *flags], capture_output=True, text=True, check=True).stdout

    assert "gold cues (annotator 1): 3\ncue found exact 2 boundary 0 missed 1 " in run("--written-only")
    assert "gold cues (annotator 1): 6\ncue found exact 2 boundary 0 missed 4 " in run()
