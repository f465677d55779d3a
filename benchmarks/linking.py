"""Benchmarks of the link stage (digest/annotate/link.py, digest/annotate/entities.py). Prints figures.

    uv run python benchmarks/linking.py [--only stories,crosslingual,ner,scale] [--sizes 1000,10000]

1. stories: same-story decisions on ../shared/data/clustering/tgcontest (OK = same story):
   every article of the three pools goes through link(); a pair is "same story" when both
   land in one story. Precision, recall, F1 (bar: F1 >= 0.85); then again with a syndicated
   copy of every 4th article added (same text, another source): the same pairs' F1, and how
   many copies share their original's story.
2. crosslingual: the documents of ../shared/data/mt/wmt22-ru-en (the 80 news ones, then all),
   Russian originals and English references, no translation model: for each Russian document,
   is its English counterpart the first English article in its related list? accuracy@1,
   beside a plain character-4-gram TF-IDF baseline on the same documents.
3. ner: mentions found by digest.annotate.entities (natasha for Russian, no registry) against
   ../shared/data/ner/factRuEval-2016/devset: precision, recall, F1 per type, exact spans.
4. scale: link() over N articles synthesised from real text (BBC News articles rewritten as
   several outlets' versions, plus the WMT documents), each N in its own process: seconds,
   articles per second and peak memory (RSS); the smallest N is the baseline the larger
   ones are compared with (linear growth = time ratio close to the size ratio).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import math
import random
import resource
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.intake.articles import collection_problems  # noqa: E402
from digest.annotate.mentions import MentionFinder  # noqa: E402
from digest.annotate.link import link  # noqa: E402
from digest.model import Article  # noqa: E402
from digest.settings import load_settings  # noqa: E402

DATA = REPO.parent / "shared" / "data"
TGCONTEST = DATA / "clustering" / "tgcontest"
WMT = DATA / "mt" / "wmt22-ru-en" / "wmttest2022.ru-en.all.xml"
FACTRU = DATA / "ner" / "factRuEval-2016" / "devset"
BBC = DATA / "summarization" / "bbc-news-summary" / "BBC News Summary" / "News Articles"
DAY = dt.datetime(2020, 5, 6)


def make_article(slug: str, title: str, paragraphs: list[str], language: str, source: str,
                 published: dt.datetime = DAY) -> Article:
    return Article(path=Path(slug), rel_path=slug, slug=slug, title=title, source=source,
                   published=published, has_time=False, body="\n\n".join(paragraphs), body_line=1,
                   language=language, paragraphs=paragraphs)


def missing(path: Path) -> bool:
    if not path.exists():
        print(f"  skipped: {path} is absent (benchmarks read ../shared/data beside the repository)")
        return True
    return False


# -- 1. same-story decisions ----------------------------------------------------------------

def bench_stories(settings) -> None:
    print("1. Same-story decisions, tgcontest pairs (OK = same story)")
    if missing(TGCONTEST):
        return
    csv.field_size_limit(sys.maxsize)
    articles: dict[str, Article] = {}
    pairs = []
    for name in ("en_train_pool.tsv", "ru_train_pool.tsv", "ru_exam_pool.tsv"):
        language = name[:2]
        with open(TGCONTEST / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                ids = []
                for side in ("first", "second"):
                    url = row[f"INPUT:{side}_url"]
                    slug = f"{language}-{len(articles)}" if url not in articles else articles[url].slug
                    if url not in articles:
                        source = url.split("/")[2]
                        articles[url] = make_article(slug, row[f"INPUT:{side}_title"],
                                                     [row[f"INPUT:{side}_text"]], language, source)
                    ids.append(articles[url].slug)
                pairs.append((ids[0], ids[1], row["GOLDEN:quality"] == "OK", language))
    for label, with_copies in (("", False), ("with syndicated copies", True)):
        pool = list(articles.values())
        if with_copies:
            print("  and again with a syndicated copy of every 4th article (the same text, another source, a day"
                  " later), marked as digest.intake.articles marks them:")
            pool += [dataclasses.replace(a, slug=f"{a.slug}-copy", rel_path=f"{a.rel_path}-copy",
                                         source=f"syndicator {n}", published=a.published + dt.timedelta(days=1))
                     for n, a in enumerate(pool[::4])]
            problems = collection_problems(pool, settings)
            assert not problems, problems[:3]
        _bench_story_pairs(pool, pairs, settings)


def _bench_story_pairs(pool: list[Article], pairs, settings) -> None:
    started = time.perf_counter()
    stories, _, related = link(pool, settings)
    seconds = time.perf_counter() - started
    story_of = {slug: story.slug for story in stories for slug in story.articles}
    counts = Counter()
    for a, b, same, language in pairs:
        decided = a in story_of and story_of.get(a) == story_of.get(b)
        counts[language, decided, same] += 1
        counts["all", decided, same] += 1
    for language in ("en", "ru", "all"):
        tp, fp, fn = counts[language, True, True], counts[language, True, False], counts[language, False, True]
        tn = counts[language, False, False]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {language:>3}: pairs {tp + fp + fn + tn:3d}  precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
              f"  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    copies = [a for a in pool if a.copy_of]
    if copies:
        together = sum(a.slug in story_of and story_of[a.slug] == story_of.get(a.copy_of) for a in copies)
        listed = sum(a.slug in {r.slug for rs in related.values() for r in rs} for a in copies)
        print(f"  copies in their original's story: {together}/{len(copies)}; listed as related coverage: {listed}")
    print(f"  {len(pool)} articles linked in {seconds:.1f} s; bar: F1 >= 0.85")


# -- 2. cross-lingual without MT ------------------------------------------------------------

def wmt_documents(news_only: bool = True) -> list[tuple[str, list[str], list[str]]]:
    """(doc id, Russian paragraphs, English paragraphs) of the news documents (or of all)."""
    documents = []
    for doc in ET.parse(WMT).getroot().iter("doc"):
        if news_only and doc.get("domain") != "news":
            continue
        sides = []
        for tag in ("src", "ref"):
            part = doc.find(tag)
            sides.append([" ".join((seg.text or "").strip() for seg in p.iter("seg")) for p in part.iter("p")]
                         if part is not None else [])
        if all(sides):
            documents.append((doc.get("id"), *sides))
    return documents


def char_ngram_baseline(documents) -> float:
    """accuracy@1 of a plain TF-IDF over character 4-grams of the transliterated text
    (anyascii, lower case, 4-grams inside space-padded words as scikit-learn's char_wb;
    sublinear tf, smoothed idf, l2): is each Russian document's nearest English one its
    counterpart?"""
    from anyascii import anyascii

    def grams(paragraphs: list[str]) -> Counter:
        counts = Counter()
        for word in anyascii(" ".join(paragraphs)).lower().split():
            word = f" {word} "
            counts.update(word[i:i + 4] for i in range(max(len(word) - 3, 1)))
        return counts

    russian = [grams(ru) for _, ru, _ in documents]
    english = [grams(en) for _, _, en in documents]
    df = Counter(g for counts in russian + english for g in counts)
    n = len(russian) + len(english)

    def vector(counts: Counter) -> dict:
        weights = {g: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {g: w / norm for g, w in weights.items()}

    ru_vectors, en_vectors = [vector(c) for c in russian], [vector(c) for c in english]
    hits = 0
    for i, a in enumerate(ru_vectors):
        scores = [sum(w * b.get(g, 0.0) for g, w in a.items()) for b in en_vectors]
        hits += max(range(len(scores)), key=scores.__getitem__) == i
    return hits / len(documents)


def bench_crosslingual(settings) -> None:
    print("2. Cross-lingual related coverage without MT, WMT22 ru-en documents (Russian originals,"
          " English references)")
    if missing(WMT):
        return
    for label, news_only in (("news", True), ("all", False)):
        documents = wmt_documents(news_only)
        articles = []
        for doc_id, russian, english in documents:
            for language, paragraphs in (("ru", russian), ("en", english)):
                articles.append(make_article(f"{language}-{doc_id}", paragraphs[0][:200], paragraphs[1:] or paragraphs,
                                             language, doc_id.split(".")[0]))
        started = time.perf_counter()
        _, _, related = link(articles, settings)
        seconds = time.perf_counter() - started
        hits = total = listed = 0
        for article in articles:
            if article.language != "ru":
                continue
            total += 1
            english = [r.slug for r in related.get(article.slug, []) if r.slug.startswith("en-")]
            counterpart = "en-" + article.slug[3:]
            hits += bool(english) and english[0] == counterpart
            listed += counterpart in english
        baseline = char_ngram_baseline(documents)
        print(f"  {label:>4}: {total} documents: accuracy@1 {hits / total:.3f} ({hits}/{total}); counterpart "
              f"listed at all: {listed / total:.3f}; char-4-gram TF-IDF baseline accuracy@1 {baseline:.3f}; "
              f"linked in {seconds:.1f} s")
    print("  bar: accuracy@1 >= the baseline (issue 15: >= 0.97)")


# -- 3. entities ---------------------------------------------------------------------------

_FACTRU_TYPES = {"Person": "person", "Org": "organisation", "Location": "place", "LocOrg": "place"}


def factru_gold(stem: Path) -> set[tuple[int, int, str]]:
    """Gold mentions: the extent of each object's name spans (descriptors such as "мэрии"
    are not part of a name); LocOrg counts as a place, as natasha tags it."""
    spans = {}
    for line in stem.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 4:
            spans[fields[0]] = (fields[1], int(fields[2]), int(fields[3]))
    gold = set()
    for line in stem.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) < 3 or fields[1] not in _FACTRU_TYPES:
            continue
        parts = [spans[s] for s in fields[2:] if s in spans and not spans[s][0].endswith("descr")
                 and spans[s][0] != "job"]
        if parts:
            start = min(p[1] for p in parts)
            end = max(p[1] + p[2] for p in parts)
            gold.add((start, end, _FACTRU_TYPES[fields[1]]))
    return gold


def bench_ner(settings) -> None:
    print("3. Entities: natasha mentions vs factRuEval-2016 devset (exact spans)")
    if missing(FACTRU):
        return
    finder = MentionFinder([])
    counts = Counter()
    started = time.perf_counter()
    stems = sorted(FACTRU.glob("*.txt"))
    for path in stems:
        text = path.read_text(encoding="utf-8")
        gold = factru_gold(path.with_suffix(""))
        found = {(c.start, c.end, c.type) for c in finder.candidates(text, "ru", "paragraphs", 0) if c.type}
        for kind in ("person", "organisation", "place"):
            g = {m for m in gold if m[2] == kind}
            f = {m for m in found if m[2] == kind}
            counts[kind, "tp"] += len(g & f)
            counts[kind, "fp"] += len(f - g)
            counts[kind, "fn"] += len(g - f)
    seconds = time.perf_counter() - started
    for kind in ("person", "organisation", "place", "all"):
        kinds = ("person", "organisation", "place") if kind == "all" else (kind,)
        tp, fp, fn = (sum(counts[k, x] for k in kinds) for x in ("tp", "fp", "fn"))
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"  {kind:>12}: precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  (gold {tp + fn})")
    print(f"  {len(stems)} documents in {seconds:.1f} s")


# -- 4. scale ------------------------------------------------------------------------------

def synthetic_articles(size: int) -> list[Article]:
    """BBC articles as told by several outlets (each keeps a different share of the
    paragraphs, a few hours apart), plus the WMT documents in Russian and English."""
    rng = random.Random(13)
    base = []
    for path in sorted(BBC.glob("*/*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").split("\n\n")]
        lines = [line for line in lines if line]
        if len(lines) >= 3:
            base.append((path.parent.name + "-" + path.stem, lines[0], lines[1:]))
    articles = []
    for doc_id, russian, english in wmt_documents():
        articles.append(make_article(f"wmt-ru-{doc_id}", russian[0][:200], russian[1:] or russian, "ru", "wmt"))
        articles.append(make_article(f"wmt-en-{doc_id}", english[0][:200], english[1:] or english, "en", "wmt"))
    start = dt.datetime(2004, 1, 1)
    k = 0
    while len(articles) < size:
        doc_id, title, paragraphs = base[k % len(base)]
        version = k // len(base)
        kept = [p for p in paragraphs if rng.random() < 0.8] or paragraphs[:1]
        published = start + dt.timedelta(hours=3 * (k % len(base)) + 5 * version)
        articles.append(make_article(f"{doc_id}-v{version}", title if version == 0 else f"{title} ({version})",
                                     kept, "en", f"outlet-{version}", published))
        k += 1
    return articles[:size]


def scale_one(size: int) -> dict:
    settings = load_settings()
    articles = synthetic_articles(size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    stories, entities, related = link(articles, settings)
    seconds = time.perf_counter() - started
    return {"size": size, "seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_before_mb": rss_before / 1024, "stories": len(stories), "entities": len(entities),
            "related": sum(len(v) for v in related.values())}


def bench_scale(sizes: list[int]) -> None:
    print("4. Scale: link() over synthetic articles from real text (one process per size)")
    if missing(BBC) or missing(WMT):
        return
    results = []
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--scale-one", str(size)], capture_output=True,
                             text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        print(f"  {size:6d} articles: {result['seconds']:7.1f} s  {size / result['seconds']:6.0f} articles/s  "
              f"peak RSS {result['peak_rss_mb']:6.0f} MB (articles loaded: {result['rss_before_mb']:.0f} MB)  "
              f"{result['stories']} stories, {result['entities']} entities, {result['related']} related")
    base = results[0]
    for result in results[1:]:
        ratio = result["size"] / base["size"]
        print(f"  x{ratio:.0f} articles vs baseline {base['size']}: time x{result['seconds'] / base['seconds']:.1f}, "
              f"memory above the loaded articles x{(result['peak_rss_mb'] - result['rss_before_mb']) / max(base['peak_rss_mb'] - base['rss_before_mb'], 1):.1f}"
              f" (quadratic would be x{ratio * ratio:.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="stories,crosslingual,ner,scale")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scale_one:
        print(json.dumps(scale_one(args.scale_one)))
        return
    settings = load_settings()
    parts = args.only.split(",")
    if "stories" in parts:
        bench_stories(settings)
    if "crosslingual" in parts:
        bench_crosslingual(settings)
    if "ner" in parts:
        bench_ner(settings)
    if "scale" in parts:
        bench_scale([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
