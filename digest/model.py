"""Plain data passed between the pipeline stages. No I/O, no MkDocs types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Translation:
    """An English rendering of an article, from the translation store."""

    title: str
    paragraphs: list[str]
    model: str  # e.g. "translate-zh_en"
    model_version: str  # e.g. "1.9"
    source_language: str
    edited: bool = False  # a person edited it: never overwritten
    stale: bool = False  # edited, but the source changed since


@dataclass
class Article:
    """One article file, validated. `body` is the text exactly as stored in the file."""

    path: Path  # the source file
    rel_path: str  # path relative to the docs dir, for messages and links
    slug: str
    title: str
    source: str
    published: dt.datetime
    has_time: bool  # `published` carried a time of day
    body: str
    body_line: int  # line number of the body's first line in the file
    url: str | None = None
    language: str = "und"
    language_confidence: float = 1.0  # 1.0 when set by the editor
    language_detected: bool = False
    summary_override: str | None = None
    tags: list[str] = field(default_factory=list)
    story_override: str | None = None  # `story:` front matter, for the link stage
    storyline_override: str | None = None  # `storyline:` front matter (digest/annotate/storylines.py)
    # Filled by later stages.
    paragraphs: list[str] = field(default_factory=list)  # cleaned text
    removed: list[dict] = field(default_factory=list)  # lines cleaning removed, with the rule
    see_also: list[str] = field(default_factory=list)  # headlines named under "See also"
    copy_of: str | None = None  # slug of the article this is a syndicated copy of (another source)
    copies: list[str] = field(default_factory=list)  # slugs of its syndicated copies, oldest first
    translation: Translation | None = None
    summary: str = ""
    summary_language: str = "en"

    @property
    def page_uri(self) -> str:
        """Where the article's page is generated: stable, from the date and the slug."""
        return f"articles/{self.published:%Y/%m}/{self.slug}.md"

    @property
    def month(self) -> str:
        return f"{self.published:%Y-%m}"

    @property
    def english_title(self) -> str:
        return self.translation.title if self.translation else self.title

    @property
    def english_paragraphs(self) -> list[str]:
        if self.translation:
            return self.translation.paragraphs
        return self.paragraphs if self.language == "en" else []

    @property
    def summary_opens_text(self) -> bool:
        """The summary is the opening of the text it was made from, word for word (the lead
        sentences, in order): the page then shows that text once, not in a summary box too."""
        if not self.summary or self.summary_override:
            return False
        text = self.english_paragraphs if self.summary_language == "en" and self.translation else self.paragraphs
        return " ".join(" ".join(text).split()).startswith(" ".join(self.summary.split()))


@dataclass(slots=True)  # tens per article, kept to the end of the build: no __dict__ each
class Mention:
    """One place an entity is named: `field` is "title", "paragraphs" (the article's own
    cleaned text) or "translation" (its English paragraphs); offsets are characters."""

    field: str
    paragraph: int  # index into that list (0 for the title)
    start: int
    end: int
    text: str


@dataclass
class Entity:
    """A person, organisation or place, with every article naming it."""

    slug: str
    name: str
    type: str  # "person", "organisation", "place"
    aliases: list[str] = field(default_factory=list)  # the forms seen or registered, any script
    wikidata: str | None = None
    registered: bool = False  # from the editors' registry (site_src/entities.yml)
    description: str = ""  # the registry's line for readers
    mentions: dict[str, list[Mention]] = field(default_factory=dict)  # article slug -> mentions

    # Pickled (the build's cache, fork_map's results) with the mentions as one flat list of
    # plain values: a Mention pickled on its own makes a temporary state list, which pickle's
    # memo keeps until the whole dump ends (~270 bytes a mention; 2.4 million at 100,000 articles).
    def __getstate__(self) -> dict:
        flat: list = []
        for slug, mentions in self.mentions.items():
            flat += (slug, len(mentions))
            for m in mentions:
                flat += (m.field, m.paragraph, m.start, m.end, m.text)
        return {**self.__dict__, "mentions": flat}

    def __setstate__(self, state: dict) -> None:
        flat, mentions, at = state["mentions"], {}, 0
        while at < len(flat):
            slug, count = flat[at], flat[at + 1]
            at += 2
            mentions[slug] = [Mention(*flat[k:k + 5]) for k in range(at, at + 5 * count, 5)]
            at += 5 * count
        self.__dict__.update(state, mentions=mentions)


@dataclass
class KeySentence:
    """A sentence of a story's summary, attributed to the article it comes from."""

    text: str
    article: str  # slug
    source: str
    language: str  # the language of `text` ("en" when taken from a translation)


@dataclass
class Story:
    """One event or developing storyline, told by several articles."""

    slug: str
    title: str
    articles: list[str]  # slugs, oldest first: the timeline
    summary: list[KeySentence] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)  # entity slugs, most mentioned first
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None
    pinned: bool = False  # an editor named it with `story:` in front matter


@dataclass
class Storyline:
    """A topic followed across weeks and events (digest/annotate/storylines.py)."""

    slug: str
    title: str
    events: list[str]  # story slugs, and slugs of articles in no story: oldest first
    stories: list[str]  # the events that are stories
    articles: list[str]  # every article, in event order
    entities: list[str] = field(default_factory=list)  # entity slugs, most weight first
    first_published: dt.datetime | None = None
    last_published: dt.datetime | None = None
    pinned: bool = False  # an editor named it with `storyline:` in front matter


@dataclass
class Related:
    """Why one article is listed as related coverage of another."""

    slug: str  # the related article
    score: float
    shared_entities: list[str] = field(default_factory=list)  # entity slugs
    shared_numbers: list[str] = field(default_factory=list)  # numbers and dates both give
    same_story: bool = False
    days_apart: float = 0.0
    see_also: bool = False  # the article names this one's headline under "See also"


@dataclass
class Digest:
    """Everything the pages are rendered from."""

    articles: list[Article]  # newest first
    stories: list[Story] = field(default_factory=list)  # most recent activity first
    storylines: list[Storyline] = field(default_factory=list)  # most recent activity first
    entities: list[Entity] = field(default_factory=list)
    related: dict[str, list[Related]] = field(default_factory=dict)  # article slug -> related
    sources: dict = field(default_factory=dict)  # source name -> its sources.Source profile
