"""build(): the one place the stages are chained.

load -> clean -> language -> translate -> summarize -> link -> render
`check()` runs the same stages up to the translation store, without running any model,
so `digest check` and the build report the same problems. A broken article raises
DigestError before any page exists: no site is written from a half-valid digest.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .annotate.entities import load_registry
from .annotate.link import link
from .annotate.storylines import storylines
from .annotate.summarize import summarize
from .cache import Cache
from .errors import DigestError, Problem
from .intake.articles import (
    ARTICLES_DIR,
    _line_of_field,
    article_files,
    by_first_file,
    how_many,
    load_articles,
    shown_path,
)
from .intake.clean import clean
from .intake.language import identify_languages, language_warnings
from .intake.sources import load_sources
from .model import Digest
from .settings import Settings, published_bound
from .site.render import PageSpec, render
from .translation.models import resolve_models_dir
from .translation.store import TranslationStore
from .translation.translate import from_store, translate, untranslated_problems


@dataclass
class BuildResult:
    digest: Digest
    pages: list[PageSpec]
    warnings: list[Problem]
    # What the stages logged at WARNING or above, (logger, level, message): a build answered
    # from the cache logs it again, so `mkdocs build --strict` fails the same way.
    logged: list[tuple[str, int, str]] = field(default_factory=list)


class _LogRecorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


LOGGER = "mkdocs.plugins.digest"  # the stages' loggers are its children (….store, ….translate)


@contextmanager
def _stage(name: str, articles: list):
    """One INFO line per stage with its time: a large build says where it is, and where its
    time goes (`mkdocs build` shows INFO; -q hides it)."""
    started = time.perf_counter()
    yield
    _log_stage(name, articles, started)


def _log_stage(name: str, articles: list, started: float) -> None:
    logging.getLogger(LOGGER).info("digest: %s of %s articles: %.1f s", name, f"{len(articles):,}",
                                   time.perf_counter() - started)


def _store(docs_dir: Path, settings: Settings) -> TranslationStore:
    return TranslationStore(docs_dir / settings.section("translate")["store_dir"])


def sources_file(docs_dir: Path, settings: Settings) -> Path:
    return Path(docs_dir) / settings.section("articles")["sources_file"]


def prepare(docs_dir: Path, settings: Settings, cache: Cache | None = None) -> tuple[list, list[Problem]]:
    """Load, validate, clean and identify the language of every article; each source is
    named by the sources registry's name for it (新华社 -> Xinhua)."""
    if not Path(docs_dir).is_dir():
        raise DigestError(Problem(docs_dir, 0, "no such folder" if not Path(docs_dir).exists() else "not a folder",
                                  "give the docs dir that holds articles/ (--docs-dir; mkdocs.yml's docs_dir)"))
    try:
        sources, problems = load_sources(sources_file(docs_dir, settings)), []
    except DigestError as exc:
        sources, problems = load_sources(), exc.problems
    articles, found = load_articles(docs_dir, settings, cache=cache, canonical=sources.canonical)
    problems = found + problems
    clean(articles, settings, cache)
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
    try:
        from_store(articles, _store(docs_dir, settings))
    except DigestError as exc:
        problems += exc.problems
    return Digest(articles=articles), problems + untranslated_problems(articles) + unknown_sources(articles, docs_dir, settings)


def unknown_sources(articles, docs_dir: Path, settings: Settings) -> list[Problem]:
    """Warnings for `digest check`: sources the registry does not know, with the nearest name;
    one a source, at its first article (a folder of 105 pages from one site gave 105 lines)."""
    try:
        registry = load_sources(sources_file(docs_dir, settings))
    except DigestError:
        return []  # reported by prepare
    unknown = by_first_file([a for a in articles if not registry.named(a.source)], lambda a: a.source)
    problems = []
    shown_file = sources_file(docs_dir, settings)
    for source, named in unknown.items():
        nearest = registry.nearest(source)
        hint = f"did you mean '{nearest}'? " if nearest else ""
        problems.append(Problem(shown_path(named[0].path), _line_of_field(named[0], "source"),
                                f"source '{source}' is not in the sources registry{how_many(named)}",
                                f"{hint}else add it to {shown_path(shown_file)} (name, aliases, domains, "
                                "country, language, kind)", "warning"))
    return problems


