"""build(): the one place the stages are chained.

load -> clean -> language -> translate -> summarize -> render
`check()` runs the same stages up to the translation store, without running any model,
so `digest check` and the build report the same problems. A broken article raises
DigestError before any page exists: no site is written from a half-valid digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .articles import load_articles
from .clean import clean
from .errors import DigestError, Problem
from .language import identify_languages, language_warnings
from .model import Digest
from .render import PageSpec, render
from .settings import Settings
from .store import TranslationStore
from .summarize import summarize
from .translate import source_text, translate, untranslated_problems
from .store import text_hash

TRANSLATIONS_DIR = "translations"


@dataclass
class BuildResult:
    digest: Digest
    pages: list[PageSpec]
    warnings: list[Problem]


def _prepare(docs_dir: Path, settings: Settings) -> tuple[list, list[Problem]]:
    """Load, validate, clean and identify the language of every article."""
    articles, problems = load_articles(docs_dir, settings)
    clean(articles, settings)
    identify_languages(articles, settings)
    return articles, problems + language_warnings(articles, settings)


def check(docs_dir: Path | str, settings: Settings) -> tuple[Digest, list[Problem]]:
    """Every problem of every article, errors and warnings; translations only looked up."""
    docs_dir = Path(docs_dir)
    articles, problems = _prepare(docs_dir, settings)
    store = TranslationStore(docs_dir / TRANSLATIONS_DIR)
    for article in articles:
        if article.language not in ("en", "und"):
            found = store.lookup(article, text_hash(*source_text(article)))
            article.translation = found.translation if found.status in ("current", "stale") else None
    return Digest(articles=articles), problems + untranslated_problems(articles)


def build(docs_dir: Path | str, settings: Settings, models_dir: Path | str | None = None,
          progress=None) -> BuildResult:
    docs_dir = Path(docs_dir)
    articles, problems = _prepare(docs_dir, settings)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    translate(articles, settings, TranslationStore(docs_dir / TRANSLATIONS_DIR), models_dir, progress)
    summarize(articles, settings)
    digest = Digest(articles=articles)
    return BuildResult(digest, render(digest, settings), problems)
