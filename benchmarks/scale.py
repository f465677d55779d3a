"""The build at scale: 10,000 and 100,000 articles (real text), in one run.

Generates N articles from real text (benchmarks/search.py's varied BBC articles) and builds
each size as a fresh clone would (no .cache/digest), then edits one article and builds
again. Prints, per size: the cold build's time and peak memory (of its largest process,
and by process: MkDocs', Pagefind's, fork_map's workers', all at once), the rebuild's time (and its
share of the cold build), the site's bytes and files, per article too, the largest HTML page,
and each figure of the larger sizes beside the first size's (bar: time <= 12x for 10x
articles, peak <= 8 GB, no HTML page over 200 KB, the rebuild <= 25% of the cold build,
100,000 articles in under 1 GB). The build log of each size is kept as build-N.log.

    uv run python benchmarks/scale.py [--sizes 10000 100000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_site import edit_article, timed_build, write_digest  # noqa: E402
from search import varied_articles  # noqa: E402


def site_figures(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    folders: dict[str, list[int]] = {}
    for path in files:
        top = path.relative_to(site).parts[0] if len(path.relative_to(site).parts) > 1 else "."
        folders.setdefault(top, [0, 0])
        folders[top][0] += path.stat().st_size
        folders[top][1] += 1
    return {"bytes": sum(p.stat().st_size for p in files), "files": len(files),
            "largest": (largest.stat().st_size, str(largest.relative_to(site))), "folders": folders}


def remove(folder: Path) -> None:
    """Delete a digest's folder, whose replaced site the build's background process may
    still be deleting (files vanish under rmtree)."""
    for _ in range(600):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.5)
    shutil.rmtree(folder)


def measure(count: int, where: Path) -> dict:
    root = where / str(count)
    root.mkdir()
    write_digest(root, varied_articles(count))
    print(f"{count:,} articles: cold build…", flush=True)
    try:
        peaks: dict = {}
        seconds, peak, cpu = timed_build(root, quiet=False, peaks=peaks)
    except SystemExit as failed:  # out of memory, say: report it, keep the smaller sizes' rows
        shutil.copy(root / "build.log", where / f"build-{count}.log")
        print(f"{count:,} articles: the build failed; its log (each stage's time) is build-{count}.log\n"
              f"{str(failed.code)[-2000:]}", flush=True)
        remove(root)
        return None
    shutil.copy(root / "build.log", where / f"build-{count}.log")
    figures = {"count": count, "seconds": seconds, "peak": peak, "cpu": cpu, "peaks": peaks,
               **site_figures(root / "site")}
    print(f"{count:,} articles: cold build {seconds:.0f} s, rebuild after one edit…", flush=True)
    edit_article(root, 0)
    figures["rebuild"], figures["rebuild_peak"], _ = timed_build(root, quiet=False)
    shutil.copy(root / "build.log", where / f"rebuild-{count}.log")
    remove(root)  # 100,000 articles' site is several GB
    return figures


def report(rows: list[dict]) -> None:
    first = rows[0]
    print(f"\n{'articles':>9} {'cold s':>7} {'x':>5} {'peak MB':>8} {'rebuild s':>9} {'share':>6} "
          f"{'site MB':>8} {'x':>5} {'files':>8} {'KB/art':>7} {'files/art':>9} {'largest page':>13}")
    for row in rows:
        print(f"{row['count']:9,} {row['seconds']:7.0f} {row['seconds'] / first['seconds']:5.1f} {row['peak']:8.0f} "
              f"{row['rebuild']:9.0f} {row['rebuild'] / row['seconds']:6.0%} {row['bytes'] / 1e6:8.0f} "
              f"{row['bytes'] / first['bytes']:5.1f} {row['files']:8,} {row['bytes'] / row['count'] / 1e3:7.1f} "
              f"{row['files'] / row['count']:9.2f} {row['largest'][0] / 1e3:10.0f} KB")
    for row in rows:
        print(f"{row['count']:,} articles, cold build's peak by process (MB): "
              + ", ".join(f"{'all at once (proportional)' if kind == 'together' else kind} {mb:,.0f}"
                          for kind, mb in sorted(row["peaks"].items())))
    for row in rows:
        print(f"\n{row['count']:,} articles, largest page {row['largest'][1]}; by folder (MB, files):")
        for name, (size, files) in sorted(row["folders"].items(), key=lambda item: -item[1][0]):
            print(f"  {name:12} {size / 1e6:9.1f} {files:8,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the digests are built (default: the system's temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        rows = [row for count in args.sizes if (row := measure(count, Path(tmp)))]
        if rows:
            report(rows)
        logs = Path.cwd() / "scale-logs"
        logs.mkdir(exist_ok=True)
        for log in Path(tmp).glob("*.log"):
            shutil.copy(log, logs / log.name)
        print(f"\nbuild logs (each stage's time): {logs}")


if __name__ == "__main__":
    main()
