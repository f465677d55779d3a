"""build(): the one place the stages are chained.

load -> (later: clean -> language -> translate -> summarize -> link) -> render
Returns the rendered page records and every problem found; raises DigestError when an
article is broken, so that no site is written from a half-valid digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .articles import load_articles
from .errors import DigestError, Problem
from .model import Digest
from .render import PageSpec, render
from .settings import Settings


@dataclass
class BuildResult:
    digest: Digest
    pages: list[PageSpec]
    warnings: list[Problem]


def check(docs_dir: Path, settings: Settings) -> tuple[Digest, list[Problem]]:
    """Load and validate every article; the problems of all of them, errors and warnings."""
    articles, problems = load_articles(docs_dir, settings)
    for article in articles:
        if not article.paragraphs:
            article.paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    return Digest(articles=articles), problems


def build(docs_dir: Path | str, settings: Settings) -> BuildResult:
    digest, problems = check(Path(docs_dir), settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    return BuildResult(digest, render(digest, settings), [p for p in problems if p.severity != "error"])
