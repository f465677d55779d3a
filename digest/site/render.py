"""render(): a Digest -> the pages of the site, as plain records.

Each `PageSpec` names its address, its title and the theme fragment (under
`theme/partials/digest/`) that renders its content from `context`. No HTML is built here:
the plugin renders the fragment with Jinja, autoescape on.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..annotate.entities import first_mentions
from ..intake.articles import language_name, make_slug
from ..model import Article, Digest, Entity, Story, Storyline
from ..settings import Settings, published_bound
from ..translation.translate import SKIP_LANGUAGES, provenance
from .charts import articles_per_period, shares
from .feeds import story_feed_path, storyline_feed_path
from .search_records import ENTITY_KINDS, KINDS, page_record

ENTITY_TYPES = (("person", "People"), ("organisation", "Organisations"), ("place", "Places"))


@dataclass(frozen=True)
class Later:
    """A page's value computed when the page is written (PageSpec.values), from what the
    page holds anyway (its articles): a chart's columns and a listing's months are many
    small objects, which every entity page held from layout to the end of the build
    (~60 MB at 10,000 articles), and the build cache pickled."""

    function: Callable
    argument: object

    def __call__(self):
        return self.function(self.argument)


@dataclass
class PageSpec:
    uri: str  # src_uri of the generated page, e.g. "articles/2015/12/slug.md"
    title: str
    fragment: str  # e.g. "article.html"
    context: dict = field(default_factory=dict)  # what the fragment is rendered with (see values())
    in_nav: bool = False  # listing indexes are in the nav; single items are reached from them
    searchable: bool = False  # an article: the plugin indexes its text (search_records.article_record)
    description: str = ""
    search: dict | None = None  # the search record of a story, storyline or entity page

    def values(self) -> dict:
        """The context the fragment is rendered with, Later values computed."""
        return {name: value() if isinstance(value, Later) else value for name, value in self.context.items()}


@dataclass(frozen=True)
class Group:
    """A named list of articles: one month, one source, one language."""

    key: str
    title: str
    uri: str
    articles: tuple


# The language a name or title in a script other than Latin is most likely in, when the page
# knows no better: `lang` lets screen readers and fonts treat it right.
SCRIPT_LANGUAGES = {"CYRILLIC": "ru", "CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko",
                    "ARABIC": "ar", "HEBREW": "he", "GREEK": "el", "THAI": "th", "DEVANAGARI": "hi",
                    "GEORGIAN": "ka", "ARMENIAN": "hy"}


def text_language(text: str, hint: str | None = None) -> str | None:
    """The language of a short text shown among English (a source's name, a story's title, an
    entity's name): None when its letters are Latin (the page's English is close enough);
    else `hint` (the language of the article it comes from) when that is not English, else
    the usual language of its script."""
    if text.isascii():  # Latin, and most of what lists show: no per-letter lookup (150,000 calls at 4,000 articles)
        return None
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "").split(" ")[0]
            if script == "LATIN":
                continue
            return hint if hint and hint != "en" else SCRIPT_LANGUAGES.get(script)
    return None


def story_uri(slug: str) -> str:
    return f"stories/{slug}.md"


def storyline_uri(slug: str) -> str:
    return f"storylines/{slug}.md"


def entity_uri(slug: str) -> str:
    return f"entities/{slug}.md"


def render(digest: Digest, settings: Settings) -> list[PageSpec]:
    articles = digest.articles
    by_slug = {a.slug: a for a in articles}
    story_of = {slug: story for story in digest.stories for slug in story.articles}
    entities = {e.slug: e for e in digest.entities}
    months = _groups(articles, lambda a: a.published.strftime("%Y-%m"),
                     lambda a: a.published.strftime("%B %Y"),
                     lambda key: f"archive/{key.replace('-', '/')}.md")
    sources = _groups(articles, lambda a: make_slug(a.source), lambda a: a.source,
                      lambda key: f"sources/{key}.md", by_name=True)
    languages = _groups(articles, lambda a: a.language, lambda a: language_name(a.language),
                        lambda key: f"languages/{key}.md", by_name=True)
    tags = _tag_groups(articles)
    home = settings.section("render")
    stories = [_story_view(s, by_slug, entities, digest.sources) for s in digest.stories]
    lines = [_storyline_view(s, by_slug, {s.slug: s for s in digest.stories}, entities, digest.sources)
             for s in digest.storylines]
    named_in = entities_by_article(digest.entities)
    n_sources, n_languages = len(sources), len(languages)
    pages = [
        PageSpec("index.md", "Latest news", "home.html",
                 {"articles": articles[:home.get("home_articles", 50)], "total": len(articles),
                  "stories": stories[:home.get("home_stories", 10)],
                  "storylines": lines[:home.get("home_stories", 10)], "dates": _site_dates(settings)}, in_nav=True,
                 description=f"Latest news: {_plural(len(articles), 'article')} from {_plural(n_sources, 'source')} "
                             f"in {_plural(n_languages, 'language')}, translated to English."),

        PageSpec("archive/index.md", "Archive", "groups.html",
                 {"groups": months, "heading": "Archive by month"}, in_nav=True,
                 description=f"Every article by month: {_plural(len(months), 'month')}."),
        PageSpec("sources/index.md", "Sources", "groups.html",
                 {"groups": sources, "heading": "Sources"}, in_nav=True,
                 description=f"Every article by its publication: {_plural(n_sources, 'source')}."),
        PageSpec("languages/index.md", "Languages", "groups.html",
                 {"groups": languages, "heading": "Languages"}, in_nav=True,
                 description=f"Every article by the language it was published in: {_plural(n_languages, 'language')}."),
        PageSpec("tags/index.md", "Tags", "groups.html", {"groups": tags, "heading": "Tags"}, in_nav=True,
                 description=f"Articles by the editors' tags: {_plural(len(tags), 'tag')}."),
    ]
    days = [a.published for a in articles]
    pages.append(PageSpec("search/index.md", "Search", "search-page.html",
                          {"kinds": KINDS, "sources": sorted({a.source for a in articles}, key=str.casefold),
                           "languages": sorted({language_name(a.language) for a in articles}),
                           "first": _day(min(days, default=None)), "last": _day(max(days, default=None))},
                          in_nav=True, description="Search every article, story, storyline and entity, "
                                                   "in any language, by source, language, story and date."))
    size = home.get("page_size", 50)
    stories_about = (f"{_plural(len(stories), 'story')} (events told by several articles) "
                     f"and {_plural(len(lines), 'storyline')} (topics across events).")
    shown_lines = home.get("home_stories", 10)
    for uri, items, pager in paginate("stories/index.md", stories, size):
        pages.append(PageSpec(uri, _paged("Stories", pager), "stories.html",
                              {"stories": items, "storylines": lines[:shown_lines] if pager["number"] == 1 else [],
                               "more_storylines": len(lines) > shown_lines, "pager": pager},
                              in_nav=pager["number"] == 1, description=_paged(stories_about, pager)))
    # Every storyline, most recent activity first, a listing page at a time.
    for uri, items, pager in paginate("storylines/index.md", lines, size):
        pages.append(PageSpec(uri, _paged("Storylines", pager), "storylines.html", {"storylines": items, "pager": pager},
                              description=_paged(f"{_plural(len(lines), 'storyline')}: topics followed across "
                                                 "events and weeks.", pager)))
    # The entities index: people, then organisations, then places, most named first; a page
    # holds four listing pages' worth (names are short), each page grouped by type.
    ordered = [e for group in _entity_types(digest.entities) for e in group["entities"]]
    entities_about = (f"The people, organisations and places the articles name: "
                      f"{_plural(len(digest.entities), 'entity')}, linked across languages.")
    for uri, items, pager in paginate("entities/index.md", ordered, size * 4):
        pages.append(PageSpec(uri, _paged("People, organisations, places", pager), "entities.html",
                              {"types": _entity_types(items), "pager": pager}, in_nav=pager["number"] == 1,
                              description=_paged(entities_about, pager)))
    for kind, groups in (("month", months), ("source", sources), ("language", languages), ("tag", tags)):
        for g in groups:
            for uri, items, pager in paginate(g.uri, list(g.articles), size):
                pages.append(PageSpec(uri, _paged(g.title, pager), "list.html",
                                      {"group": g, "articles": items, "pager": pager, "kind": kind,
                                       "profile": _source_profile(digest, g, kind),
                                       "chart": Later(articles_per_period, g.articles)
                                       if kind == "source" and pager["number"] == 1 else None},
                                      description=_paged(_list_description(g, kind), pager)))
    for view in stories:
        story, description = view["story"], _story_description(view)
        byline = " · ".join(["Story", _plural(len(view["timeline"]), "article"),
                             ", ".join(language_name(code) for code in view["languages"])])
        pages.append(PageSpec(story_uri(story.slug), story.title, "story.html", view, description=description,
                              search=page_record("Story", story.title, byline, description, view["entities"],
                                                 _day(story.last_published))))
    for view in lines:
        line, description = view["storyline"], _storyline_description(view)
        byline = " · ".join(["Storyline", _plural(len(view["events"]), "event"),
                             _plural(len(view["articles"]), "article")])
        pages.append(PageSpec(storyline_uri(line.slug), line.title, "storyline.html", view, description=description,
                              search=page_record("Storyline", line.title, byline, description, view["entities"],
                                                 _day(line.last_published))))
    for e in digest.entities:
        view = _entity_view(e, by_slug, story_of, entities, named_in, size)
        description = _entity_description(e, by_slug)
        kind = ENTITY_KINDS.get(e.type, "Name")
        record = page_record(kind, e.name, f"{kind} · {_plural(len(e.mentions), 'article')}", description, [e])
        # An entity's articles are headlines alone (~140 B each, a listing's item with its
        # summary ~880 B): a page holds four listing pages' worth, as the entities index does.
        # At 50 a page, the continuation pages were 27,500 of a 100,000-article digest's
        # 39,600 entity pages, each carrying Material's ~7 KB of chrome for ~7 KB of headlines.
        for uri, items, pager in paginate(entity_uri(e.slug), view["articles"], size * 4):
            # The chart is on the first page only: counted for each page, an entity named
            # in n articles cost n x n/size (~45 s of a 100,000-article build).
            pages.append(PageSpec(uri, _paged(e.name, pager), "entity.html",
                                  {**view, "pager": pager, "months": Later(_months, items),
                                   "chart": view["chart"] if pager["number"] == 1 else None},
                                  description=_paged(description, pager),
                                  search=record if pager["number"] == 1 else None))
    pages += [PageSpec(a.page_uri, a.english_title, "article.html",
                       _article_view(a, digest, by_slug, story_of, entities),
                       searchable=True, description=a.summary) for a in articles]
    return pages


def _site_dates(settings: Settings) -> str:
    """What a site of one range of dates holds (articles.published_from/_until), for its
    readers: "from 1 January 2019 to 31 December 2019"; empty for the whole digest."""
    section = settings.section("articles")
    first, last = (published_bound(section.get(key, "")) for key in ("published_from", "published_until"))
    shown = [f"{word} {day.day} {day:%B %Y}" for word, day in (("from", first), ("to", last)) if day]
    return " ".join(shown)


def _plural(n: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") and word[-2:] not in ("ay", "ey", "oy") else word + "s"
    return f"{n} {word if n == 1 else plural}"


def _list_description(group: Group, kind: str) -> str:
    what = {"month": f"published in {group.title}", "source": f"from {group.title}",
            "language": f"in {group.title}", "tag": f"tagged {group.title}"}[kind]
    return f"{_plural(len(group.articles), 'article')} {what}."


def _day(moment) -> str | None:
    return moment.strftime("%Y-%m-%d") if moment else None


def _story_description(view: dict) -> str:
    lead = view["summary"][0]["sentence"].text if view["summary"] else ""
    return f"A story told by {_plural(len(view['timeline']), 'article')} from " \
           f"{_plural(len(view['sources']), 'source')}. {lead}".strip()


def _storyline_description(view: dict) -> str:
    names = ", ".join(e.name for e in view["entities"][:4])
    return (f"A storyline of {_plural(len(view['events']), 'event')} and {_plural(len(view['articles']), 'article')}"
            + (f", naming {names}." if names else "."))


def _entity_description(entity: Entity, by_slug) -> str:
    kind = {"person": "A person", "organisation": "An organisation", "place": "A place"}.get(entity.type, "A name")
    languages = {by_slug[s].language for s in entity.mentions if s in by_slug}
    return (f"{kind} named in {_plural(len(entity.mentions), 'article')}"
            f" in {_plural(len(languages), 'language')}: {entity.name}.")


def _source_profile(digest: Digest, group: Group, kind: str) -> dict | None:
    """What the sources registry says of a source page's publication, as the page shows it."""
    source = digest.sources.get(group.title) if kind == "source" else None
    if source is None:
        return None
    return {"country": source.country_name, "language": language_name(source.language) if source.language else None,
            "kind": ", ".join(source.kind), "domains": list(source.domains),
            "aliases": [a for a in source.aliases if a != source.name]}


