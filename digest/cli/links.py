"""`digest links [--json]`: argparse glue over annotate/link.py — the stories, related coverage and
entities the pages are built from. The JSON form is stable and documented in
docs/links-json.md.

`digest.cli.main` calls `add_subcommands(subparsers)`; the handler is `args.func(args)` and returns
the exit code (0, or 1 with the problems on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import pipeline
from ..annotate.entities import load_registry
from ..annotate.link import link
from ..annotate.storylines import storylines
from ..errors import DigestError
from ..intake.sources import load_sources
from ..model import Article, Entity, Related, Story, Storyline
from ..settings import load_settings

FORMAT = "digest-links/1"


def add_subcommands(subparsers) -> None:
    parser = subparsers.add_parser(
        "links", help="show stories, related coverage and entities",
        description="Link every article as the build does (translations are read from the "
                    "translation store; no model runs) and show the stories with their articles, "
                    "related pairs with scores and reasons, and the entities with their mentions.")
    parser.add_argument("--json", action="store_true", help="print the stable JSON form (docs/links-json.md)")
    parser.add_argument("--docs-dir", type=Path, default=Path("site_src"),
                        help="the site's docs_dir, holding articles/ and entities.yml (default: site_src)")
    parser.add_argument("--settings", type=Path, help="a settings file overriding the defaults")
    parser.set_defaults(func=links_command)


def links_command(args) -> int:
    try:
        settings = load_settings(args.settings)
        digest, problems = pipeline.check(args.docs_dir, settings)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DigestError(errors)
        registry = load_registry(args.docs_dir / settings.section("link")["registry_file"])
        stories, entities, related = link(digest.articles, settings, registry)
        outlets = load_sources(pipeline.sources_file(args.docs_dir, settings))
        lines = storylines(digest.articles, stories, entities, settings, outlets)
    except DigestError as error:
        print(error, file=sys.stderr)
        return 1
    record = links_record(digest.articles, stories, entities, related, lines)
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(render_text(record), end="")
    return 0


def _article(article: Article) -> dict:
    return {"slug": article.slug, "title": article.title, "english_title": article.english_title,
            "source": article.source, "published": article.published.isoformat(),
            "language": article.language, "path": article.rel_path, "copy_of": article.copy_of}


def _story(story: Story, articles: dict[str, Article]) -> dict:
    return {"slug": story.slug, "title": story.title, "pinned": story.pinned,
            "first_published": story.first_published.isoformat() if story.first_published else None,
            "last_published": story.last_published.isoformat() if story.last_published else None,
            "articles": [_article(articles[slug]) for slug in story.articles],
            "summary": [{"text": s.text, "article": s.article, "source": s.source, "language": s.language}
                        for s in story.summary],
            "entities": list(story.entities)}


def _storyline(line: Storyline) -> dict:
    return {"slug": line.slug, "title": line.title, "pinned": line.pinned,
            "first_published": line.first_published.isoformat() if line.first_published else None,
            "last_published": line.last_published.isoformat() if line.last_published else None,
            "events": list(line.events), "stories": list(line.stories), "articles": list(line.articles),
            "entities": list(line.entities)}


def _related(slug: str, rank: int, record: Related) -> dict:
    return {"article": slug, "related": record.slug, "rank": rank, "score": record.score,
            "shared_entities": list(record.shared_entities), "shared_numbers": list(record.shared_numbers),
            "same_story": record.same_story, "days_apart": record.days_apart, "see_also": record.see_also}


def _entity(entity: Entity) -> dict:
    return {"slug": entity.slug, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
            "wikidata": entity.wikidata, "registered": entity.registered,
            "articles": len(entity.mentions),
            "mentions": [{"article": slug, "field": m.field, "paragraph": m.paragraph, "start": m.start,
                          "end": m.end, "text": m.text}
                         for slug, mentions in sorted(entity.mentions.items()) for m in mentions]}


def links_record(articles: list[Article], stories: list[Story], entities: list[Entity],
                 related: dict[str, list[Related]], lines: list[Storyline] = ()) -> dict:
    """The JSON-ready record of docs/links-json.md."""
    by_slug = {a.slug: a for a in articles}
    return {
        "format": FORMAT,
        "stories": [_story(s, by_slug) for s in stories],
        "storylines": [_storyline(s) for s in lines],
        "related": [_related(slug, rank, r) for slug in sorted(related)
                    for rank, r in enumerate(related[slug], start=1)],
        "entities": [_entity(e) for e in sorted(entities, key=lambda e: (e.type, e.slug))],
    }


def render_text(record: dict) -> str:
    lines = [f"{len(record['storylines'])} storylines"]
    for line in record["storylines"]:
        pin = " (pinned)" if line["pinned"] else ""
        lines.append(f"  {line['slug']}{pin}: {line['title']} — {len(line['events'])} events, "
                     f"{len(line['articles'])} articles, {line['first_published'][:10]} – {line['last_published'][:10]}")
    lines.append(f"{len(record['stories'])} stories")
    for story in record["stories"]:
        pin = " (pinned)" if story["pinned"] else ""
        lines.append(f"  {story['slug']}{pin}: {story['title']}")
        for article in story["articles"]:
            lines.append(f"    {article['published'][:10]}  {article['language']}  {article['source']}: "
                         f"{article['title']}")
    lines.append(f"{len(record['related'])} related pairs")
    for pair in record["related"]:
        why = ", ".join(pair["shared_entities"][:4])
        flags = "".join([" same story" if pair["same_story"] else "", " see also" if pair["see_also"] else ""])
        lines.append(f"  {pair['article']} -> {pair['related']}  {pair['score']:.3f}{flags}  {why}")
    lines.append(f"{len(record['entities'])} entities")
    for entity in record["entities"]:
        lines.append(f"  {entity['type']:<12} {entity['name']} ({entity['slug']}): "
                     f"{entity['articles']} article(s), {len(entity['mentions'])} mention(s)")
    return "\n".join(lines) + "\n"
