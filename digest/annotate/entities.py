"""Named entities: the people, organisations and places of every article, one identity
across languages, scripts and inflections. digest/annotate/mentions.py finds the mentions,
identities.py groups them into identities and types each group by vote; this module names
each by its forms of that type, keeps those with enough evidence and caches the mentions.

Junk gets no entity: the stage reads cleaned paragraphs, and a name outside the registry
needs evidence (settings `link.entity_min_articles`, `link.entity_min_mentions`).
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..cache import Cache
from ..intake.articles import make_slug
from ..model import Article, Entity, Mention
from ..parallel import fork_map
from ..settings import Settings
from .english_ner import english_model_id, english_nlp
from .entity_registry import RegistryEntry, load_registry  # noqa: F401  (load_registry: callers' one import)
from .identities import identities, vote
from .mentions import CANDIDATES_VERSION, OTHER_LANGUAGES_VERSION, MentionFinder, _Candidate, word_lists
from .name_keys import CYRILLIC, TOKEN
from .russian_ner import RussianNLP, natasha_reads

_FIELD_ORDER = {"title": 0, "paragraphs": 1, "translation": 2}


@dataclass
class EntityIndex:
    """The stage's result: entities with enough evidence (type "other" ones serve linking
    only and get no page) and, per article, how often it names each of them."""

    entities: list[Entity]
    by_article: dict[str, Counter]  # article slug -> Counter(entity slug -> mentions)


# -- assembly ---------------------------------------------------------------------------------

def find_entities(articles: list[Article], settings: Settings,
                  registry: list[RegistryEntry] | None = None, nlp: RussianNLP | None = None,
                  cache: Cache | None = None, words: dict | None = None) -> EntityIndex:
    """Entities of all articles: registry matches, natasha spans (Russian), spaCy spans
    (English and translations), proper nouns (other Latin script), grouped into one identity across scripts and inflections. `words`:
    word_lists(), when the caller has read them already."""
    section = settings.section("link")
    registry = list(registry or [])
    words = words or word_lists()
    extractor = MentionFinder(registry, words, section["surname_similarity"], nlp, section["english_model"])
    cache = cache or Cache(None)

    def mentions_of(article: Article) -> list[_Candidate]:
        translated = article.translation.paragraphs if article.translation else []
        extractor.read_english((article.paragraphs if article.language == "en" else []) + translated)
        found = extractor.candidates(article.title, article.language, "title", 0, registry_only=True)
        for i, paragraph in enumerate(article.paragraphs):
            found += extractor.candidates(paragraph, article.language, "paragraphs", i)
        for i, paragraph in enumerate(article.translation.paragraphs if article.translation else ()):
            found += extractor.candidates(paragraph, "en", "translation", i)
        for cand in found:
            cand.article = article.slug
        return found

    # An article's mentions depend on its text, language, the registry, the word lists (not
    # the grouping ones, which apply after) and the English model.
    finding = {part: lists for part, lists in words.items() if part != "grouping"}
    context = Cache.key(CANDIDATES_VERSION, registry, finding, section["surname_similarity"],
                        section["english_model"] and english_model_id())

    def mentions_of_all(todo: list[Article]) -> list[list[_Candidate]]:
        if any(natasha_reads(a.language, " ".join(a.paragraphs)) for a in todo):
            extractor.nlp.load()  # once, before the workers fork
        if section["english_model"] and any(a.language == "en" or a.translation for a in todo):
            english_nlp()
        return fork_map(mentions_of, todo, label="finding names (people, organisations, places)")

    others = Cache.key(context, OTHER_LANGUAGES_VERSION)
    mentions = cache.each("entities", articles, lambda a: Cache.key(
        context if a.language == "en" else others, a.language, a.title, a.paragraphs,
        a.translation.paragraphs if a.translation else None),
        mentions_of_all, lambda found: isinstance(found, list) and Cache.all_of(_Candidate, found))
    candidates: list[_Candidate] = []
    for article, found in zip(articles, mentions):
        for cand in found:
            if cand.article != article.slug:  # cached for the same text under another name
                cand = copy.copy(cand)  # the cached one stays as it is, for the next build
                cand.article = article.slug
            candidates.append(cand)
    groups = identities(candidates, articles, words, section["surname_similarity"])
    return _entities(groups, registry, section)


def _entities(groups: dict[tuple, list[_Candidate]], registry: list[RegistryEntry],
              section) -> EntityIndex:
    min_articles, min_mentions = section["entity_min_articles"], section["entity_min_mentions"]
    entities: list[Entity] = []
    by_article: dict[str, Counter] = defaultdict(Counter)
    used_slugs = {entry.slug for entry in registry}
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] != "registry", -len(item[1]), str(item[0])))
    for key, members in ordered:
        per_article = Counter(c.article for c in members)
        if key[0] == "registry":
            entry = registry[key[1]]
            entity = Entity(entry.slug, entry.name, entry.type, list(entry.aliases), entry.wikidata, True,
                            description=entry.description)
        else:
            multiword = max(len(c.words) for c in members) >= 2
            if len(per_article) < min_articles and not (multiword and max(per_article.values()) >= min_mentions):
                continue
            kind = "person" if key[0] == "person" else vote(members, one_word=not multiword)
            name = _display_name(members, kind)
            slug = _unique_slug(make_slug(name), used_slugs)
            # Forms as written (Russian cases), not a quote's editorial bracket ("Mike [Ruddock]").
            written = {c.text for c in members if "[" not in c.text and "]" not in c.text}
            aliases = sorted(({c.name for c in members} | written) - {name})
            entity = Entity(slug, name, kind, aliases[:30])
        for cand in sorted(members, key=lambda c: (c.article, _FIELD_ORDER[c.field], c.paragraph, c.start)):
            entity.mentions.setdefault(cand.article, []).append(
                Mention(cand.field, cand.paragraph, cand.start, cand.end, cand.text))
        for article, count in per_article.items():
            by_article[article][entity.slug] += count
        entities.append(entity)
    return EntityIndex(entities, dict(by_article))


def _display_name(members: list[_Candidate], kind: str) -> str:
    """The most frequent form seen in text (Latin script first, full names first for people,
    spelled out rather than initialled);
    a form built from lemmas only when no other exists. Forms read as the entity's type come
    first: a place is "France", not the "French" (a nationality, untyped) it was grouped with."""
    spelled = [c for c in members if c.spelled] or members
    spelled = [c for c in spelled if c.type == kind] or spelled
    names = Counter(c.name for c in spelled)
    latin = [n for n in names if not CYRILLIC.search(n)]
    pool = latin or list(names)
    if kind == "person":
        longest = max(len(TOKEN.findall(n)) for n in pool)
        pool = [n for n in pool if len(TOKEN.findall(n)) == longest]
        # "Gavin Henson" rather than the team sheet's "G Henson", however often that is written.
        return max(pool, key=lambda n: (len(TOKEN.findall(n)[0]) > 1, names[n], n))
    return max(pool, key=lambda n: (names[n], n))


def _unique_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


# -- for templates ----------------------------------------------------------------------------

def first_mentions(article_slug: str, field: str, entities: list[Entity]) -> dict[int, list[tuple[str, str]]]:
    """paragraph index -> [(mention text, entity slug)], in reading order: the first mention
    of each entity in this field ("paragraphs" or "translation"), the one a page links."""
    first: dict[str, Mention] = {}
    for entity in entities:
        mentions = [m for m in entity.mentions.get(article_slug, ()) if m.field == field]
        if mentions:
            first[entity.slug] = min(mentions, key=lambda m: (m.paragraph, m.start))
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for slug, mention in sorted(first.items(), key=lambda item: (item[1].paragraph, item[1].start)):
        links[mention.paragraph].append((mention.text, slug))
    return dict(links)
