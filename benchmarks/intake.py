"""What `digest add` makes of real texts and saved pages, against the rule it replaced.

    uv run python benchmarks/intake.py [--limit N]

Reads ../shared/data (exits with a message when it is absent):
  * BBC News Summary raw texts (2,225; the headline is the first line): headline right, words
    of the body lost, empty summaries, time per text; for ours (a line is a site name only
    when the sources registry knows it) and for the rule it replaced in the same run (any
    first line of <= 4 words without punctuation, above a longer one, was a site name);
  * the WMT22 zh news documents: the Xinhua articles in the test set's source side, each from
    its "…-新华网" headline line to the next such line (at most 40 lines: the file carries no
    document boundaries, so a document's tail may hold the next, non-news, lines), pasted as
    one raw text with single newlines: headline right (gold: the line without "-新华网"),
    publication named Xinhua, words lost, empty summaries;
  * saved pages: Telegram's contest pages (gold headline: the page's own <h1>), the
    article-extraction benchmark (gold body), the Chinese web-content set and htmltotext (gold text):
    headline right, publication named (of the pages with text), share of the gold body's words
    lost (as imported, and after the clean stage), junk kept (share of the cleaned text's words
    the gold body lacks: boilerplate the build still shows), '|' table rows, empty summaries, pages whose text, cleaned as a build cleans it, still
    shows the headline or a "by ..." byline line in its first paragraphs, time per page.
An empty summary counts only for a text of two sentences or more. Words are compared as
multisets of lower-cased word tokens (CJK: characters).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
BBC = DATA / "summarization" / "bbc-news-summary" / "BBC News Summary" / "News Articles"
WMT_ZH = DATA / "mt" / "wmt22-zh-en" / "generaltest2022.zh-en.src.zh"
_XINHUA_HEADLINE = re.compile(r"\s*[-－—–]\s*新华网\s*$")
EXTRACTION = DATA / "extraction"
_TOKEN = re.compile(r"[\u3400-\u9fff]|\w+")


def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(text.lower()))


def lost_share(gold: str, kept: str) -> float:
    want = tokens(gold)
    return sum((want - tokens(kept)).values()) / max(1, sum(want.values()))


def kept_share(gold: str, kept: str) -> float:
    """The share of the kept text's words the gold text does not hold (boilerplate kept)."""
    have = tokens(kept)
    return sum((have - tokens(gold)).values()) / max(1, sum(have.values()))


def previous_rule(raw: str) -> tuple[str, str]:
    """The importer's rule before the sources registry (commit 4167b87): a first line of at
    most 4 words, without punctuation, above a longer line, was a site name; the next line
    became the headline. (title, body)"""
    lines = [line for line in raw.split("\n")]
    content = [i for i, line in enumerate(lines) if line.strip()]
    head = content[0]
    first, second = lines[content[0]], lines[content[1]] if len(content) > 1 else ""
    if (len(content) > 1 and len(first.split()) <= 4 and len(second.split()) > len(first.split()) + 2
            and not re.search(r"[.:!?,\"“”«»]", first)):
        head = content[1]
    return " ".join(lines[head].split()), "\n".join(lines[head + 1:])


def summary_is_empty(body: str, language: str, settings, splitter_for) -> bool | None:
    """True/False for a body of two sentences or more, None for a shorter one."""
    from digest.annotate.summarize import summarize_text

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    sentences = sum(len(splitter_for(language).split(p)) for p in paragraphs)
    if sentences < 2:
        return None
    return not summarize_text(paragraphs, language, settings).strip()