def build(docs_dir: Path | str, settings: Settings, models_dir: Path | str | None = None,
          progress=None, cache: Cache | None = None, nlp=None) -> BuildResult:
    """Every stage over every article; `cache` keeps expensive results between builds and
    `nlp` holds loaded Russian models (both optional, both reused by `mkdocs serve`)."""
    docs_dir = Path(docs_dir)
    cache = cache or Cache(None)
    # The whole result, when nothing the stages read has changed since a build that passed
    # (a failing build raises before put). Else the per-article caches of link still apply.
    key = inputs_key(docs_dir, settings, models_dir)
    found = cache.get("build", key, lambda found: isinstance(found, BuildResult))
    if found is not None:
        for name, level, message in found.logged:
            logging.getLogger(name).log(level, message)
        return found
    recorder, logger = _LogRecorder(), logging.getLogger(LOGGER)
    logger.addHandler(recorder)
    try:
        result = _run_stages(docs_dir, settings, models_dir, progress, cache, nlp)
    finally:
        logger.removeHandler(recorder)
    result.logged = recorder.records
    cache.put("build", key, result)
    return result


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off while the pipeline runs (the MkDocs plugin wraps
    build() in it), and what it built frozen after (gc.freeze): the stages make millions of
    small long-lived objects and almost no reference cycles, and the collector scanned them
    all again and again, ~0.5 s of a 1,000-article build. Frozen objects are skipped by the
    page phase's collections. Peak memory grows little (cycles are rare: ~+15 MB at 1,000
    articles)."""
    gc.unfreeze()  # the previous build's objects (`mkdocs serve`): collectable again
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()


def inputs_key(docs_dir: Path, settings: Settings, models_dir: Path | str | None) -> str:
    """A hash of everything build() reads: the articles, translation store and registry,
    the settings and the pattern files they name, the installed models, this package's code
    and data files, and today's date (`digest check` refuses articles dated in the future)."""
    store_dir = docs_dir / settings.section("translate")["store_dir"]
    paths = [*article_files(docs_dir), *sorted(store_dir.rglob("*.md")),
             docs_dir / settings.section("link")["registry_file"], sources_file(docs_dir, settings),
             *map(Path, settings.section("clean")["extra_pattern_files"])]
    contents = [(str(path), _bytes(path)) for path in paths]
    models = resolve_models_dir(models_dir)
    installed = sorted((p.name, p.lstat().st_mtime_ns) for p in models.iterdir()) if models.is_dir() else []
    return Cache.key(_package_files(), settings, contents, installed, dt.date.today())


def _bytes(path: Path) -> bytes | None:
    try:  # what cannot be read is reported by the stage that reads it
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


@functools.cache
def _package_files() -> str:
    package = Path(__file__).parent
    return Cache.key(*((str(p.relative_to(package)), p.read_bytes()) for p in sorted(package.rglob("*"))
                       if p.is_file() and p.suffix in (".py", ".yml")))


def published_between(articles: list, settings: Settings, docs_dir: Path) -> list:
    """The articles published within `articles.published_from` / `published_until` (a site
    of one range of dates; all of them when neither is set). The bounds' days are in."""
    section = settings.section("articles")
    # Checked where they are written (load_settings, the plugin's on_config): dates or empty here.
    first, last = (published_bound(section[key]) or None for key in ("published_from", "published_until"))
    if not first and not last:
        return articles
    kept = [a for a in articles
            if (not first or a.published.date() >= first) and (not last or a.published.date() <= last)]
    if not kept:
        raise DigestError(Problem(shown_path(docs_dir / ARTICLES_DIR), 0, f"no article is published from "
                                  f"{first or 'the first'} to {last or 'the last'}", "widen the plugin's "
                                  "published_from / published_until (or the settings' articles.published_from/_until)"))
    logging.getLogger(LOGGER).info("digest: %s of %s articles are published from %s to %s: this site holds them "
                                   "alone", f"{len(kept):,}", f"{len(articles):,}", first or "the first",
                                   last or "the last")
    return kept


def _run_stages(docs_dir: Path, settings: Settings, models_dir, progress, cache: Cache, nlp) -> BuildResult:
    started = time.perf_counter()
    articles, problems = prepare(docs_dir, settings, cache)
    _log_stage("reading and cleaning", articles, started)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DigestError(errors)
    articles = published_between(articles, settings, docs_dir)
    registry = load_registry(docs_dir / settings.section("link")["registry_file"])
    translate(articles, settings, _store(docs_dir, settings), models_dir, progress, registry=registry)
    with _stage("summaries", articles):
        summarize(articles, settings, cache)
    with _stage("entities, stories and related coverage", articles):
        stories, entities, related = link(articles, settings, registry, nlp, cache)
    registry = load_sources(sources_file(docs_dir, settings))
    profiles = {a.source: found for a in articles if (found := registry.named(a.source))}
    with _stage("storylines", articles):
        found_storylines = storylines(articles, stories, entities, settings, registry)
    digest = Digest(articles=articles, stories=stories, storylines=found_storylines,
                    entities=entities, related=related, sources=profiles)
    with _stage("page layout", articles):
        pages = render(digest, settings)
    return BuildResult(digest, pages, problems)
