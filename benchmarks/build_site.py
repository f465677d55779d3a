"""Build time and memory of the digest against bare Material on the same articles.

Generates N articles from real text (the BBC News Summary set in ../shared/data), builds
them (1) as a digest with this repository's mkdocs.yml, theme and plugin, and (2) as the
same N plain Markdown pages with bare mkdocs-material, kept out of the nav. Prints wall
time, peak memory and site size of each, and the ratio, from one run. The digest is built
cold (no .cache/digest), after one article is edited, and again with nothing changed, in
rounds that each start with a bare build.

    uv run python benchmarks/build_site.py [--articles 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BBC = REPO.parent / "shared" / "data" / "summarization" / "bbc-news-summary" / "BBC News Summary" / "News Articles"
MKDOCS = Path(sys.executable).parent / "mkdocs"


def _read_bbc(path: Path) -> str:
    """A BBC text: UTF-8 (all but one of 2,225 files; read as Latin-1 they carried "Â£" for
    "£", which the digest then repaired, with a warning for a third of the articles)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def real_articles(count: int) -> list[tuple[str, str, str]]:
    """(topic, headline, body) from the BBC set, cycling through it when count exceeds it.

    The set holds some near-identical articles, which `digest check` rightly refuses: they
    are left out, with the digest's own detector.
    """
    if not BBC.exists():
        sys.exit(f"{BBC} is absent: the benchmark reads ../shared/data beside the repository")
    from digest.intake.articles import near_duplicates
    from digest.settings import load_settings
    files = sorted(BBC.glob("*/*.txt"))
    texts = {str(f): _read_bbc(f) for f in files}
    repeated = {b for _, b, _ in near_duplicates(texts, load_settings())}
    files = [f for f in files if str(f) not in repeated]
    articles = []
    for index in range(count):
        path = files[index % len(files)]
        text = _read_bbc(path).strip()
        headline, _, body = text.partition("\n")
        if index >= len(files):  # a second pass: keep titles, slugs and texts distinct
            headline = f"{headline} (part {index // len(files) + 1})"
            body = f"Update {index // len(files)}.\n\n{body}"
        paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
        articles.append((path.parent.name, headline.strip(), "\n\n".join(paragraphs)))
    return articles


def write_digest(root: Path, articles) -> None:
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "theme", root / "theme")
    docs = root / "site_src"
    (docs / "articles").mkdir(parents=True)
    shutil.copy(REPO / "site_src" / "about.md", docs / "about.md")
    start = dt.date(2015, 1, 1)
    for index, (topic, headline, body) in enumerate(articles):
        day = start + dt.timedelta(days=index % 1800)
        path = docs / "articles" / f"{day:%Y/%m}" / f"a{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        title = headline.replace('"', "'")
        path.write_text(f'---\ntitle: "{title}"\nsource: BBC News {topic.title()}\npublished: {day}\n'
                        f"language: en\n---\n\n{body}\n", encoding="utf-8")


def write_bare(root: Path, articles) -> None:
    docs = root / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for index, (_, headline, body) in enumerate(articles):
        (docs / "articles" / f"a{index:05d}.md").write_text(f"# {headline}\n\n{body}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Bare\ntheme:\n  name: material\nplugins:\n  - search\n"
                                     "nav:\n  - Home: index.md\nnot_in_nav: |\n  /articles/\n", encoding="utf-8")


def edit_article(root: Path, run: int) -> None:
    """Add a sentence to one article (a different one each run), as an editor's fix would."""
    files = sorted((root / "site_src" / "articles").rglob("*.md"))
    path = files[run * 97 % len(files)]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{text}\n\nThe figures were revised on Monday (edit {run}).\n", encoding="utf-8")