def article_texts(articles: list[Article], entities: list[Entity]) -> dict[str, dict]:
    """What an article page shows of the article itself, by page: its text (headline, byline,
    summary, translation tabs, entity links; `article-text.html`) and the entities it names
    (`article-entities.html`). This is what the search index holds, and it needs only the
    entities with a page: the plugin renders it while the link stage goes on."""
    named_in = entities_by_article(entities)
    return {a.page_uri: _article_text_view(a, named_in[a.slug]) for a in articles}


def entities_by_article(entities: list[Entity]) -> defaultdict[str, list[Entity]]:
    """Article slug -> the entities it names, in the order of `entities`."""
    named_in: defaultdict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        for slug in entity.mentions:
            named_in[slug].append(entity)
    return named_in


def _article_text_view(article: Article, named: list[Entity]) -> dict:
    translated = article.translation is not None
    mentioned = sorted(named, key=lambda e: (-len(e.mentions[article.slug]), e.name))
    return {"article": article,
            "provenance": provenance(article.translation) if translated else None,
            # Shown to readers in its own language, without English: the page says so.
            "untranslated": not translated and article.language not in SKIP_LANGUAGES,
            "entities": mentioned,
            "links_original": _first_mentions(article, "paragraphs", named),
            "links_english": _first_mentions(article, "translation", named)}


