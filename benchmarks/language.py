"""Language identification (digest/intake/language.py), three ways in one run. Prints figures.

    uv run python benchmarks/language.py [--limit N]

Ways: the digest's (lingua's accurate models over `language.candidates`, its low-accuracy
models over every language it knows, the latter's answer kept for a text of 120 letters or more
outside the list); the list alone (the digest before); every language with the accurate models.

1. Cost: a fresh process per way detecting one English paragraph (lingua loads the models of
   the text's script on first use): seconds and peak memory.
2. WMT22 sentences with a known language (150 Russian, 150 Chinese sources and 150 English
   references of each pair, seeded sample, > 20 characters), whole and cut to four words
   (eight characters for Chinese): accuracy.
3. The Telegram contest's 488 news pages (one hour of 2020, many languages; no gold language:
   the contest's own guess is coarse, "other-latin"), read as `digest add` reads them: the
   languages each way gives, and every page on which the digest's way and the list disagree,
   counted by pair with one headline each, so a reader can judge which is right.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.errors import DigestError  # noqa: E402
from digest.intake.importer import infer_html  # noqa: E402
from digest.intake.language import LanguageDetector  # noqa: E402
from digest.intake.sources import load_sources  # noqa: E402
from digest.settings import load_settings  # noqa: E402

DATA = REPO.parent / "shared" / "data"
LISTED = ["en", "ru", "uk", "be", "bg", "sr", "kk", "zh", "ja", "ko", "ar", "fa", "tr", "de", "fr", "es",
          "it", "pt", "nl", "pl"]


def wmt_sentences() -> list[tuple[str, str]]:
    rng = random.Random(1)
    items = []
    for pair, language in (("ru-en", "ru"), ("zh-en", "zh")):
        stem = DATA / "mt" / f"wmt22-{pair}" / f"generaltest2022.{pair}."
        sources = [line.strip() for line in open(f"{stem}src.{language}", encoding="utf-8") if len(line.strip()) > 20]
        references = [line.strip() for line in open(f"{stem}ref.A.en", encoding="utf-8") if len(line.strip()) > 20]
        items += [(text, language) for text in rng.sample(sources, 150)]
        items += [(text, "en") for text in rng.sample(references, 150)]
    return items


def four_words(text: str) -> str:
    return " ".join(text.split()[:4]) if " " in text else text[:8]


def telegram_texts(limit: int | None) -> list[tuple[str, str]]:
    """(title, title + cleaned text) of each page, as `digest add` infers them."""
    folder = DATA / "extraction" / "telegram-contest-2020-pages" / "html"
    settings, sources = load_settings(), load_sources()
    texts = []
    for path in sorted(folder.glob("*.html"))[:limit]:
        try:
            found = infer_html(path.read_bytes(), None, settings, sources)
        except DigestError:
            continue
        texts.append((found.title, f"{found.title}\n{found.body}"))
    return texts


WAYS = ("digest", "list", "all accurate")
COST = """
import resource, sys, time
sys.path.insert(0, {repo!r})
started = time.perf_counter()
from benchmarks.language import detector
detector({way!r})("Moscow criticized Washington for its Syria policy on Monday, ahead of the visit.")
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def detector(way: str):
    """text -> ISO 639-1 code (or "und"), for one of WAYS."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    if way == "digest":
        digest = LanguageDetector(LISTED)
        return lambda text: digest.detect(text)[0]
    if way == "list":
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LISTED]
        lingua = LanguageDetectorBuilder.from_languages(*languages).build()
    else:
        lingua = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str:
        found = lingua.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "und"
    return detect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N Telegram pages")
    args = parser.parse_args()

    print("1. Cost in a fresh process: detect one English paragraph")
    for way in WAYS:
        out = subprocess.run([sys.executable, "-c", COST.format(repo=str(REPO), way=way)],
                             capture_output=True, text=True, check=True).stdout.split()
        print(f"  {way:12} {float(out[0]):5.1f} s  peak {int(out[1]):5d} MB")
    detectors = {way: detector(way) for way in WAYS}

    print("2. WMT22 sentences: accuracy")
    items = wmt_sentences()
    for label, cut in (("whole", lambda t: t), ("four words", four_words)):
        right = {way: sum(detect(cut(text)) == gold for text, gold in items) / len(items)
                 for way, detect in detectors.items()}
        print(f"  {label:10} {len(items)} sentences: " + "  ".join(f"{way} {share:.1%}" for way, share in right.items()))

    print("3. Telegram contest pages, as digest add reads them")
    texts = telegram_texts(args.limit)
    found = {way: [detect(text) for _, text in texts] for way, detect in detectors.items()}
    for way in WAYS:
        print(f"  {way:12}: " + ", ".join(f"{code} {n}" for code, n in Counter(found[way]).most_common()))
    for other in ("list", "all accurate"):
        pairs, example = Counter(), {}
        for (title, _), a, b in zip(texts, found["digest"], found[other]):
            if a != b:
                pairs[a, b] += 1
                example.setdefault((a, b), title)
        print(f"  digest and {other} disagree on {sum(pairs.values())} of {len(texts)} pages "
              f"(digest / {other}: count, one headline):")
        for (a, b), n in pairs.most_common():
            print(f"    {a:3} / {b:3} {n:3}  {example[a, b][:90]}")


if __name__ == "__main__":
    main()
