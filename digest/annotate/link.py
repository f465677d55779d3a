"""link(): related coverage, stories and "See also" links, across languages.

Every article becomes sparse feature vectors in channels (digest/annotate/features.py: words,
entities, numbers, names, sounds). A pair's score is the weighted mean of the channels' cosines
over the channels both articles have. A pair with no language in common (a Russian article
with no translation, an English one) is not penalised for lacking shared words: it is scored
on entities, numbers and dates with the spelling of names or of all words (the better of the
two; only when one of the two has English text: an Arabic and a Hindi one share no spelling
worth comparing; of all words only across scripts: two Latin-script languages share cognates
whatever the story), or on entities and numbers alone when it shares two entities or more.
Related coverage (digest/annotate/related.py) fades the score by time apart.

Scale: an inverted index over features proposes candidates: each article looks up only
its strongest features, and features in more than `max_postings` articles propose none.
Each other language's best-voted articles are candidates too (an untranslated article's own
language outvotes the rest). Candidates are then scored exactly. Memory grows with the number of articles times
features, never with pairs of articles.

Stories: average-link agglomerative clustering over the candidate pairs above
`story_threshold` within `story_window_days` (unknown pairs count as 0, which keeps
clusters from chaining). Editors' `story: slug` pins: articles pinned to the same slug are
one story; articles pinned to different slugs never share one. Two articles whose headlines
name different dates and none in common (a daily column: "Прогноз погоды на 8 ноября", "... на
9 ноября") are never one story's by their scores. A syndicated copy (the same
text from another source, digest.intake.articles) is always in its original's story, and is listed
on the original's page rather than as related coverage.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict

from ..cache import Cache
from ..intake.clean import Rule, load_rules
from ..model import Article, Entity, KeySentence, Related, Story
from ..parallel import fork_map
from ..sentences import SentenceSplitter
from ..settings import Settings
from .entities import EntityIndex, RegistryEntry, RussianNLP, find_entities, word_lists
from .features import ENTITIES, NAMES, NUMBERS, SOUNDS, Doc, Numbers, Terms, features, has_english
from .related import days_apart, related_coverage
from .summarize import dangling, strip_dateline


def link(articles: list[Article], settings: Settings, registry: list[RegistryEntry] | None = None,
         nlp: RussianNLP | None = None, cache: Cache | None = None,
         ) -> tuple[list[Story], list[Entity], dict[str, list[Related]]]:
    """Stories (most recent activity first), entities with a page (person, organisation,
    place), and related coverage per article slug. `registry` is the editors' entity
    registry (entities.load_registry); `nlp` holds loaded natasha models to reuse."""
    section = settings.section("link")
    words = word_lists()
    cache = cache or Cache(None)
    index = find_entities(articles, settings, registry, nlp, cache, words)
    page_entities = _page_entities(index.entities, articles, section)
    docs = features(articles, index, words, section, cache)
    scorer = _Scorer(docs, section)
    pairs = scorer.candidate_pairs()
    datelines = [rule for rule in load_rules(settings) if rule.kind == "dateline"]
    stories = _stories(docs, pairs, section, index, Terms(words["stopwords"]), Numbers(words["months"]), datelines)
    story_of = {slug: story.slug for story in stories for slug in story.articles}
    related = related_coverage(docs, pairs, scorer.score, section, story_of, {e.slug for e in page_entities})
    return stories, page_entities, related


def _page_entities(entities: list[Entity], articles: list[Article], section) -> list[Entity]:
    """The entities worth a page: registered ones, and found people, organisations and places
    named in `entity_page_min_articles` articles or in two languages. Fewer pages than
    entities: a page listing one or two articles in one language leads nowhere new, and
    each page costs build time. The others still count as features of their articles."""
    language = {a.slug: a.language for a in articles}
    least = section["entity_page_min_articles"]
    return [e for e in entities if e.type != "other" and (
        e.registered or len(e.mentions) >= least or len({language[s] for s in e.mentions}) > 1)]


# -- scoring ----------------------------------------------------------------------------------

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")  # Basic, Latin-1, Extended-A/B, Additional
# Other scripts' letters and their vowel signs (Greek to Hangul, not punctuation or symbols).
_OTHER_LETTER = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2e80-\ud7ff\uf900-\ufaff\uff66-\uffdc]")


def _latin_script(article: Article) -> bool:
    """The article's own text is written mostly in Latin letters (its first 600 characters)."""
    sample = " ".join([article.title, *article.paragraphs[:2]])[:600]
    latin = len(_LATIN_LETTER.findall(sample))
    return latin > len(_OTHER_LETTER.findall(sample))


