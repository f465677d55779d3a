"""Related coverage: the articles listed beside each article, from the link stage's scored
candidate pairs (digest/annotate/link.py), and the "See also" headlines an article names.

Kept apart from link.py, which scores pairs and groups stories: this is what a page lists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..model import Article, Related
from .features import ENTITIES, NUMBERS, WORD, Doc


def days_apart(a: Article, b: Article) -> float:
    return abs((a.published - b.published).total_seconds()) / 86400


def related_coverage(docs: list[Doc], pairs: dict[int, list[tuple[int, float]]],
                     score_of: Callable[[int, int], tuple[float, dict]], section,
                     story_of: dict[str, str], page_entities: set[str]) -> dict[str, list[Related]]:
    """Each article's related coverage (slug -> records, best first) from its candidate
    pairs (index -> [(index, score)]), faded by time apart; "See also" headlines matched."""
    by_title = _titles(docs)
    choices = list(by_title)
    result: dict[str, list[Related]] = {}
    for i, candidates in pairs.items():
        a = docs[i].article
        records, languages = [], {}
        for j, score in candidates:
            b = docs[j].article
            if b.copy_of or b.slug in a.copies or a.copy_of == b.slug:
                continue  # a syndicated copy is listed on its original's page, not as coverage
            days = days_apart(a, b)
            faded = score / (1 + days / section["time_scale_days"])
            if faded >= section["min_related_score"]:
                records.append(_record(docs, i, j, faded, days, story_of, page_entities))
                languages[b.slug] = b.language
        records.sort(key=lambda r: (-r.score, r.slug))
        records = _keep(records, languages, a.language, section["related_per_article"])
        for j in _see_also(a, by_title, choices, section, i):
            record = next((r for r in records if r.slug == docs[j].article.slug), None)
            if record is None:
                score, _ = score_of(i, j)
                record = _record(docs, i, j, score / (1 + days_apart(a, docs[j].article) / section["time_scale_days"]),
                                 days_apart(a, docs[j].article), story_of, page_entities)
                records.append(record)
            record.see_also = True
        records.sort(key=lambda r: (-r.score, r.slug))
        result[a.slug] = records
    return result


def _keep(records: list[Related], languages: dict[str, str], own: str, count: int) -> list[Related]:
    """The best `count` records, among them the best in each other language (coverage
    across languages is what the digest links; an untranslated article's own language
    would otherwise fill every place), in score order."""
    firsts = {}
    for record in records:
        if languages[record.slug] != own:
            firsts.setdefault(languages[record.slug], record)
    kept = list(firsts.values())[:count]
    kept += [r for r in records if r not in kept][:count - len(kept)]
    return sorted(kept, key=lambda r: (-r.score, r.slug))


def _record(docs, i, j, score, days, story_of, page_entities) -> Related:
    a, b = docs[i], docs[j]
    shared = {}
    for channel in (ENTITIES, NUMBERS):
        va, vb = a.weights(channel), b.weights(channel)
        shared[channel] = sorted((f for f in va.keys() & vb.keys()), key=lambda f: (-va[f] * vb[f], f))
    story = story_of.get(a.article.slug)
    return Related(
        slug=b.article.slug,
        score=round(score, 4),
        shared_entities=[e for e in shared[ENTITIES] if e in page_entities][:8],
        shared_numbers=[a.labels.get(f, f) for f in shared[NUMBERS]][:5],
        same_story=story is not None and story == story_of.get(b.article.slug),
        days_apart=round(days, 2),
    )


def _normal_title(title: str) -> str:
    return " ".join(WORD.findall(title.lower()))


def _titles(docs: list[Doc]) -> dict[str, list[int]]:
    titles: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for title in {doc.article.title, doc.article.english_title}:
            titles[_normal_title(title)].append(i)
    return titles


def _see_also(article: Article, by_title: dict[str, list[int]], choices: list[str], section,
              self_index: int) -> list[int]:
    """Articles whose headline is one this article names under "See also"."""
    found = []
    for headline in article.see_also:
        key = _normal_title(headline)
        matches = [i for i in by_title.get(key, []) if i != self_index]
        if not matches and key:
            # Imported here: most articles name nothing under "See also".
            from rapidfuzz import fuzz, process

            best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=section["see_also_similarity"])
            matches = [i for i in by_title[best[0]] if i != self_index] if best else []
        for i in matches[:1]:
            if i not in found:
                found.append(i)
    return found
