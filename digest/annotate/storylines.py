"""storylines(): topics followed across weeks and events.

A story is one event (digest/annotate/link.py: articles that tell the same news within days). A
storyline is a topic that runs through several events over weeks: the same people,
organisations and places, met again (US-Russia coordination against Islamic State, Sep-Dec
2015, in five articles and four events). The link stage's text similarity cannot see it: the
events share few words. Their entities can.

Each event (a story, or an article in none) is a vector of the entities with a page that its
articles name, news outlets aside (the sources registry's and the digest's own sources: who
reported is no topic). TF-IDF: (1 + log count) x smoothed idf, so an entity named everywhere
weighs little; events are grouped by average-link clustering of their cosines: two groups merge
while their mean similarity (pairs further apart than `storyline_window_days` count 0, which
keeps a long run of loosely related events from chaining) reaches `storyline_threshold`; two
events are related only when they share `storyline_shared_entities` entities besides those named
in over a quarter of the digest's events. A
storyline has at least `min_storyline_events` events, begun on at least `min_storyline_days`
days. Candidate pairs come from an inverted index over each event's strongest entities, so the
work grows with events, not their pairs.

Editors pin with `storyline: slug` in front matter: articles pinned to one slug are one
storyline (merging what the clustering would keep apart); articles pinned to different slugs
are never in one (splitting it).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..intake.sources import SourceRegistry, name_key
from ..model import Article, Entity, Story, Storyline
from ..settings import Settings
from .link import average_link

# Below this many events, no entity is "common" (the five seed articles all name the US and Russia).
COMMON_AFTER_EVENTS = 20


@dataclass
class _Event:
    key: str  # the story's slug, or the article's
    story: Story | None
    articles: list[Article]  # oldest first
    vector: dict[str, float]

    @property
    def first(self):
        return self.articles[0].published

    @property
    def last(self):
        return self.articles[-1].published


def storylines(articles: list[Article], stories: list[Story], entities: list[Entity],
               settings: Settings, sources: SourceRegistry | None = None) -> list[Storyline]:
    """The storylines of the digest, most recent activity first. `sources`: the sources
    registry (intake.sources.load_sources), whose outlets are no topic."""
    section = settings.section("link")
    outlets = _outlets(entities, articles, sources)
    events = _events(articles, stories, [e for e in entities if e.slug not in outlets])
    edges = _edges(events, section)
    pins = [next((a.storyline_override for a in e.articles if a.storyline_override), None) for e in events]
    groups = average_link(len(events), edges, section["storyline_threshold"], pins)
    result = []
    used: set[str] = {"index"}  # storylines/index.md lists them all
    for members in groups:
        pin = next((pins[i] for i in members if pins[i]), None)
        if not pin and (len(members) < section["min_storyline_events"]
                        or len({events[i].first.date() for i in members}) < section["min_storyline_days"]):
            continue  # a topic of one day's news is no storyline (a digest of one hour made ten)
        members.sort(key=lambda i: (events[i].first, events[i].key))
        timeline = [events[i] for i in members]
        weight: Counter = Counter()
        for event in timeline:
            weight.update(event.vector)
        central = max(members, key=lambda i: (sum(edges.get((min(i, j), max(i, j)), 0.0) for j in members),
                                              len(events[i].articles), events[i].key))
        slug = pin or timeline[0].articles[0].slug
        while slug in used:
            slug += "-storyline"
        used.add(slug)
        result.append(Storyline(
            slug=slug,
            title=events[central].story.title if events[central].story else events[central].articles[0].english_title,
            events=[e.key for e in timeline],
            stories=[e.story.slug for e in timeline if e.story],
            articles=[a.slug for e in timeline for a in e.articles],
            entities=[slug for slug, _ in sorted(weight.items(), key=lambda item: (-item[1], item[0]))][:12],
            first_published=timeline[0].first,
            last_published=max(e.last for e in timeline),
            pinned=bool(pin),
        ))
    result.sort(key=lambda s: (s.last_published, s.slug), reverse=True)
    return result


def _outlets(entities: list[Entity], articles: list[Article], sources: SourceRegistry | None) -> set[str]:
    """Entities that are news outlets (the sources registry's, or a source of the digest's
    articles): an outlet credited in the text ("(AP)", "Reuters reported") says who reported,
    not what about; two reports crediting AP made a storyline of a kidnapping and a virus."""
    own = {name_key(a.source) for a in articles if a.source}
    return {e.slug for e in entities
            if any(name_key(name) in own or (sources and sources.named(name)) for name in (e.name, *e.aliases))}


def _events(articles: list[Article], stories: list[Story], entities: list[Entity]) -> list[_Event]:
    by_slug = {a.slug: a for a in articles}
    story_of = {slug: story for story in stories for slug in story.articles}
    members: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        story = story_of.get(article.slug)
        members[story.slug if story else article.slug].append(article)
    named: dict[str, Counter] = defaultdict(Counter)  # article slug -> entity slug -> mentions
    for entity in entities:
        for slug, mentions in entity.mentions.items():
            if slug in by_slug:
                named[slug][entity.slug] += len(mentions)
    counts = {}
    for key, items in members.items():
        total = Counter()
        for article in items:
            total.update(named[article.slug])
        counts[key] = total
    df = Counter(entity for total in counts.values() for entity in total)
    n = len(counts)
    events = []
    for key, items in members.items():
        weights = {e: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[e])) + 1) for e, c in counts[key].items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        items.sort(key=lambda a: (a.published, a.slug))
        story = story_of.get(items[0].slug)
        events.append(_Event(key, story, items, {e: w / norm for e, w in weights.items()} if norm else {}))
    return sorted(events, key=lambda e: (e.first, e.key))


def _edges(events: list[_Event], section) -> dict[tuple[int, int], float]:
    """Cosines of the pairs of events that share one of their strongest entities, within
    the window; entities in more than `max_postings` events propose no pairs. A pair sharing
    fewer than `storyline_shared_entities` entities is none: two events that only both name
    China (a city council's session, a potato harvest) are no topic, however high the cosine
    of two short vectors."""
    window = section["storyline_window_days"]
    strongest = section["max_features"]["entities"]
    # An entity named in over a quarter of a digest's events ("U.S." in 44 of the 119 events
    # of the article-extraction pages' three days) is the digest's setting, not a topic: it
    # weighs in the cosine (little: its idf is low) but is not one of the entities a pair must
    # share (a kidnapping in Texas and an auto show shared "Ford" and "U.S.").
    named_in = Counter(entity for event in events for entity in event.vector)
    common = {e for e, n in named_in.items() if n * 4 > len(events)} if len(events) >= COMMON_AFTER_EVENTS else set()
    postings: dict[str, list[int]] = defaultdict(list)
    for i, event in enumerate(events):
        for entity, _ in heapq.nlargest(strongest, event.vector.items(), key=lambda item: item[1]):
            postings[entity].append(i)
    edges = {}
    # Events are in order of their first day, and so are the members of each posting: once
    # an event starts more than `window` days after i has ended, every later one does too.
    first = [event.first.timestamp() / 86400 for event in events]
    last = [event.last.timestamp() / 86400 for event in events]
    for entity, members in postings.items():
        if len(members) > section["max_postings"]:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if first[j] - last[i] > window:
                    break
                if (i, j) in edges or _days_apart(events[i], events[j]) > window:
                    continue
                a, b = events[i].vector, events[j].vector
                shared = [e for e in a if e in b]
                if len([e for e in shared if e not in common]) >= section["storyline_shared_entities"]:
                    edges[i, j] = sum(a[e] * b[e] for e in shared)
    return edges


def _days_apart(a: _Event, b: _Event) -> float:
    """Days between two events' spans (0 when they overlap)."""
    gap = max(a.first, b.first) - min(a.last, b.last)
    return max(gap.total_seconds(), 0.0) / 86400
