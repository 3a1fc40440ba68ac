"""Nothing may vanish: every input ends as a document, a skip or a rejection with a reason."""

from __future__ import annotations

import os
import threading

import pytest

from storyline.ingest.files import ReadOptions, Rejected, read_sources
from storyline.model import Document

FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>{}</channel></rss>'
GOOD = "<item><title>{0}</title><description>Officials said {0} troops had arrived.</description></item>"


def outcomes(paths):
    items = list(read_sources(paths, ReadOptions()))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Rejected)]


def test_a_feed_without_items_is_rejected_not_silent(tmp_path):
    (tmp_path / "empty.xml").write_text(FEED.format(""))
    (tmp_path / "atom.xml").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>')
    (tmp_path / "other.xml").write_text('<?xml version="1.0"?><catalog><book>Not a feed</book></catalog>')
    docs, rejected = outcomes([tmp_path])
    assert docs == []
    reasons = {os.path.basename(r.source): r.reason for r in rejected}
    assert reasons == {
        "empty.xml": "feed has no items",
        "atom.xml": "feed has no items",
        "other.xml": "not an RSS or Atom feed (no channel or feed element found)",
    }


def test_every_item_of_a_malformed_feed_is_accounted_for(tmp_path):
    # The second item's description is never closed: feedparser's loose parser runs it
    # on to the end and swallows the third item.
    items = [GOOD.format("one"), "<item><title></title><description>unclosed</item>", GOOD.format("three")]
    (tmp_path / "broken.xml").write_text(FEED.format("".join(items)))
    docs, rejected = outcomes([tmp_path])
    assert [d.title for d in docs] == ["one"]
    items_seen = {d.meta["item"] for d in docs} | {r.item for r in rejected}
    assert items_seen == {"entry 1", "entry 2", "entries 3-3"}
    (swallowed,) = [r for r in rejected if r.item == "entries 3-3"]
    assert "3 items in the file, 2 readable" in swallowed.reason


def test_empty_json_array_and_empty_folder_say_so(tmp_path):
    (tmp_path / "none.json").write_text("[]\n")
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / ".hidden.txt").write_text("Hidden.")
    docs, rejected = outcomes([tmp_path / "none.json", tmp_path / "nothing"])
    assert docs == []
    assert [r.reason for r in rejected] == [
        "no records: the JSON array is empty",
        "no files in the folder (hidden entries are skipped)",
    ]


def test_dangling_links_and_named_pipes_in_a_folder_are_rejected_without_blocking(tmp_path):
    (tmp_path / "ok.txt").write_text("Title line\n\nOfficials said the talks failed.\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    result: list = []
    reader = threading.Thread(target=lambda: result.append(outcomes([tmp_path])), daemon=True)
    reader.start()
    reader.join(timeout=30)
    if reader.is_alive():  # a named pipe was opened: unblock it so the suite can go on
        with open(tmp_path / "pipe.txt", "w"):
            pass
        pytest.fail("reading the folder blocked on a named pipe")
    docs, rejected = result[0]
    assert [os.path.basename(d.source) for d in docs] == ["ok.txt"]
    reasons = {os.path.basename(r.source): r.reason for r in rejected}
    assert reasons["gone.txt"].startswith("symbolic link to a missing file")
    assert reasons["pipe.txt"] == "not a regular file (a named pipe)"
