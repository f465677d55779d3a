"""Feeds (digest/site/feeds.py): valid Atom, every article listed, one feed per story; the sitemap.

Parsed back with feedparser (it flags malformed XML as `bozo`) and lxml; the seed site is
built once by the real MkDocs for the feeds, the <head> links and the sitemap.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from digest.site.feeds import ALL_ARTICLES, FeedSite, feeds, story_feed_path
from digest.model import Article, Digest, KeySentence, Story

from .browser import build_seed_site


def article(slug: str, day: int, title: str, **extra) -> Article:
    return Article(path=Path(f"{slug}.md"), rel_path=f"articles/{slug}.md", slug=slug, title=title,
                   source=extra.pop("source", "Reuters"), published=dt.datetime(2015, 12, day),
                   has_time=False, body="", body_line=5, language=extra.pop("language", "en"),
                   summary=extra.pop("summary", f"Summary of {slug}."), **extra)


def page_url(uri: str) -> str:
    return "" if uri == "index.md" else uri.removesuffix(".md") + "/"


@pytest.fixture
def digest() -> Digest:
    articles = [article("c", 15, "Kerry in Moscow", tags=["diplomacy"]),
                article("b", 14, "Лавров: РФ готова", language="ru", source="Спутник"),
                article("a", 11, 'Hostile <script>alert(1)</script> & "quotes"')]
    story = Story(slug="kerry-visit", title="Kerry's visit to Moscow", articles=["b", "c"],
                  summary=[KeySentence("Kerry goes to Moscow.", "c", "Reuters", "en")])
    return Digest(articles=articles, stories=[story])


def test_all_articles_feed_lists_every_article_newest_first(digest):
    written = feeds(digest, FeedSite("News", "https://news.example/", page_url))
    parsed = feedparser.parse(written[ALL_ARTICLES])
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.link for e in parsed.entries] == [f"https://news.example/articles/2015/12/{s}/" for s in "cba"]
    first = parsed.entries[0]
    assert first.title == "Kerry in Moscow" and first.author == "Reuters"
    assert first.summary == "Summary of c." and first.tags[0].term == "diplomacy"
    assert first.published_parsed[:3] == (2015, 12, 15)
    # Text is escaped by feedgen, not markup: it reads back as the same text.
    assert parsed.entries[2].title == 'Hostile <script>alert(1)</script> & "quotes"'
    assert b"<script>" not in written[ALL_ARTICLES]


def test_feeds_hold_the_newest_entries_only(digest):
    """A feed is what is new (render.feed_entries); the archive keeps the rest."""
    written = feeds(digest, FeedSite("News", "https://news.example/", page_url), entries=1)
    for path, newest in ((ALL_ARTICLES, "c"), ("feeds/stories/kerry-visit.xml", "c")):
        parsed = feedparser.parse(written[path])
        assert [e.link.rsplit("/", 2)[-2] for e in parsed.entries] == [newest], path


def test_one_feed_per_story_with_its_articles_only(digest):
    written = feeds(digest, FeedSite("News", "https://news.example/", page_url))
    assert set(written) == {ALL_ARTICLES, story_feed_path("kerry-visit")}
    parsed = feedparser.parse(written[story_feed_path("kerry-visit")])
    assert not parsed.bozo
    assert parsed.feed.title == "News: Kerry's visit to Moscow"
    assert parsed.feed.subtitle == "Kerry goes to Moscow."
    assert parsed.feed.link == "https://news.example/stories/kerry-visit/"
    assert [e.title for e in parsed.entries] == ["Kerry in Moscow", "Лавров: РФ готова"]


def test_without_site_url_links_are_relative_to_the_feed_and_ids_stable(digest):
    written = feeds(digest, FeedSite("News", None, page_url))
    story = etree.fromstring(written[story_feed_path("kerry-visit")])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert story.xpath("a:entry/a:link/@href", namespaces=ns)[0] == "../../articles/2015/12/c/"
    assert story.xpath("a:entry/a:id/text()", namespaces=ns)[0] == "urn:digest:/articles/2015/12/c/"
    everything = etree.fromstring(written[ALL_ARTICLES])
    assert everything.xpath("a:entry/a:link/@href", namespaces=ns)[0] == "../articles/2015/12/c/"


SITE_URL = "https://digest.example/news/"


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", SITE_URL)  # as the publish workflow does: mkdocs.yml reads it
        return build_seed_site(tmp_path_factory.mktemp("feeds"))


def test_built_site_feeds_list_every_article_and_are_linked_in_head(seed):
    pages = sorted(seed.site.glob("articles/*/*/*/index.html"))
    assert len(pages) == 5
    parsed = feedparser.parse((seed.site / ALL_ARTICLES).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    listed = {e.link.removeprefix(SITE_URL) for e in parsed.entries}
    assert listed == {str(p.parent.relative_to(seed.site)) + "/" for p in pages}
    home = seed.page("index.html")
    assert '<link rel="alternate feed" type="application/atom+xml"' in home
    assert 'href="feeds/articles.xml"' in home
    stories = sorted(seed.site.glob("stories/*/index.html"))
    if not stories:
        pytest.skip("the seed site has no story pages yet")
    for story_page in stories:
        slug = story_page.parent.name
        feed = feedparser.parse((seed.site / story_feed_path(slug)).read_bytes())
        assert not feed.bozo and feed.entries, slug
        assert f'href="../../{story_feed_path(slug)}"' in story_page.read_text(encoding="utf-8")


def test_sitemap_lists_article_pages_though_not_in_nav(seed):
    sitemap = etree.parse(str(seed.site / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    pages = list(seed.site.glob("articles/*/*/*/index.html"))
    assert len(pages) == 5
    for page in pages:
        assert f"{SITE_URL}{page.parent.relative_to(seed.site)}/" in locations