def _article_view(article: Article, digest: Digest, by_slug, story_of, entities) -> dict:
    """The rest of an article's page, around its text (article_texts): See also, its story,
    related coverage."""
    story = story_of.get(article.slug)
    previous = following = None
    if story:
        position = story.articles.index(article.slug)
        previous = by_slug.get(story.articles[position - 1]) if position > 0 else None
        following = by_slug.get(story.articles[position + 1]) if position + 1 < len(story.articles) else None
    related = [{"article": by_slug[r.slug], "why": _reasons(r, entities)}
               for r in digest.related.get(article.slug, []) if r.slug in by_slug]
    see_also = [by_slug[r.slug] for r in digest.related.get(article.slug, []) if r.see_also and r.slug in by_slug]
    return {"article": article, "story": story, "previous": previous, "next": following,
            "related": related, "see_also": see_also,
            "original": by_slug.get(article.copy_of) if article.copy_of else None,
            "copies": [by_slug[slug] for slug in article.copies if slug in by_slug]}


def _first_mentions(article: Article, field_name: str, entities: list[Entity]) -> dict:
    """paragraph index -> [(mention text, entity page)] for each entity's first mention."""
    return {index: [(text, entity_uri(slug)) for text, slug in mentions]
            for index, mentions in first_mentions(article.slug, field_name, entities).items()}