def timed_build(root: Path, quiet: bool = True, peaks: dict | None = None) -> tuple[float, float, float]:
    """(seconds, peak resident MB, CPU seconds) of one `mkdocs build`, in its own process.
    CPU counts its processes that it waited for too: fork_map's workers and Pagefind's; the
    peak is the largest of them. Not quiet: root/build.log holds the digest's time for each
    stage. `peaks`, if given, gets the peak MB of MkDocs' own process ("mkdocs"), of its
    largest child of each kind ("pagefind", "workers") and of all at once ("together":
    proportional set sizes, a page shared by a fork and MkDocs counted once), sampled from
    /proc every 0.2 s (Linux)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = root / "build.log"  # a file, not a pipe: a large build's log would fill a pipe and hang
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen([str(MKDOCS), "build", *(["-q"] if quiet else [])], cwd=root, env=env,
                                   stdout=subprocess.DEVNULL, stderr=out)
        sampler = None
        if peaks is not None:
            sampler = threading.Thread(target=_sample_peaks, args=(process, peaks), daemon=True)
            sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if sampler:
            sampler.join()
    if status != 0:
        sys.exit(f"build failed in {root}:\n{log.read_text(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:")), 0.0)
    except OSError:  # gone, or not Linux
        return 0.0


def _proportional_mb(pid: int) -> float:
    """The process's proportional set size: each page it shares with n processes counts 1/n
    (so the sum over MkDocs and its forked workers counts shared pages once); RSS where
    the kernel gives no smaps_rollup."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) / 1024 for line in rollup if line.startswith("Pss:")), 0.0)
    except OSError:
        return _resident_mb(pid)


def _sample_peaks(process: subprocess.Popen, peaks: dict) -> None:
    """Peak resident MB of the build's process and of its children by kind, until it ends;
    "together": the peak of their proportional set sizes' sum (the memory they use at once)."""
    while process.poll() is None:
        own = _resident_mb(process.pid)
        peaks["mkdocs"] = max(peaks.get("mkdocs", 0.0), own)
        together = _proportional_mb(process.pid)
        try:
            with open(f"/proc/{process.pid}/task/{process.pid}/children") as children:
                pids = [int(pid) for pid in children.read().split()]
        except OSError:
            pids = []
        for pid in pids:
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
            kind = "pagefind" if "pagefind" in name else "workers"  # fork_map's workers are MkDocs forks
            peaks[kind] = max(peaks.get(kind, 0.0), _resident_mb(pid))
            together += _proportional_mb(pid)
        peaks["together"] = max(peaks.get("together", 0.0), together)
        time.sleep(0.2)


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="builds of each; the median is shown")
    parser.add_argument("--dir", default=None,
                        help="where the two sites are built (default: the system's temporary folder)")
    args = parser.parse_args()
    articles = real_articles(args.articles)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        digest, bare = Path(tmp) / "digest", Path(tmp) / "bare"
        digest.mkdir(), bare.mkdir()
        write_digest(digest, articles)
        write_bare(bare, articles)
        builds = (("bare Material", bare, None), ("digest, cold", digest, "clear"),
                  ("digest, 1 edited", digest, "edit"), ("digest, unchanged", digest, None))
        runs: dict[str, list] = {name: [] for name, _, _ in builds}
        # Round by round (bare, cold, edited, unchanged), so that a machine whose speed drifts
        # during the run (a shared VM) slows the baseline and the digest alike.
        for run in range(args.repeat):
            for name, root, before in builds:
                if before == "clear":  # a fresh clone: no .cache/digest from an earlier build
                    shutil.rmtree(root / ".cache", ignore_errors=True)
                elif before == "edit":  # an editor's change to one article, then a rebuild
                    edit_article(digest, run)
                runs[name].append(timed_build(root))
        rows = {name: (statistics.median(r[0] for r in runs[name]), statistics.median(r[2] for r in runs[name]),
                       max(r[1] for r in runs[name]), size_mb(root / "site"),
                       len(list((root / "site").rglob("index.html"))))
                for name, root, _ in builds}
        print(f"{args.articles} articles, median of {args.repeat} builds each ({os.cpu_count()} CPUs)")
        print(f"{'':17} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'site MB':>8} {'pages':>6} {'ratio':>6}  each round")
        base = rows["bare Material"][0]
        for name, (seconds, cpu, peak, size, pages) in rows.items():
            rounds = " ".join(f"{mine[0] / bare_run[0]:.2f}" for mine, bare_run in zip(runs[name], runs["bare Material"]))
            print(f"{name:17} {seconds:8.2f} {cpu:6.2f} {peak:8.0f} {size:8.1f} {pages:6d} {seconds / base:6.2f}  {rounds}")
        print("ratio = median time / bare Material's median (bar: <= 2.0); each round: time / that round's bare "
              "build. CPU s: user + system time of the "
              "build and the processes it waited for (fork_map's workers, Pagefind). cold: a fresh clone's first build, "
              "no .cache/digest. 1 edited: one article changed since the last build (the cache "
              "gives every other article's cleaned text, summary, entities and features). unchanged: nothing changed "
              "(the cache gives the whole pipeline result).")


if __name__ == "__main__":
    main()