# Channels of transliterated spelling (features.py), which score a pair only when it has no
# language in common, each together with the entities and numbers the pair shares (or those
# alone, when they share two entities or more: one number alone gave two posts 1.0).
_SPELLED = (NAMES, SOUNDS)


class _Scorer:
    def __init__(self, docs: list[Doc], section):
        self.docs = docs
        self.section = section
        self.weights = dict(section["weights"])
        # The spelling of all words (SOUNDS) compares a text in another script with English
        # (Лавров, Lavrov; Hindi's untransliterated loanwords); between two Latin-script
        # languages it measures their shared alphabet and cognates, whatever the story.
        # Read only where the channel is (a digest with an untranslated article), not on every build.
        self.latin = [SOUNDS in doc.vectors and _latin_script(doc.article) for doc in docs]

    def _weight(self, channel: str) -> float:
        return self.weights.get(channel, self.weights["words"])

    def score(self, i: int, j: int) -> tuple[float, dict[str, float]]:
        """Weighted mean of the channel cosines over the channels both have; words count
        once, in the best language both have."""
        a, b = self.docs[i], self.docs[j]
        cosines, shared = {}, {}
        for channel in a.vectors.keys() & b.vectors.keys():
            va, vb = a.weights(channel), b.weights(channel)
            shared[channel] = va.keys() & vb.keys()
            cosines[channel] = sum(va[f] * vb[f] for f in shared[channel])
        words = [c for c in cosines if c not in (ENTITIES, NUMBERS, *_SPELLED)]
        total = weight = 0.0
        if words:
            best = max(words, key=lambda c: cosines[c])
            total += self._weight(best) * cosines[best]
            weight += self._weight(best)
        for channel in (ENTITIES, NUMBERS):
            if channel in cosines:
                total += self._weight(channel) * cosines[channel]
                weight += self._weight(channel)
        score = total / weight if weight else 0.0
        spelled = [(total + self._weight(c) * cosines[c]) / (weight + self._weight(c)) for c in _SPELLED
                   if c in cosines and not (c == SOUNDS and self.latin[i] and self.latin[j])]
        if not words and spelled:  # no language in common: the spelling of names, or of all words, adds evidence
            if not (has_english(a.article) or has_english(b.article)):
                spelled = []  # ... only beside English: two untranslated languages share no spelling (Arabic, Hindi)
            score = max(spelled + ([score] if len(shared.get(ENTITIES, ())) >= 2 else []), default=0.0)
        return score, cosines

    def candidate_pairs(self) -> dict[int, list[tuple[int, float]]]:
        """For each article, its best candidates (index, score), best first. Candidates come
        from the postings of the article's strongest features, summed with numpy over only
        the articles those postings name."""
        import numpy as np  # here, not at the top: a rebuild answered by the cache never needs it

        limit = max(self.section["related_per_article"], self.section["story_candidates"])
        max_features = self.section["max_features"]
        # Each vector as features.py keeps it (`plain`: in the text's order, for its strongest
        # features, ties in that order) and sorted by feature number (`arrays`, for scoring a
        # shortlist in a few numpy calls rather than a Python loop per pair).
        plain = [doc.vectors for doc in self.docs]
        vocabulary = {channel: len(names) for channel, names in self.docs[0].vocabulary.items()} if self.docs else {}
        arrays = [{channel: _sorted_arrays(*pair) for channel, pair in doc.items()} for doc in plain]
        postings = {channel: _Postings(plain, channel, features, self.section["max_postings"])
                    for channel, features in vocabulary.items()}
        codes = {language: k for k, language in enumerate(sorted({doc.article.language for doc in self.docs}))}
        languages = np.array([codes[doc.article.language] for doc in self.docs])
        english = [has_english(doc.article) for doc in self.docs]
        latin = np.array(self.latin, dtype=bool)

        def best_for(i: int) -> list[tuple[int, float]]:
            indices, weights = [], []
            for channel, (ids, values) in plain[i].items():
                if channel == SOUNDS and english[i]:
                    continue  # spelling proposes candidates only for an article without English text
                # The strongest features, ties in the vector's order (as sorted() keeps them).
                top = np.argsort(-values, kind="stable")[:max_features.get(channel, max_features["words"])]
                found = postings[channel].lookup(ids[top], values[top])
                if found:
                    indices.append(found[0])
                    weights.append(found[1])
            if not indices:
                return []
            others, inverse = np.unique(np.concatenate(indices), return_inverse=True)
            votes = np.bincount(inverse, weights=np.concatenate(weights))
            votes[others == i] = -1.0
            keep = min(len(others), limit * 2)
            best = set(np.argpartition(-votes, keep - 1)[:keep].tolist())
            # Each other language's best-voted too: an untranslated article's own language
            # outvotes the rest, and coverage in another language is what the digest links.
            theirs = languages[others]
            for language in np.unique(theirs):
                if language != languages[i]:
                    members = np.flatnonzero(theirs == language)
                    few = min(len(members), limit)
                    best.update(members[np.argpartition(-votes[members], few - 1)[:few]].tolist())
            shortlist = [int(others[k]) for k in sorted(best) if votes[k] > 0]
            if not shortlist:
                return []
            scored = sorted(zip(shortlist, scores(i, shortlist)), key=lambda item: (-item[1], item[0]))
            kept = scored[:limit]
            for j, score in scored[limit:]:  # the best in each other language stays a candidate
                if all(languages[j] != languages[k] for k, _ in kept):
                    kept.append((j, score))
            return kept

        def scores(i: int, others: list[int]) -> list[float]:
            """score(i, j)[0] for each j in others."""
            total, weight = np.zeros(len(others)), np.zeros(len(others))
            best_words, best_weight = np.full(len(others), -np.inf), np.zeros(len(others))
            spelled = {c: np.full(len(others), np.nan) for c in _SPELLED}  # count only without words
            comparable = np.array([english[i] or english[j] for j in others], dtype=bool)
            entities = np.zeros(len(others))
            for channel, (ids, values) in arrays[i].items():
                both = [k for k, j in enumerate(others) if channel in arrays[j]]
                if not both:
                    continue
                theirs = [arrays[others[k]][channel] for k in both]
                starts = np.cumsum([0] + [len(t[0]) for t in theirs[:-1]])
                # Their features looked up among mine (ids are sorted): a dense vector of the
                # whole vocabulary per article would cost articles x vocabulary, which grows
                # faster than the digest.
                wanted = np.concatenate([t[0] for t in theirs])
                mine = np.zeros(len(wanted))
                if len(ids):
                    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
                    mine = np.where(ids[at] == wanted, values[at], 0.0)
                products = mine * np.concatenate([t[1] for t in theirs])
                cosines, both = np.add.reduceat(products, starts), np.array(both)
                if channel in (ENTITIES, NUMBERS):
                    total[both] += self._weight(channel) * cosines
                    weight[both] += self._weight(channel)
                    if channel == ENTITIES:
                        entities[both] = np.add.reduceat((products > 0).astype(np.int64), starts)
                elif channel in spelled:
                    if channel == SOUNDS and self.latin[i]:
                        cosines = np.where(latin[np.asarray(others)[both]], np.nan, cosines)  # see __init__
                    spelled[channel][both] = cosines
                else:  # words count once, in the language where the two are closest
                    better = cosines > best_words[both]
                    best_words[both[better]] = cosines[better]
                    best_weight[both[better]] = self._weight(channel)
            has_words = best_weight > 0
            total[has_words] += best_weight[has_words] * best_words[has_words]
            weight += best_weight
            score = np.divide(total, weight, out=np.zeros(len(others)), where=weight > 0)
            best_spelled = np.where(entities >= 2, score, -np.inf)
            any_spelled = np.zeros(len(others), dtype=bool)
            for channel, cosines in spelled.items():
                w = self._weight(channel)
                any_spelled |= ~np.isnan(cosines)
                by_channel = np.where(comparable, (total + w * cosines) / (weight + w), np.nan)
                best_spelled = np.fmax(best_spelled, by_channel)  # NaN: not both, or neither has English
            by_spelling = ~has_words & any_spelled
            score[by_spelling] = np.where(np.isfinite(best_spelled), best_spelled, 0.0)[by_spelling]
            return score.tolist()

        return dict(enumerate(fork_map(best_for, range(len(self.docs)), label="scoring related coverage")))