def bbc(limit: int | None, settings, splitter_for) -> None:
    from digest.intake.importer import infer
    from digest.intake.sources import load_sources

    sources = load_sources()
    paths = sorted(BBC.glob("*/*.txt"))[:limit]
    rows = {"ours": Counter(), "previous rule": Counter()}
    seconds = 0.0
    for path in paths:
        raw = path.read_text(encoding="utf-8", errors="replace")
        gold_title, _, gold_body = raw.partition("\n")
        gold_title = " ".join(gold_title.split())
        started = time.perf_counter()
        found = infer(raw, sources)
        seconds += time.perf_counter() - started
        old_title, old_body = previous_rule(raw)
        for name, title, body in (("ours", found.title, found.body), ("previous rule", old_title, old_body)):
            row = rows[name]
            row["texts"] += 1
            row["headline right"] += title == gold_title
            row["texts losing words"] += lost_share(gold_body, body) > 0
            row["words lost"] += sum((tokens(gold_body) - tokens(body)).values())
            empty = summary_is_empty(body, "en", settings, splitter_for)
            row["empty summaries"] += bool(empty)
    print(f"\nBBC News Summary raw texts: {len(paths)} (headline = first line)")
    print(f"{'rule':16} {'headline right':>15} {'texts losing words':>19} {'words lost':>11} {'empty summaries':>16}")
    for name, row in rows.items():
        print(f"{name:16} {row['headline right'] / row['texts']:>15.1%} {row['texts losing words']:>19} "
              f"{row['words lost']:>11} {row['empty summaries']:>16}")
    print(f"time per text (ours, infer only): {seconds / len(paths) * 1000:.2f} ms")


def pages(name: str, items: list[tuple[bytes, str | None, str | None, str]], settings, splitter_for) -> None:
    """items: (html, gold headline or None, gold body or None, language)."""
    from digest.errors import DigestError
    from digest.intake.importer import infer_html
    from digest.intake.sources import load_sources

    sources = load_sources()
    row = Counter()
    lost: list[float] = []
    lost_cleaned: list[float] = []
    junk: list[float] = []
    seconds = 0.0
    for html, gold_title, gold_body, language in items:
        row["pages"] += 1
        started = time.perf_counter()
        try:
            found = infer_html(html, None, settings, sources)
        except DigestError:
            row["no text"] += 1
            if gold_body:
                lost.append(1.0)
            continue
        finally:
            seconds += time.perf_counter() - started
        if gold_title is not None:
            row["with gold headline"] += 1
            row["headline right"] += " ".join(found.title.split()) == " ".join(gold_title.split())
        paragraphs = cleaned(found, settings)
        if gold_body:
            lost.append(lost_share(gold_body, found.body))
            lost_cleaned.append(lost_share(gold_body, "\n".join(paragraphs)))
            junk.append(kept_share(gold_body, "\n".join(paragraphs)))
        row["publication named"] += bool(found.source)
        row["| rows"] += sum(1 for line in found.body.split("\n") if line.lstrip().startswith("|"))
        row["headline twice"] += headline_in_text(found.title, paragraphs)
        row["empty summaries"] += bool(summary_is_empty(found.body, language, settings, splitter_for))
    headline = (f"{row['headline right'] / row['with gold headline']:.1%}" if row["with gold headline"] else "-")
    body = f"{sum(lost) / len(lost):.1%}" if lost else "-"
    body_cleaned = f"{sum(lost_cleaned) / len(lost_cleaned):.1%}" if lost else "-"
    kept = f"{sum(junk) / len(junk):.1%}" if junk else "-"
    named = f"{row['publication named'] / max(1, row['pages'] - row['no text']):.1%}"
    print(f"{name:34} {row['pages']:>5} {headline:>14} {named:>11} {body:>16} {body_cleaned:>13} {kept:>10} "
          f"{row['| rows']:>7} {row['no text']:>8} "
          f"{row['empty summaries']:>16} {row['headline twice']:>15} {seconds / max(1, row['pages']) * 1000:>9.1f}")


def cleaned(found, settings) -> list[str]:
    """The imported page's paragraphs as a build shows them (the clean stage run)."""
    import datetime as dt

    from digest.intake.clean import clean
    from digest.model import Article

    return clean([Article(path=Path("page.md"), rel_path="page.md", slug="page", title=found.title,
                          source=found.source or "", published=dt.datetime(2020, 1, 1), has_time=False,
                          body=found.body, body_line=1)], settings)[0].paragraphs


def headline_in_text(title: str, paragraphs: list[str]) -> bool:
    """The cleaned text's first four paragraphs repeat the headline or hold a "by ..." line."""
    normal = lambda text: " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())  # noqa: E731
    return any(normal(p) == normal(title) or re.match(r"(?i)by\s", p) for p in paragraphs[:4])


