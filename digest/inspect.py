"""`digest inspect FILE...`: what the build does to each article, as stable JSON or as text.

Runs the text stages on one file exactly as a build does (clean -> language -> summarize ->
entity mentions, with the site's registry),
reading the English translation from the translation store when one is current there (it
never translates: `digest translate` does that). FILE is an article file with front matter,
or a raw text file as `digest add` takes it (headline first), inspected as it would be
imported. The JSON form is documented in docs/inspect-json.md; `schema` changes only when
a field changes meaning or disappears (new fields may be added).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .annotate.entities import RussianNLP, find_entities, load_registry
from .annotate.summarize import summarize
from .errors import DigestError, Problem
from .intake.articles import ARTICLES_DIR, make_slug, parse_article
from .intake.clean import clean, load_rules
from .intake.importer import infer
from .intake.language import identify_languages
from .model import Article
from .settings import Settings
from .translation.store import TranslationStore, text_hash
from .translation.translate import SKIP_LANGUAGES, source_text

SCHEMA = 1
_NO_DATE = dt.datetime(1970, 1, 1)  # raw text without a date: it has no page address yet


def inspect_file(path: Path | str, settings: Settings, nlp: RussianNLP | None = None) -> dict:
    """The inspection record of one article file (see docs/inspect-json.md). `nlp`: natasha's
    models, loaded once for many files."""
    path = Path(path)
    if not path.is_file():
        raise DigestError(Problem(path, 0, "no such file", "give the path of an article file"))
    article, docs_dir = _load(path, settings)
    if docs_dir is None:  # raw text: the slug `digest add` would give it (numbered if taken)
        article.slug = make_slug(article.title, settings.section("articles").get("slug_max_length", 80))
    dated = article.published != _NO_DATE
    language_given = article.language != "und"
    clean([article], settings)
    identify_languages([article], settings)
    if docs_dir is not None and article.language not in SKIP_LANGUAGES:
        store = TranslationStore(docs_dir / settings.section("translate")["store_dir"])
        title, paragraphs = source_text(article)
        found = store.lookup(article, text_hash(title, paragraphs))
        article.translation = found.translation if found.status in ("current", "stale") else None
    summarize([article], settings)
    descriptions = {rule.id: rule.description for rule in load_rules(settings)}
    return {
        "schema": SCHEMA,
        "file": str(path),
        "slug": article.slug,
        "url": article.page_uri.removesuffix(".md") + "/" if dated else None,
        "title": article.title,
        "source": article.source,
        "language": {
            "code": article.language,
            "confidence": article.language_confidence,
            "detected": not language_given,
        },
        "paragraphs": article.paragraphs,
        "removed": [{**item, "description": descriptions.get(item["rule"], "")} for item in article.removed],
        "see_also": article.see_also,
        "translation": ({"model": article.translation.model, "model_version": article.translation.model_version,
                         "edited": article.translation.edited, "stale": article.translation.stale}
                        if article.translation else None),
        "summary": {
            "text": article.summary,
            "language": article.summary_language,
            "from": "editor" if article.summary_override else ("translation" if article.translation else "text"),
        },
        "mentions": _mentions(article, docs_dir, settings, nlp),
    }


def _mentions(article: Article, docs_dir: Path | None, settings: Settings, nlp: RussianNLP | None) -> list[dict]:
    """Every mention of a person, organisation or place in the article, as the build finds
    them with the site's registry,
    grouped and typed within this article alone: one mention is evidence enough here, where
    the site wants a name in two articles before it gets a page."""
    link = settings.section("link")
    registry = load_registry(docs_dir / link["registry_file"]) if docs_dir is not None else []
    alone = settings.overridden("link", entity_min_articles=1, entity_min_mentions=1)
    found = []
    for entity in find_entities([article], alone, registry, nlp).entities:
        if entity.type == "other":  # names of no known type serve linking only
            continue
        for mention in entity.mentions.get(article.slug, ()):
            found.append({"text": mention.text, "type": entity.type,
                          "entity": entity.slug if entity.registered else None,
                          "field": mention.field, "paragraph": mention.paragraph,
                          "start": mention.start, "end": mention.end})
    order = {"title": 0, "paragraphs": 1, "translation": 2}
    return sorted(found, key=lambda m: (order[m["field"]], m["paragraph"], m["start"]))


def render_text(record: dict) -> str:
    """The record for a person: plain text, removed lines with their rule."""
    language = record["language"]
    how = "detected" if language["detected"] else "from the front matter"
    lines = [
        f"{record['file']}: {record['title']}",
        f"language: {language['code']} ({how}, confidence {language['confidence']:.2f})",
        f"summary ({record['summary']['language']}, from the {record['summary']['from']}):",
        f"  {record['summary']['text'] or '(none: no sentence to summarize)'}",
        "",
        f"removed {len(record['removed'])} line(s) or glued part(s):",
    ]
    lines += [f"  {item['line']:>4}  {item['rule']:<24} {item['text']}" for item in record["removed"]]
    if record["see_also"]:
        lines += ["", "see also (kept aside):"] + [f"  - {title}" for title in record["see_also"]]
    if record["mentions"]:
        lines += ["", "entities:"] + [f"  {m['type']:<12} {m['text']}  ({m['field']} {m['paragraph']})"
                                      for m in record["mentions"]]
    lines += ["", f"text ({len(record['paragraphs'])} paragraph(s)):"]
    for paragraph in record["paragraphs"]:
        lines += [f"  {paragraph}", ""]
    return "\n".join(lines).rstrip() + "\n"


def _load(path: Path, settings: Settings) -> tuple[Article, Path | None]:
    """The article and its docs dir (None for a raw text file)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.lstrip("\ufeff").startswith("---"):
        return _from_raw_text(path, text), None
    docs_dir = _docs_dir(path)
    article, problems = parse_article(path, docs_dir, settings)
    errors = [p for p in problems if p.severity == "error"]
    if article is None or errors:
        raise DigestError(errors or problems)
    return article, docs_dir


def _docs_dir(path: Path) -> Path:
    """The folder holding `articles/`, above the file; the file's folder if there is none."""
    absolute = Path(os.path.abspath(path))  # not resolve(): the docs dir as the path names it
    for parent in absolute.parents:
        if parent.name == ARTICLES_DIR:
            return parent.parent
    return absolute.parent


def _from_raw_text(path: Path, text: str) -> Article:
    found = infer(text)
    if not found.title:
        raise DigestError(Problem(path, 1, "the file is empty", "give an article file or raw article text"))
    # The body starts at the first line after the headline: removed lines carry file line numbers.
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    headline = next(n for n, line in enumerate(lines)  # the headline line ("title-site" cut to "title")
                    if " ".join(line.split()).startswith(found.title))
    body_line = next((n for n, line in enumerate(lines[headline + 1:], headline + 2) if line.strip()), 1)
    return Article(path=path, rel_path=path.name, slug=path.stem, title=found.title, source=found.source or "",
                   published=found.published or _NO_DATE, has_time=found.has_time,
                   body=found.body, body_line=body_line)