class _Postings:
    """The articles having each feature of one channel, with its weight in each: one array
    per field, features in number order (CSR). Only features in 2 to `max_postings`
    articles propose candidates; the others are unique or too common to say anything."""

    def __init__(self, plain: list[dict], channel: str, features: int, max_postings: int):
        import numpy as np

        having = [(i, doc[channel]) for i, doc in enumerate(plain) if channel in doc]
        ids = np.concatenate([pair[0] for _, pair in having])
        order = np.argsort(ids, kind="stable")  # each feature's articles stay in article order
        self.articles = np.repeat(np.array([i for i, _ in having], dtype=np.int32),
                                  [len(pair[0]) for _, pair in having])[order]
        self.weights = np.concatenate([pair[1] for _, pair in having])[order]
        self.counts = np.bincount(ids, minlength=features)
        self.starts = np.cumsum(self.counts) - self.counts
        self.usable = (self.counts > 1) & (self.counts <= max_postings)

    def lookup(self, features, weights):
        """(articles, their weight x the given weight) of each usable feature, in the order
        given, or None."""
        import numpy as np

        keep = self.usable[features]
        features, weights = features[keep], weights[keep]
        if not len(features):
            return None
        counts = self.counts[features]
        at = np.repeat(self.starts[features] - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
        return self.articles[at], self.weights[at] * np.repeat(weights, counts)


def _sorted_arrays(ids, values):
    order = ids.argsort()
    return ids[order], values[order]


# -- stories ----------------------------------------------------------------------------------

def _stories(docs: list[Doc], pairs: dict[int, list[tuple[int, float]]], section,
             index: EntityIndex, terms: Terms, numbers: Numbers, datelines: list[Rule]) -> list[Story]:
    threshold, window = section["story_threshold"], section["story_window_days"]
    # A daily column ("Прогноз погоды на 8 ноября", "Курс доллара на 9 ноября", "Weather for
    # December 8") reads the same every day: two headlines naming different dates, and no
    # date in common, are two events however alike their texts.
    dated = [numbers.dates(f"{d.article.title}\n{d.article.english_title}") for d in docs]
    edges: dict[tuple[int, int], float] = {}
    for i, candidates in pairs.items():
        for j, score in candidates:
            if dated[i] and dated[j] and not dated[i] & dated[j]:
                continue
            if score >= threshold and days_apart(docs[i].article, docs[j].article) <= window:
                edges[min(i, j), max(i, j)] = max(score, edges.get((min(i, j), max(i, j)), 0.0))
    position = {doc.article.slug: i for i, doc in enumerate(docs)}
    for i, doc in enumerate(docs):  # a syndicated copy is in its original's story, whatever the dates
        j = position.get(doc.article.copy_of or "")
        if j is not None:
            edges[min(i, j), max(i, j)] = 1.0
    clusters = average_link(len(docs), edges, threshold, [d.article.story_override for d in docs])
    stories = []
    used: set[str] = set()
    entity_type = {e.slug: e.type for e in index.entities}
    for members in sorted(clusters, key=lambda m: (not _pin(docs, m), min(docs[i].article.published for i in m))):
        pin = _pin(docs, members)
        if len(members) < section["min_story_articles"] and not pin:
            continue
        members = sorted(members, key=lambda i: (docs[i].article.published, docs[i].article.slug))
        centrality = {i: sum(edges.get((min(i, j), max(i, j)), 0.0) for j in members) for i in members}
        central = max(members, key=lambda i: (centrality[i], -members.index(i)))
        slug = pin or docs[members[0]].article.slug
        while slug in used:
            slug += "-story"
        used.add(slug)
        mentioned: Counter = Counter()
        for i in members:
            for entity in index.by_article.get(docs[i].article.slug, {}):
                mentioned[entity] += 1
        story = Story(
            slug=slug,
            title=docs[central].article.english_title,
            articles=[docs[i].article.slug for i in members],
            summary=_summary(docs, members, centrality, section, terms, datelines),
            entities=[e for e, _ in sorted(mentioned.items(), key=lambda item: (-item[1], item[0]))
                      if entity_type.get(e, "other") != "other"],
            first_published=docs[members[0]].article.published,
            last_published=docs[members[-1]].article.published,
            pinned=bool(pin),
        )
        stories.append(story)
    stories.sort(key=lambda s: (s.last_published, s.slug), reverse=True)
    return stories


def _pin(docs: list[Doc], members) -> str | None:
    pins = {docs[i].article.story_override for i in members if docs[i].article.story_override}
    return next(iter(pins)) if pins else None


def average_link(n: int, edges: dict[tuple[int, int], float], threshold: float,
                 pins: list[str | None]) -> list[list[int]]:
    """Groups of 0..n-1: merge the two groups with the highest mean similarity (pairs without
    an edge count 0) while it reaches the threshold. Same pin: merged first; different pins:
    never. Stories group articles; digest/annotate/storylines.py groups events."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    pin: dict[int, str | None] = {i: p or None for i, p in enumerate(pins)}
    owner = list(range(n))
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), score in edges.items():
        sums[i][j] = sums[j][i] = score
    version = [0] * n

    def merge(a: int, b: int) -> None:
        members[a] += members.pop(b)
        pin[a] = pin[a] or pin.pop(b)
        pin.pop(b, None)
        for i in members[a]:
            owner[i] = a
        for c, total in sums.pop(b, {}).items():
            sums[c].pop(b, None)
            if c != a:
                sums[a][c] = sums[a].get(c, 0.0) + total
                sums[c][a] = sums[a][c]
        sums[a].pop(a, None)
        version[a] += 1

    by_pin: dict[str, int] = {}
    for i, slug in enumerate(pins):
        if slug:
            if slug in by_pin:
                if owner[by_pin[slug]] != owner[i]:
                    merge(owner[by_pin[slug]], owner[i])
            else:
                by_pin[slug] = i
    heap = []

    def push(a: int) -> None:
        for c, total in sums[a].items():
            mean = total / (len(members[a]) * len(members[c]))
            if mean >= threshold:
                heapq.heappush(heap, (-mean, a, c, version[a], version[c]))

    for a in list(members):
        push(a)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue
        if pin.get(a) and pin.get(b) and pin[a] != pin[b]:
            continue
        merge(a, b)
        push(a)
    return list(members.values())


def _summary(docs: list[Doc], members: list[int], centrality: dict[int, float],
             section, terms: Terms, datelines: list[Rule]) -> list[KeySentence]:
    """Key sentences, one per source first, most central articles first: the sentence of each
    article sharing the most words and entities with the rest of the story."""
    shared: Counter = Counter()
    for i in members:
        for channel in docs[i].vectors:
            shared.update(f"{channel}:{f}" for f in docs[i].weights(channel))
    splitters: dict[str, SentenceSplitter] = {}
    picked: list[tuple[KeySentence, set[str]]] = []
    by_centrality = sorted(members, key=lambda i: -centrality[i])
    seen_sources: set[str] = set()
    for round_ in (0, 1):
        for i in by_centrality:
            article = docs[i].article
            if len(picked) >= section["story_summary_sentences"]:
                break
            if round_ == 0 and article.source in seen_sources:
                continue
            best = _best_sentence(article, shared, terms, splitters, section, [p[1] for p in picked], datelines)
            if best:
                picked.append(best)
                seen_sources.add(article.source)
    return [p[0] for p in picked]


def _best_sentence(article: Article, shared: Counter, terms: Terms, splitters: dict, section,
                   taken: list[set[str]], datelines: list[Rule]) -> tuple[KeySentence, set[str]] | None:
    english = article.english_paragraphs
    language = "en" if english else article.language
    paragraphs = english or article.paragraphs
    splitter = splitters.setdefault(language, SentenceSplitter(language))
    best, best_score = None, 0.0
    for paragraph in paragraphs:
        for sentence in splitter.split(paragraph):
            sentence = strip_dateline(sentence, datelines)  # "HONOLULU, Hawaii (HawaiiNewsNow) - NASA ..."
            n_words = len(sentence.split())
            if not section["min_sentence_words"] <= n_words <= section["max_sentence_words"] or dangling(sentence):
                continue  # a story's key sentence stands alone ("But Mr. Trump continues ..." does not)
            stems = set(terms(sentence, language))
            if not stems or any(len(stems & t) / len(stems | t) > 0.5 for t in taken):
                continue
            score = sum(shared[f"{language}:{s}"] - 1 for s in stems) / math.sqrt(len(stems))
            if score > best_score:
                best, best_score = (KeySentence(sentence, article.slug, article.source, language), stems), score
    return best
