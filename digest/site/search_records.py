"""What the search index holds of each page besides its visible text: filters, sort keys,
the names of the entities it names in every script, and unsegmented text cut into bigrams.

The index is one Pagefind index with English word rules (search_index.py): that is what lets
one query find pages in every language. Three things make it work across languages:

- **Names in every script.** An article's record lists every alias of every entity it names
  (Lavrov, Сергей Лавров, Лавров...), so "Лавров" finds the English articles about Lavrov and
  "Lavrov" the untranslated Russian one. Entity, story and storyline pages are records too,
  found by any alias of their entities.
- **Unsegmented scripts.** Chinese, Japanese, Thai... write words without spaces, so Pagefind
  sees a whole sentence as one word. Its "extended" build segments them only in a per-language
  index, which one cross-language index cannot be. Each run of such text is also indexed as
  overlapping character bigrams (奥密克戎 -> 奥密 密克 克戎), the usual dictionary-free method
  for CJK search (Lucene's CJKBigramFilter); digest-search.js cuts the query the same way, so
  every bigram of the query must occur in the page. The same code points are listed there.
- **Filters and sort keys** (type, source, language, month, story; date) let the search page
  narrow and order results: Pagefind stores them in the index and answers without reading pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..intake.articles import language_name
from ..model import Article, Digest, Entity, Story

# Scripts written without spaces between words (the same ranges as digest-search.js).
UNSEGMENTED = re.compile(
    "[\u0e00-\u0eff"      # Thai, Lao
    "\u0f00-\u0fff"       # Tibetan
    "\u1000-\u109f"       # Myanmar
    "\u1780-\u17ff"       # Khmer
    "\u3040-\u30ff"       # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002ffff]+")

ENTITY_KINDS = {"person": "Person", "organisation": "Organisation", "place": "Place"}
# The values of the `type` filter, with what the search page calls them.
KINDS = (("Article", "Articles"), ("Story", "Stories"), ("Storyline", "Storylines"),
         ("Person", "People"), ("Organisation", "Organisations"), ("Place", "Places"))


def bigrams(text: str) -> str:
    """Each run of unsegmented script in `text` as its overlapping two-character pieces
    (a run of one character as itself), space-separated; "" when there is none."""
    pieces: list[str] = []
    for run in UNSEGMENTED.findall(text):
        pieces += [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
    return " ".join(pieces)


def names(entities: list[Entity]) -> list[str]:
    """Every name of the entities, each once, in their order."""
    return list(dict.fromkeys(name for e in entities for name in [e.name, *e.aliases]))


def article_record(article: Article, story: Story | None, named: list[Entity]) -> dict:
    """An article's search record: its filters, date, its entities' names and bigrams."""
    text = " ".join([article.title, *article.paragraphs])
    return {"filters": {"type": "Article", "source": article.source,
                        "language": language_name(article.language), "month": article.month,
                        "story": story.title if story else None},
            "date": article.published.strftime("%Y-%m-%d"),
            # The languages of the title and summary shown in results (a `lang` on each).
            "lang": "en" if article.translation else article.language, "summary_lang": article.summary_language,
            "names": names(named), "bigrams": bigrams(text)}


def page_record(kind: str, title: str, byline: str, summary: str, named: list[Entity],
                date: str | None = None) -> dict:
    """The search record of an entity, story or storyline page: found by its title and every
    name of its entities, shown with a byline (what it is) and a summary."""
    shown = names(named)
    return {"filters": {"type": kind, "month": date[:7] if date else None}, "title": title, "byline": byline, "summary": summary,
            "date": date, "names": shown, "bigrams": bigrams(" ".join([title, *shown]))}


def search_pages(digest: Digest, pages: list, texts: dict[str, dict], named_in: dict[str, list[Entity]],
                 render) -> Iterator[tuple[str, str]]:
    """(page URI, HTML for the index) of every page the search index holds, newest first
    (undated pages last: each of the index's shards is then a date range): an article's
    rendered text (`texts`: render.article_texts, as the plugin rendered them) with its
    record; any other page that has a record (`spec.search`: entities, stories, storylines)
    by its record alone. `named_in`: each article's entities (render.entities_by_article);
    `render` is the search.html fragment's."""
    story_of = {slug: story for story in digest.stories for slug in story.articles}
    pages_of = {a.page_uri: a for a in digest.articles}

    def date(spec) -> str:
        if spec.searchable:
            return pages_of[spec.uri].published.isoformat()
        return (spec.search or {}).get("date") or ""

    for spec in sorted(pages, key=date, reverse=True):
        if spec.searchable:
            article = pages_of[spec.uri]
            record = article_record(article, story_of.get(article.slug), named_in[article.slug])
            yield spec.uri, render(**texts[spec.uri], record=record)
        elif spec.search:
            yield spec.uri, render(text_html=None, record=spec.search)
