"""feeds(): Atom feeds of the digest, one for all articles, one per story and one per storyline.

Written with feedgen, a small maintained library that produces valid Atom (and escapes
every text it is given), so no XML is assembled by hand. Pure: the Digest and the page
addresses in, `{path in the site: feed bytes}` out; the plugin writes them after the build.

Each feed holds the newest `entries` articles (render.feed_entries), as feeds do: a reader
polls it for what is new, and the site's archive keeps the rest (a feed of every article
would be tens of megabytes at 100,000 articles). Entries carry the English headline, the
source as author, the publication date and the summary; the link goes to the article's page
on the site. Feed and entry ids are the page URLs when the site has a `site_url`, else `urn:digest:` + the page's path, which stays the
same wherever the site is served.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Article, Digest, Story

ALL_ARTICLES = "feeds/articles.xml"
# Characters XML 1.0 cannot carry (lxml refuses them): article text may hold any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def story_feed_path(slug: str) -> str:
    return f"feeds/stories/{slug}.xml"


def storyline_feed_path(slug: str) -> str:
    return f"feeds/storylines/{slug}.xml"


@dataclass(frozen=True)
class FeedSite:
    """What the feeds need to know about the site."""

    name: str
    url: str | None  # mkdocs.yml `site_url`, ending in "/"; None when unset
    page_url: Callable[[str], str]  # page source uri -> its URL path from the site root


def feeds(digest: Digest, site: FeedSite, entries: int = 100) -> dict[str, bytes]:
    by_slug = {article.slug: article for article in digest.articles}
    written = {ALL_ARTICLES: _feed(site, ALL_ARTICLES, f"{site.name}: all articles", "index.md",
                                   _newest(digest.articles, entries))}
    for story in digest.stories:
        articles = [by_slug[slug] for slug in story.articles if slug in by_slug]
        written[story_feed_path(story.slug)] = _feed(
            site, story_feed_path(story.slug), f"{site.name}: {story.title}",
            f"stories/{story.slug}.md", _newest(articles, entries), story)
    for line in digest.storylines:
        articles = [by_slug[slug] for slug in line.articles if slug in by_slug]
        written[storyline_feed_path(line.slug)] = _feed(
            site, storyline_feed_path(line.slug), f"{site.name}: {line.title} (storyline)",
            f"storylines/{line.slug}.md", _newest(articles, entries))
    return written


def _newest(articles: list[Article], count: int) -> list[Article]:
    return sorted(articles, key=_newest_first)[:count]


def _newest_first(article: Article):
    return (-_aware(article.published).timestamp(), article.slug)


def _feed(site: FeedSite, path: str, title: str, page_uri: str, articles: list[Article],
          story: Story | None = None) -> bytes:
    # Imported here, at the end of a build: feedgen's import (dateutil, lxml) is ~0.08 s of
    # start-up otherwise, while nothing else can run.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(_id(site, page_uri))
    feed.title(_xml(title))
    feed.link(href=_href(site, path, page_uri), rel="alternate")
    feed.link(href=_href(site, path, path, page=False), rel="self")
    if story and story.summary:
        feed.subtitle(_xml(" ".join(sentence.text for sentence in story.summary)))
    newest = max((_aware(a.published) for a in articles), default=dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    feed.updated(newest)
    # feedgen puts entries added last first: add oldest first to keep the feed newest first.
    for article in reversed(articles):
        entry = feed.add_entry()
        entry.id(_id(site, article.page_uri))
        entry.title(_xml(article.english_title))
        entry.link(href=_href(site, path, article.page_uri), rel="alternate")
        entry.author(name=_xml(article.source))
        entry.published(_aware(article.published))
        entry.updated(_aware(article.published))
        if article.summary:
            entry.summary(_xml(article.summary))
        for tag in article.tags:
            entry.category(term=_xml(tag))
    return feed.atom_str(pretty=True)


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _aware(moment: dt.datetime) -> dt.datetime:
    """Front matter dates carry no zone: they are read as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _id(site: FeedSite, page_uri: str) -> str:
    path = site.page_url(page_uri)
    return f"{site.url}{path}" if site.url else f"urn:digest:/{path}"


def _href(site: FeedSite, feed_path: str, target: str, page: bool = True) -> str:
    """Absolute with a site_url; else relative to the feed file, as Atom allows."""
    path = site.page_url(target) if page else target
    if site.url:
        return f"{site.url}{path}"
    return "../" * feed_path.count("/") + path
