"""render(): a Digest -> the pages of the site, as plain records.

Each `PageSpec` names its address, its title and the theme fragment (under
`theme/partials/digest/`) that renders its content from `context`. No HTML is built here:
the plugin renders the fragment with Jinja, autoescape on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .articles import language_name, make_slug
from .model import Article, Digest
from .settings import Settings
from .translate import SKIP_LANGUAGES, missing_model_notice, provenance


@dataclass
class PageSpec:
    uri: str  # src_uri of the generated page, e.g. "articles/2015/12/slug.md"
    title: str
    fragment: str  # e.g. "article.html"
    context: dict = field(default_factory=dict)
    in_nav: bool = False  # listing indexes are in the nav; single items are reached from them
    searchable: bool = False  # only articles go into the search index
    description: str = ""


@dataclass(frozen=True)
class Group:
    """A named list of articles: one month, one source, one language."""

    key: str
    title: str
    uri: str
    articles: tuple


def render(digest: Digest, settings: Settings) -> list[PageSpec]:
    articles = digest.articles
    months = _groups(articles, lambda a: a.published.strftime("%Y-%m"),
                     lambda a: a.published.strftime("%B %Y"),
                     lambda key: f"archive/{key.replace('-', '/')}.md")
    sources = _groups(articles, lambda a: make_slug(a.source), lambda a: a.source,
                      lambda key: f"sources/{key}.md", by_name=True)
    languages = _groups(articles, lambda a: a.language, lambda a: language_name(a.language),
                        lambda key: f"languages/{key}.md", by_name=True)
    home_count = settings.section("render").get("home_articles", 50)
    pages = [
        PageSpec("index.md", "Latest news", "home.html",
                 {"articles": articles[:home_count], "total": len(articles), "months": months[:12]},
                 in_nav=True),
        PageSpec("archive/index.md", "Archive", "groups.html",
                 {"groups": months, "heading": "Archive by month"}, in_nav=True),
        PageSpec("sources/index.md", "Sources", "groups.html",
                 {"groups": sources, "heading": "Sources"}, in_nav=True),
        PageSpec("languages/index.md", "Languages", "groups.html",
                 {"groups": languages, "heading": "Languages"}, in_nav=True),
    ]
    for kind, groups in (("month", months), ("source", sources), ("language", languages)):
        pages += [PageSpec(g.uri, g.title, "list.html", {"group": g, "kind": kind}) for g in groups]
    pages += [PageSpec(a.page_uri, a.english_title, "article.html", _article_context(a), searchable=True,
                       description=a.summary) for a in articles]
    return pages


def _article_context(article: Article) -> dict:
    translated = article.translation is not None
    missing = None
    if not translated and article.language not in SKIP_LANGUAGES:
        pair, command = missing_model_notice(article.language)
        missing = {"pair": pair, "command": command}
    return {"article": article,
            "provenance": provenance(article.translation) if translated else None,
            "missing_model": missing}


def _groups(articles: list[Article], key_of, title_of, uri_of, by_name: bool = False) -> list[Group]:
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # already newest first
        members[key_of(article)].append(article)
    groups = [Group(key, title_of(items[0]), uri_of(key), tuple(items)) for key, items in members.items()]
    if by_name:
        return sorted(groups, key=lambda g: (-len(g.articles), g.title.casefold()))
    return sorted(groups, key=lambda g: g.key, reverse=True)
