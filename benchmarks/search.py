"""Search at scale: index size and time to first result in a real browser, build time, site size.

Generates N articles from real text (the BBC News Summary set, as benchmarks/build_site.py
does, with its functions), builds the digest with this repository's mkdocs.yml, theme and
plugin, then opens the home page in headless Chromium (tests/browser.py), types a query as
soon as the page has loaded (a reader who goes straight to search: the index is still
loading) and times, in the page, from the first key to the first result shown (of any
prefix typed so far) and to the results of the whole query ("full"). A second
query, once the first has answered, gives the warm time. Each size is built once; figures
for the larger sizes are compared with the first one (bar: first result < 0.5 s at 10,000;
build time and site size grow <= 12x for 10x articles; no HTML page over 200 KB).

With Pagefind, the search page (search/) is timed too, with filters (language English, kind
Article, newest first): from the start of the page's navigation to the first result shown,
on a first visit (cold) and on a second visit with another query (warm: the browser's cache
holds the index files it fetched), beside the time the cold page itself takes to load
(Material's page, its load event: the baseline the search adds to). Each size also reports its largest HTML page, the home
page's bytes, and the site's files and bytes per article.

Both engines the plugin offers (`search_engine:`) are measured on the same articles:
Pagefind (the default: a chunked index written during the build, queried by
theme/assets/javascripts/workers/digest-search.js behind Material's search box) and lunr
(Material's own: one search_index.json the browser downloads and indexes whole). The first
engine's build runs with a cold digest cache, like a fresh clone; the second reuses it, so
compare build times within the first engine's rows.

    uv run --extra test python benchmarks/search.py [--sizes 1000 10000] [--engines pagefind lunr]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from build_site import real_articles, size_mb, timed_build, write_digest  # noqa: E402
from tests.browser import (CHROMIUM, MISSING, TIME_FIRST_RESULT, launch_chromium,  # noqa: E402
                           serve)

# Words of the BBC set, each found in many articles.
QUERIES = ["election", "economy", "football", "music", "Blair", "technology"]


def varied_articles(count: int) -> list[tuple[str, str, str]]:
    """build_site.real_articles, past the BBC set's ~2,200 distinct texts too: its repeats
    differ by one line, which `digest check` rightly calls near-duplicates. Here each repeat
    joins the first half of its article's words to as many words from the middles of
    other articles, so no two texts share more than about half their prose."""
    articles = real_articles(count)
    distinct = sum(1 for _, headline, _ in articles if not headline.endswith(")"))
    if distinct >= count:
        return articles
    originals = articles[:distinct]
    varied = list(originals)
    for index in range(distinct, count):
        round_, position = divmod(index, distinct)
        topic, headline, body = originals[position]
        words = body.split(" ")
        half, tail, partner = len(words) // 2, [], position + 97 * round_
        while len(tail) < half:
            partner += 1
            other_words = originals[partner % distinct][2].split(" ")
            tail += other_words[len(other_words) // 2:]
        other_headline = originals[(position + 97 * round_ + 1) % distinct][1]
        text = " ".join(words[:half] + tail[:half])
        varied.append((topic, f"{headline}: {other_headline} ({round_ + 1})", text))
    return varied


def index_files(site: Path) -> list[Path]:
    """The search index as the browser downloads it (lunr's single file or Pagefind's folder)."""
    pagefind = site / "pagefind"
    if pagefind.exists():  # what the browser may fetch: the index chunks, fragments, wasm, js
        return [p for p in pagefind.rglob("*") if p.is_file()]
    return [site / "search" / "search_index.json"]


def first_result_ms(browser, base: str, query: str, search) -> tuple[float, float, float]:
    """(cold, warm) ms from the first key typed to the first result shown, in a fresh page,
    and (cold) to the results of the whole query (a result marking a word it starts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base, wait_until="load")
    times = []
    for word in (query, QUERIES[(QUERIES.index(query) + 1) % len(QUERIES)]):
        page.evaluate(TIME_FIRST_RESULT, [search.RESULT, word])
        search.type(page, word)
        page.wait_for_function("window.__digestTimes.full !== null", timeout=120_000)
        typed, shown, full = page.evaluate(
            "[window.__digestTimes.typed, window.__digestTimes.result, window.__digestTimes.full]")
        times.append((shown - typed, full - typed))
        search.clear(page)
    context.close()
    return times[0][0], times[1][0], times[0][1]


class MaterialSearch:
    RESULT = ".md-search-result__item"

    @staticmethod
    def type(page, query: str) -> None:
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(query)

    @staticmethod
    def clear(page) -> None:
        page.locator("input.md-search__input").fill("")
        page.keyboard.press("End")
        page.wait_for_selector(MaterialSearch.RESULT, state="detached")