def telegram(limit: int | None) -> list:
    folder = EXTRACTION / "telegram-contest-2020-pages"
    rows = [line.split("\t") for line in (folder / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    items = []
    for row in rows[:limit]:
        file, lang, _url, _site, _time, og_title, h1 = row[:7]
        items.append(((folder / "html" / file).read_bytes(), h1 or og_title or None, None, lang or "en"))
    return items


def scrapinghub(limit: int | None) -> list:
    folder = EXTRACTION / "article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    items = []
    for key, gold in list(truth.items())[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        items.append((html, None, gold["articleBody"], "en"))
    return items


def chinese(limit: int | None) -> list:
    folder = EXTRACTION / "chinese-web-content-extraction"
    gold = json.loads((folder / "eval" / "cleaned_ground.json").read_text(encoding="utf-8"))
    items = []
    for key, text in list(gold.items())[:limit]:
        page = folder / "original" / f"{key}.html"
        if page.exists():
            items.append((page.read_bytes(), None, text if isinstance(text, str) else text.get("articleBody", ""), "zh"))
    return items


def htmltotext(limit: int | None) -> list:
    folder = EXTRACTION / "htmltotext-benchmark" / "benchmarkdata"
    items = []
    for page in sorted(folder.glob("*/html/*.html"))[:limit]:
        gold = page.parent.parent / "text" / f"{page.stem}.txt"
        if gold.exists():
            items.append((page.read_bytes(), None, gold.read_text(encoding="utf-8", errors="replace"),
                          page.parent.parent.name))
    return items


def wmt_zh(limit: int | None, settings, splitter_for) -> None:
    from digest.intake.importer import infer
    from digest.intake.sources import load_sources

    if not WMT_ZH.exists():
        print(f"\nWMT22 zh: {WMT_ZH} is absent")
        return
    sources = load_sources()
    lines = WMT_ZH.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if _XINHUA_HEADLINE.search(line)][:limit]
    row = Counter()
    for n, start in enumerate(starts):
        end = min(starts[n + 1] if n + 1 < len(starts) else len(lines), start + 40)
        gold_title = _XINHUA_HEADLINE.sub("", lines[start]).strip()
        gold_body = "\n".join(lines[start + 1:end])
        found = infer("\n".join(lines[start:end]), sources)
        row["texts"] += 1
        row["headline right"] += " ".join(found.title.split()) == " ".join(gold_title.split())
        row["source"] += found.source == "Xinhua"
        row["words lost"] += sum((tokens(gold_body) - tokens(found.body)).values())
        row["texts losing words"] += lost_share(gold_body, found.body) > 0
        row["empty summaries"] += bool(summary_is_empty(found.body, "zh", settings, splitter_for))
        row["paragraphs"] += len([p for p in re.split(r"\n\s*\n", found.body) if p.strip()])
    print(f"\nWMT22 zh news documents (Xinhua): {row['texts']}")
    print(f"headline right {row['headline right'] / row['texts']:.1%}; source named Xinhua "
          f"{row['source'] / row['texts']:.1%}; texts losing words {row['texts losing words']}, words lost "
          f"{row['words lost']}; empty summaries {row['empty summaries']}; paragraphs a text "
          f"{row['paragraphs'] / row['texts']:.1f} (lines a text {sum(min(40, e - s) for s, e in zip(starts, starts[1:] + [len(lines)])) / row['texts']:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="first N texts / pages of each set")
    args = parser.parse_args()
    if not (BBC.exists() and EXTRACTION.exists()):
        print(f"skipped: {BBC} or {EXTRACTION} is absent (../shared/data is not mounted)")
        return 0
    sys.path.insert(0, str(REPO))
    from functools import cache

    from digest.sentences import SentenceSplitter
    from digest.settings import load_settings

    settings = load_settings()
    splitter_for = cache(SentenceSplitter)
    bbc(args.limit, settings, splitter_for)
    wmt_zh(args.limit, settings, splitter_for)
    print(f"\n{'saved pages':34} {'pages':>5} {'headline right':>14} {'publication':>11} {'gold words lost':>16} "
          f"{'after clean':>13} {'junk kept':>10} {'| rows':>7} "
          f"{'no text':>8} {'empty summaries':>16} {'headline/byline':>15} {'ms a page':>9}")
    pages("Telegram contest (gold: <h1>)", telegram(args.limit), settings, splitter_for)
    pages("article-extraction-benchmark", scrapinghub(args.limit), settings, splitter_for)
    pages("Chinese web content", chinese(args.limit), settings, splitter_for)
    pages("htmltotext (de, en, hr, zh)", htmltotext(args.limit), settings, splitter_for)
    return 0


if __name__ == "__main__":
    sys.exit(main())
