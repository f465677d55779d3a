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
    # Filled by later stages.
    paragraphs: list[str] = field(default_factory=list)  # cleaned text
    removed: list[dict] = field(default_factory=list)  # lines cleaning removed, with the rule
    see_also: list[str] = field(default_factory=list)  # headlines named under "See also"
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


@dataclass
class Digest:
    """Everything the pages are rendered from."""

    articles: list[Article]  # newest first
    stories: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    related: dict = field(default_factory=dict)  # slug -> list of related records