def _reasons(related, entities) -> list[str]:
    reasons = []
    if related.see_also:
        reasons.append("named under “See also”")
    if related.same_story:
        reasons.append("same story")
    if related.shared_entities:
        names = [entities[s].name for s in related.shared_entities[:4] if s in entities]
        if names:
            reasons.append("mentions " + ", ".join(names))
    if related.shared_numbers:
        reasons.append("same figures: " + ", ".join(_number_label(n) for n in related.shared_numbers[:3]))
    return reasons


def _number_label(value: str) -> str:
    """ "--10-31" (a day without a year, as the link stage records it) -> "31 October"."""
    if len(value) == 7 and value.startswith("--") and value[2:4].isdigit() and value[5:].isdigit():
        month, day = int(value[2:4]), int(value[5:])
        if 1 <= month <= 12:
            return f"{day} {dt.date(2000, month, 1):%B}"
    return value


def _story_view(story: Story, by_slug, entities, profiles) -> dict:
    timeline = [by_slug[s] for s in story.articles if s in by_slug]
    return {"story": story, "timeline": timeline,
            "sources": sorted({a.source for a in timeline}),
            "languages": sorted({a.language for a in timeline}),
            "summary": [{"sentence": k, "article": by_slug.get(k.article)} for k in story.summary],
            "entities": [entities[s] for s in story.entities if s in entities],
            "lines": {a.slug: _first_sentence(a.summary) for a in timeline},
            "coverage": _coverage(timeline, profiles), "feed": story_feed_path(story.slug)}


