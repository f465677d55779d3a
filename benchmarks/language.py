"""Language identification (digest/intake/language.py): every language lingua knows (the default,
`language.candidates: []`) against a list of 20 (the default before), in one run. Prints figures.

    uv run python benchmarks/language.py [--limit N]

1. WMT22 sentences with a known language (150 Russian, 150 Chinese sources and 150 English
   references of each pair, seeded sample, > 20 characters), whole and cut to four words
   (eight characters for Chinese): accuracy.
2. The Telegram contest's 488 news pages (one hour of 2020, many languages; no gold language:
   the contest's own guess is coarse, "other-latin"), read as `digest add` reads them: the
   languages each setting gives, and every page on which they disagree, counted by pair with
   one headline each, so a reader can judge which is right.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N Telegram pages")
    args = parser.parse_args()
    every, listed = LanguageDetector(), LanguageDetector(LISTED)

    print("1. WMT22 sentences: accuracy, all 75 languages vs a list of 20")
    items = wmt_sentences()
    for label, cut in (("whole", lambda t: t), ("four words", four_words)):
        right = [sum(d.detect(cut(text))[0] == gold for text, gold in items) / len(items) for d in (every, listed)]
        print(f"  {label:10} {len(items)} sentences: all {right[0]:.1%}  list {right[1]:.1%}")

    print("2. Telegram contest pages, as digest add reads them")
    texts = telegram_texts(args.limit)
    found, seconds = {}, {}
    for name, detector in (("all", every), ("list", listed)):
        started = time.perf_counter()
        found[name] = [detector.detect(text)[0] for _, text in texts]
        seconds[name] = time.perf_counter() - started
    for name in found:
        counts = Counter(found[name]).most_common()
        print(f"  {name:4}: {len(texts)} pages in {seconds[name]:.1f} s (models loaded included); "
              + ", ".join(f"{code} {n}" for code, n in counts))
    pairs = Counter()
    example = {}
    for (title, _), a, b in zip(texts, found["all"], found["list"]):
        if a != b:
            pairs[a, b] += 1
            example.setdefault((a, b), title)
    print(f"  they disagree on {sum(pairs.values())} pages (all / list: count, one headline):")
    for (a, b), n in pairs.most_common():
        print(f"    {a:3} / {b:3} {n:3}  {example[a, b][:90]}")


if __name__ == "__main__":
    main()
