"""For each seed article: the lines cleaning removes (with the rule) and the paragraphs it keeps.

    uv run python benchmarks/cleaning.py [--verbose]

Seeds are ../shared/seeds/*.txt (raw scraped text, headline first), read as a whole article body
so that line numbers are the seed's own. tests/test_clean.py pins the same figures.
Also times cleaning of the seeds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from digest.intake.clean import clean
from digest.model import Article
from digest.settings import load_settings

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="also print the kept paragraphs")
    args = parser.parse_args()
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        print(f"skipped: no seeds in {SEEDS}")
        return 0
    articles = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        title = lines[1] if len(lines[0].split()) <= 4 else lines[0]  # a site name may stand first
        articles.append(Article(path=path, rel_path=path.name, slug=path.stem, title=title, source="",
                                published=dt.datetime(2015, 1, 1), has_time=False, body=text, body_line=1))
    started = time.perf_counter()
    clean(articles, load_settings())
    seconds = time.perf_counter() - started
    print(f"{'seed':28} {'lines':>5} {'removed':>7} {'paragraphs kept':>15} {'see also':>8}")
    for article in articles:
        total = sum(1 for line in article.body.splitlines() if line.strip())
        print(f"{article.rel_path:28} {total:5} {len(article.removed):7} {len(article.paragraphs):15} "
              f"{len(article.see_also):8}")
    for article in articles:
        print(f"\n{article.rel_path}")
        for item in article.removed:
            print(f"  - {item['line']:3}  {item['rule']:24} {item['text'][:90]}")
        if args.verbose:
            for paragraph in article.paragraphs:
                print(f"  + {paragraph[:110]}")
    print(f"\ncleaned {len(articles)} seeds in {1000 * seconds:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
