"""build(): the one place the stages are chained.

load -> clean -> language -> translate -> summarize -> link -> render
`check()` runs the same stages up to the translation store, without running any model,
so `digest check` and the build report the same problems. A broken article raises
DigestError before any page exists: no site is written from a half-valid digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .articles import load_articles
from .cache import Cache
from .clean import clean
from .errors import DigestError, Problem
from .entities import load_registry
from .language import identify_languages, language_warnings
from .link import link
from .model import Digest
from .render import PageSpec, render
from .settings import Settings
from .store import TranslationStore
from .summarize import summarize
from .translate import from_store, translate, untranslated_problems


@dataclass
class BuildResult:
    digest: Digest
    pages: list[PageSpec]
    warnings: list[Problem]


def _store(docs_dir: Path, settings: Settings) -> TranslationStore:
    return TranslationStore(docs_dir / settings.section("translate")["store_dir"])


def prepare(docs_dir: Path, settings: Settings) -> tuple[list, list[Problem]]:
    """Load, validate, clean and identify the language of every article."""
    articles, problems = load_articles(docs_dir, settings)
    clean(articles, settings)
    identify_languages(articles, settings)
    return articles, problems + language_warnings(articles, settings)


def check(docs_dir: Path | str, settings: Settings) -> tuple[Digest, list[Problem]]:
    """Every problem of every article, errors and warnings; translations only looked up."""
    docs_dir = Path(docs_dir)
    articles, problems = prepare(docs_dir, settings)
    try:
        load_registry(docs_dir / settings.section("link")["registry_file"])
    except DigestError as exc:
        problems += exc.problems
    from_store(articles, _store(docs_dir, settings))
    return Digest(articles=articles), problems + untranslated_problems(articles)


def build(docs_dir: Path | str, settings: Settings, models_dir: Path | str | None = None,
          progress=None, cache: Cache | None = None, nlp=None) -> BuildResult:
    """Every stage over every article; `cache` keeps expensive results between builds and
    `nlp` holds loaded Russian models (both optional, both reused by `mkdocs serve`)."""
    docs_dir = Path(docs_dir)
    articles, problems = prepare(docs_dir, settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    registry = load_registry(docs_dir / settings.section("link")["registry_file"])
    translate(articles, settings, _store(docs_dir, settings), models_dir, progress)
    summarize(articles, settings)
    stories, entities, related = link(articles, settings, registry, nlp, cache)
    digest = Digest(articles=articles, stories=stories, entities=entities, related=related)
    return BuildResult(digest, render(digest, settings), problems)
