"""`digest add` of many articles: a folder, a manifest, an RSS or Atom feed (offline here:
the entries' own content), with progress, a summary, and one bad item never stopping the
others."""

from __future__ import annotations

import datetime as dt
import json
import random
from email.utils import format_datetime

from .conftest import Site

BODY = ("The ministers met in Geneva on Tuesday to discuss the ceasefire. They agreed to meet again next "
        "week. Officials said the talks had been constructive, though no agreement was reached on the "
        "withdrawal of heavy weapons. The United Nations envoy welcomed the meeting and called on all sides "
        "to keep the ceasefire. Aid convoys are expected to reach the besieged towns by the end of the month, "
        "according to the Red Cross.")


def text(n: int) -> str:
    """A text of its own for each n (the words of BODY shuffled): near-duplicates are refused."""
    words = BODY.split()
    random.Random(n).shuffle(words)
    return " ".join(words) + "."


def rss(items: int, *, teaser_at: int | None = None) -> str:
    entries = []
    for n in range(items):
        when = format_datetime(dt.datetime(2015, 12, 1 + n % 28, 9, n % 60, tzinfo=dt.timezone.utc))
        content = "Read the full story…" if n == teaser_at else f"<p>Story {n} of the feed: {text(n)}</p><p>Second paragraph {n}.</p>"
        entries.append(f"<item><title>Headline number {n} of the wire feed</title>"
                       f"<link>https://www.reuters.com/world/story-{n}</link><pubDate>{when}</pubDate>"
                       f"<description><![CDATA[{content}]]></description></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Reuters World News</title>'
            f"<link>https://www.reuters.com/</link><description>x</description>{''.join(entries)}</channel></rss>")


def test_a_20_item_rss_feed_imports_as_20_articles(site: Site, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(20))
    result = site.digest("add", str(feed), "--no-fetch")
    assert result.returncode == 0, result.stderr
    written = sorted(site.articles.rglob("*.md"))
    assert len(written) == 20
    first = (site.articles / "2015/12/headline-number-0-of-the-wire-feed.md").read_text()
    assert first.startswith("---\ntitle: Headline number 0 of the wire feed\nsource: Reuters\n"
                            "published: 2015-12-01 09:00:00\nurl: https://www.reuters.com/world/story-0\n")
    assert f"Story 0 of the feed: {text(0)}" in first and "\n\nSecond paragraph 0.\n" in first
    assert "[20/20] added" in result.stdout
    assert "20 imported, 0 refused as already in the digest, 0 need input" in result.stderr
    assert site.digest("check").returncode == 0


def test_a_teaser_entry_is_reported_and_the_others_imported(site: Site, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(rss(3, teaser_at=1))
    result = site.digest("add", str(feed), "--no-fetch")
    assert result.returncode == 1
    assert f"{feed}:2: the feed holds only a teaser of 4 words (the page was not fetched): save the page at " \
           "https://www.reuters.com/world/story-1" in result.stderr
    assert "2 imported, 0 refused as already in the digest, 1 need input" in result.stderr
    assert len(list(site.articles.rglob("*.md"))) == 2


def test_a_folder_and_a_manifest(site: Site, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"Headline {n} of a folder story\n\nMOSCOW, December 1{n}, 2015. {text(n)}\n")
    (folder / "2.txt").write_text("Headline 2 with no date\n\nA text that states no date. " + text(2) + "\n")
    result = site.digest("add", str(folder), "--source", "TASS")
    assert result.returncode == 1  # one needs input
    assert f"{folder / '2.txt'}:1: no dateline found: pass --published YYYY-MM-DD" in result.stderr
    assert "2 imported, 0 refused as already in the digest, 1 need input" in result.stderr
    assert "add those again one by one with their flags" in result.stderr  # a folder's flag sets every file
    manifest = tmp_path / "batch.jsonl"
    rows = [{"file": "texts/2.txt", "published": "2015-12-12", "source": "Interfax"},
            {"file": "texts/0.txt"},  # already imported
            {"title": "no file"},
            {"file": "text/1.txt"}]  # a typo in the folder's name: the row and the path it read say so
    manifest.write_text("\n".join(json.dumps(row) for row in rows) + "\nnot json\n")
    result = site.digest("add", str(manifest), "--source", "TASS")
    assert f"{manifest}:3: the row names no file and no url" in result.stderr
    assert f"{manifest}:4: no file '{tmp_path / 'text/1.txt'}' — a row's `file` is a path from the manifest's " \
           "folder" in result.stderr
    assert f"{manifest}:5: not a JSON object" in result.stderr
    assert "1 imported, 1 refused as already in the digest, 0 need input (the flags to pass are above), 3 failed" \
        in result.stderr
    written = (site.articles / "2015/12/headline-2-with-no-date.md").read_text()
    assert "source: Interfax\npublished: 2015-12-12\n" in written
    csv = tmp_path / "batch.csv"
    csv.write_text("file,colour\ntexts/1.txt,red\n")
    assert f"{csv}:1: unknown column(s) colour" in site.digest("add", str(csv)).stderr


def test_an_address_digest_add_does_not_fetch_is_named_so(site: Site, tmp_path):
    """ftp:// and file:// were read as file names ("cannot read it: No such file or directory")."""
    saved = tmp_path / "saved.txt"
    saved.write_text(f"Headline of a saved story\n\nMOSCOW, December 10, 2015. {text(7)}\n")
    result = site.digest("add", "ftp://example.com/story.txt", "file:///etc/passwd", str(saved), "--source", "TASS")
    assert result.returncode == 1
    for address in ("ftp://example.com/story.txt", "file:///etc/passwd"):
        assert f"{address}:1: not an address `digest add` fetches (only http:// and https://) — save the page " \
               "and run `digest add page.html`" in result.stderr, result.stderr
    assert "1 imported" in result.stderr and len(list(site.articles.rglob("*.md"))) == 1