# Runs in the search page: ms from the start of its navigation to the first result shown.
FILTERED_RESULT_MS = """
() => new Promise(resolve => {
  const done = () => resolve(performance.now())
  if (document.querySelector("#digest-search-results li")) return done()
  new MutationObserver((_, observer) => {
    if (document.querySelector("#digest-search-results li")) { observer.disconnect(); done() }
  }).observe(document.getElementById("digest-search-results"), {childList: true})
})
"""


def filtered_result_ms(browser, base: str, query: str) -> tuple[float, float, float]:
    """(cold, warm) ms to the first result of the search page with filters, in a fresh context,
    and the ms the cold page itself took to load (its load event: Material's own page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    times = []
    for word in (query, QUERIES[(QUERIES.index(query) + 1) % len(QUERIES)]):
        page.goto(f"{base}search/?words={word}&type=Article&language=English&sort=newest", wait_until="domcontentloaded")
        times.append(page.evaluate(FILTERED_RESULT_MS))
        if len(times) == 1:
            page.wait_for_load_state("load")
            loaded = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    return times[0], times[1], loaded


def page_sizes(site: Path) -> dict:
    """The largest HTML page, the home page, and the site's files and bytes."""
    pages = [(p.stat().st_size, p) for p in site.rglob("*.html")]
    largest, where = max(pages)
    files = [p for p in site.rglob("*") if p.is_file()]
    return {"largest KB": largest / 1e3, "largest page": where.relative_to(site).as_posix(),
            "home KB": (site / "index.html").stat().st_size / 1e3, "files": len(files),
            "bytes": sum(p.stat().st_size for p in files)}


def use_engine(root: Path, engine: str) -> None:
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  digest: {}\n", "  digest:\n    search_engine: pagefind\n", 1)
    text = text.replace("search_engine: pagefind", f"search_engine: {engine}", 1)
    config.write_text(text, encoding="utf-8")


def measure(count: int, engines: list[str], queries: int, browser, keep: Path | None = None) -> list[dict]:
    articles = varied_articles(count)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = keep / str(count) if keep else Path(tmp)
        if keep:
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir(parents=True)
        write_digest(root, articles)
        for engine in engines:
            use_engine(root, engine)
            seconds, peak, _ = timed_build(root)
            site = root / "site"
            row = {"engine": engine, "articles": count, "build s": seconds, "peak MB": peak,
                   "site MB": size_mb(site),
                   "index MB": sum(f.stat().st_size for f in index_files(site)) / 1e6, **page_sizes(site)}
            with serve(site) as base:
                runs = [first_result_ms(browser, base, q, MaterialSearch) for q in QUERIES[:queries]]
                filtered = ([filtered_result_ms(browser, base, q) for q in QUERIES[:queries]]
                            if engine == "pagefind" else [(float("nan"), float("nan"), float("nan"))])
            row["cold ms"] = statistics.median(r[0] for r in runs)
            row["warm ms"] = statistics.median(r[1] for r in runs)
            row["full ms"] = statistics.median(r[2] for r in runs)
            row["filter cold ms"] = statistics.median(r[0] for r in filtered)
            row["filter warm ms"] = statistics.median(r[1] for r in filtered)
            row["page load ms"] = statistics.median(r[2] for r in filtered)
            print(row, flush=True)
            rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["pagefind", "lunr"], choices=["pagefind", "lunr"])
    parser.add_argument("--queries", type=int, default=3, help="queries per size; the median is shown")
    parser.add_argument("--keep", type=Path, help="build in KEEP/<size>/ and leave the digest and its site there")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(MISSING)
    rows = []
    with launch_chromium() as browser:
        for count in args.sizes:
            rows += measure(count, args.engines, args.queries, browser, args.keep)
    columns = ["articles", "build s", "peak MB", "site MB", "index MB", "cold ms", "warm ms", "full ms",
               "filter cold ms", "filter warm ms", "page load ms", "largest KB", "home KB", "files"]
    print(f"{'engine':>9} " + " ".join(f"{c:>14}" for c in columns))
    for row in rows:
        print(f"{row['engine']:>9} " + " ".join(
            f"{row[c]:14.0f}" if c in ("articles", "files") else f"{row[c]:14.2f}" for c in columns))
    for row in rows:
        print(f"{row['engine']}, {row['articles']} articles: largest page {row['largest page']} "
              f"({row['largest KB']:.0f} KB; bar <= 200 KB); {row['files'] / row['articles']:.2f} files and "
              f"{row['bytes'] / row['articles'] / 1e3:.1f} KB per article")
    for engine in args.engines:
        mine = [row for row in rows if row["engine"] == engine]
        for row in mine[1:]:
            factor = row["articles"] / mine[0]["articles"]
            print(f"{engine}, {factor:.0f}x articles: build {row['build s'] / mine[0]['build s']:.1f}x, "
                  f"site {row['site MB'] / mine[0]['site MB']:.1f}x (bar: <= {factor * 1.2:.0f}x); "
                  f"first result {row['cold ms']:.0f} ms cold, {row['warm ms']:.0f} ms warm "
                  "(bar: < 500 ms)")


if __name__ == "__main__":
    main()
