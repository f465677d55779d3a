"""Time of the text stages (clean, language identification, summarize) on 1,000 real articles.

    uv run python benchmarks/text_stages.py [--articles N]

Articles: BBC News Summary bodies (English) and the tgcontest texts (Russian, English), with no
`language:`, so identification runs on every one. Prints seconds per stage and per 1,000
articles; compare with benchmarks/build_site.py's bare MkDocs build time for the same count.
Reads ../shared/data; exits with a message when it is absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
from pathlib import Path

from digest.intake.clean import clean
from digest.intake.language import identify_languages
from digest.model import Article
from digest.settings import load_settings
from digest.annotate.summarize import summarize

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def articles(count: int) -> list[Article]:
    found = []
    csv.field_size_limit(10**9)
    for path in sorted((DATA / "clustering" / "tgcontest").glob("*.tsv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                for side in ("first", "second"):
                    found.append((row.get(f"INPUT:{side}_title") or "", row[f"INPUT:{side}_text"]))
    bbc = DATA / "summarization" / "bbc-news-summary" / "BBC News Summary" / "News Articles"
    for path in sorted(bbc.glob("*/*.txt")):
        title, _, body = path.read_text(encoding="utf-8", errors="replace").partition("\n")
        found.append((title.strip(), body))
    return [Article(path=Path(f"a{i}.md"), rel_path=f"a{i}.md", slug=f"a{i}", title=title, source="X",
                    published=dt.datetime(2020, 1, 1), has_time=False, body=body, body_line=6)
            for i, (title, body) in enumerate(found[:count])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (the benchmark reads ../shared/data)")
        return 0
    settings = load_settings()
    batch = articles(args.articles)
    print(f"{len(batch)} articles ({sum(len(a.body.split()) for a in batch) // len(batch)} words on average)")
    total = 0.0
    for name, stage in (("clean", clean), ("language", identify_languages), ("summarize", summarize)):
        started = time.perf_counter()
        stage(batch, settings)
        seconds = time.perf_counter() - started
        total += seconds
        print(f"{name:10} {seconds:6.2f} s   {1000 * seconds / len(batch):6.2f} ms per article")
    print(f"{'total':10} {total:6.2f} s   {1000 * total / len(batch):6.2f} ms per article")

    return 0


if __name__ == "__main__":
    sys.exit(main())