def _coverage(articles: list[Article], profiles) -> dict:
    """A story's or storyline's coverage charts (charts.shares): by language, by source, and
    by country where the sources registry knows the sources' countries."""
    countries = [profiles[a.source].country_name for a in articles
                 if a.source in profiles and profiles[a.source].country_name]
    return {"languages": shares((a.language for a in articles), language_name),
            "sources": shares((a.source for a in articles), language=text_language),
            "countries": shares(countries) if countries else []}


def _storyline_view(line: Storyline, by_slug, stories, entities, profiles) -> dict:
    """A storyline's page: its events on a timeline with one line each, coverage by language
    and source, the entities, its feed."""
    events = []
    for key in line.events:
        story = stories.get(key)
        members = [by_slug[s] for s in (story.articles if story else [key]) if s in by_slug]
        if not members:
            continue
        if story and story.summary:
            text, language = story.summary[0].text, story.summary[0].language
        else:
            text, language = _first_sentence(members[0].summary), members[0].summary_language
        events.append({"story": story, "articles": members, "first": members[0].published,
                       "line": text, "line_language": language})
    timeline = [by_slug[s] for s in line.articles if s in by_slug]
    return {"storyline": line, "events": events, "articles": timeline,
            "coverage": _coverage(timeline, profiles), "chart": Later(articles_per_period, timeline),
            "entities": [entities[s] for s in line.entities if s in entities],
            "feed": storyline_feed_path(line.slug)}


def _first_sentence(text: str) -> str:
    """The summary's first sentence: one line for a timeline."""
    for end in (". ", "? ", "! ", "。"):
        cut = text.find(end)
        if 0 < cut < len(text) - 2:
            return text[:cut + len(end)].strip()
    return text


def _entity_view(entity: Entity, by_slug, story_of, entities, named_in, shown_stories: int) -> dict:
    """An entity's page: its registry line, its articles by month and over time, its latest
    `shown_stories` stories (the US entity of a 100,000-article digest is in 541: 64 KB of its
    first page), and the entities most often named in the same articles."""
    mentioned = sorted((by_slug[s] for s in entity.mentions if s in by_slug),
                       key=lambda a: (a.published, a.slug), reverse=True)
    stories, seen = [], set()
    for article in mentioned:
        story = story_of.get(article.slug)
        if story and story.slug not in seen:
            seen.add(story.slug)
            stories.append(story)
    kind = dict(ENTITY_TYPES).get(entity.type, entity.type)
    together = Counter(other.slug for slug in entity.mentions for other in named_in.get(slug, ())
                       if other.slug != entity.slug)
    companions = [entities[slug] for slug, _ in sorted(together.items(), key=lambda item: (-item[1], item[0]))[:8]]
    return {"entity": entity, "articles": mentioned, "stories": stories[:shown_stories],
            "more_stories": max(0, len(stories) - shown_stories), "kind": kind,
            "companions": companions, "chart": Later(articles_per_period, mentioned)}


def _months(articles: list[Article]) -> list[Group]:
    return _groups(articles, lambda a: a.published.strftime("%Y-%m"), lambda a: a.published.strftime("%B %Y"),
                   lambda key: "")


def paginate(uri: str, items: list, size: int):
    """(page uri, its items, pager view) for each page of a listing: the first at `uri`, the
    k-th at <uri without .md>/k.md (an index's at <folder>/page/k.md). The pager names the pages to link: the first, the last and
    three either side of this one (a listing of 200 pages links 9, not 200)."""
    count = max(1, -(-len(items) // size))
    # An index's pages go under page/ (stories/page/2.md): stories/2.md could be a story's.
    base = uri.removesuffix("index.md") + "page" if uri.endswith("index.md") else uri.removesuffix(".md")
    uris = [uri] + [f"{base}/{k}.md" for k in range(2, count + 1)]
    for number in range(1, count + 1):
        shown = sorted({1, count, *range(max(1, number - 3), min(count, number + 3) + 1)})
        pager = {"number": number, "count": count, "total": len(items),
                 "previous": uris[number - 2] if number > 1 else None,
                 "next": uris[number] if number < count else None,
                 "links": [(k, uris[k - 1], k - prev > 1) for prev, k in zip([0, *shown], shown)]}
        yield uris[number - 1], items[(number - 1) * size:number * size], pager


def _paged(text: str, pager: dict) -> str:
    return text if pager["number"] == 1 else f"{text} (page {pager['number']} of {pager['count']})"


def _entity_types(entities: list[Entity]) -> list[dict]:
    by_type = defaultdict(list)
    for entity in entities:
        by_type[entity.type].append(entity)
    return [{"type": kind, "title": title,
             "entities": sorted(by_type[kind], key=lambda e: (-len(e.mentions), e.name.casefold()))}
            for kind, title in ENTITY_TYPES if by_type[kind]]


def _groups(articles: list[Article], key_of, title_of, uri_of, by_name: bool = False) -> list[Group]:
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # already newest first
        members[key_of(article)].append(article)
    groups = [Group(key, title_of(items[0]), uri_of(key), tuple(items)) for key, items in members.items()]
    return _sorted(groups, by_name)


def _tag_groups(articles: list[Article]) -> list[Group]:
    members: dict[str, list[Article]] = defaultdict(list)
    names: dict[str, str] = {}
    for article in articles:
        for tag in article.tags:
            members[make_slug(tag)].append(article)
            names.setdefault(make_slug(tag), tag)
    return _sorted([Group(k, names[k], f"tags/{k}.md", tuple(v)) for k, v in members.items()], True)


def _sorted(groups: list[Group], by_name: bool) -> list[Group]:
    if by_name:
        return sorted(groups, key=lambda g: (-len(g.articles), g.title.casefold()))
    return sorted(groups, key=lambda g: g.key, reverse=True)


def meta_description(text: str, limit: int = 160) -> str:
    """A page's description as search results and link previews show it: at most `limit`
    characters (they cut longer ones there), ended at a word. It is written twice into every
    page (description, og:description); an article's whole summary is on the page itself."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"
