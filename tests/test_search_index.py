"""PagefindIndexer against the real Pagefind binary: the bundle it writes, and how it fails."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from digest.site.search_index import PagefindError, PagefindIndexer, ShardedIndex, cli_url

PAGES = {  # path inside the site -> (title, text); only these carry data-pagefind-body
    "index.html": ("Home", "The latest zebra stories"),
    "articles/2015/01/a/index.html": ("Lavrov meets Kerry", "Ministers discussed Syria and the zebra crossing"),
    "articles/2015/02/b/index.html": ("Oil prices fall", "Brent crude fell below fifty dollars"),
}


def page(title: str, text: str, body: bool = True) -> str:
    attribute = " data-pagefind-body" if body else ""
    return (f"<!doctype html><html lang=en><head><title>{title}</title></head><body>"
            f"<nav>Menu zebra</nav><main{attribute}><h1>{title}</h1><p>{text}</p></main></body></html>")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site: three searchable pages and one without data-pagefind-body (so left out)."""
    site = tmp_path / "site"
    for path, (title, text) in PAGES.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(page(title, text), encoding="utf-8")
    (site / "about").mkdir()
    (site / "about" / "index.html").write_text(page("About", "Not searchable", body=False), encoding="utf-8")
    return site


def index_site(site: Path) -> None:
    indexer = PagefindIndexer(site, force_language="en")
    for path in sorted(site.rglob("*.html")):
        indexer.add(path.read_text(encoding="utf-8"), cli_url(path.relative_to(site).as_posix()))
    indexer.write()


def fragments(bundle: Path) -> dict[str, dict]:
    """Each page's fragment (gzip of b"pagefind_dcd" + JSON), by its url."""
    found = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data.removeprefix(b"pagefind_dcd"))
        found[fragment["url"]] = fragment
    return found


def service_children() -> list[int]:
    """Pids of this process's children that are a Pagefind binary (zombies included)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text()
        except OSError:
            continue  # it ended meanwhile
        name, rest = fields[fields.index("(") + 1:fields.rindex(")")], fields[fields.rindex(")") + 2:].split()
        if name.startswith("pagefind") and int(rest[1]) == os.getpid():
            pids.append(int(stat.parent.name))
    return pids


@pytest.mark.parametrize("dest_uri, url", [
    ("index.html", "/"),
    ("articles/2015/01/a/index.html", "/articles/2015/01/a/"),
    ("404.html", "/404.html"),
    ("feeds/windex.html", "/feeds/windex.html"),
])
def test_cli_url(dest_uri, url):
    assert cli_url(dest_uri) == url


def test_writes_the_same_pages_as_the_cli(site, tmp_path):
    index_site(site)
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 3
    mine = fragments(bundle)
    assert set(mine) == {"/", "/articles/2015/01/a/", "/articles/2015/02/b/"}
    assert "Ministers discussed Syria" in mine["/articles/2015/01/a/"]["content"]
    assert "Menu" not in mine["/articles/2015/01/a/"]["content"]  # only the data-pagefind-body element
    assert mine["/articles/2015/02/b/"]["meta"]["title"] == "Oil prices fall"
    assert (bundle / "pagefind.js").is_file() and list((bundle / "index").glob("en_*.pf_index"))

    # What `python -m pagefind --site` (the way the plugin indexed before) writes for the same pages.
    cli = tmp_path / "cli"
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "en",
                    "--silent", "--output-path", str(cli)], check=True, capture_output=True)
    assert json.loads((cli / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"] == 3
    assert fragments(cli) == mine
    assert not service_children()


def test_many_pages_without_waiting(tmp_path):
    # 1,000 answers are more than a pipe holds: the reader thread must drain them meanwhile.
    indexer = PagefindIndexer(tmp_path, force_language="en")
    for i in range(1000):
        indexer.add(page(f"Page {i}", f"word{i} shared text"), f"/p/{i}/")
    indexer.write()
    assert json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"] == 1000
    assert not service_children()


def test_shards_hold_at_most_their_pages_and_are_listed(tmp_path):
    index = ShardedIndex(tmp_path, shard_pages=4)
    for i in range(10):
        index.add(page(f"Page {i}", f"word{i} shared text"), f"/p/{i}/")
    index.start_write()
    index.finish_write()
    shards = json.loads((tmp_path / "pagefind" / "digest-shards.json").read_text())
    assert shards == ["pagefind/", "pagefind-2/", "pagefind-3/"]
    counts = [json.loads((tmp_path / folder / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
              for folder in shards]
    assert counts == [4, 4, 2]
    assert not service_children()


def test_a_page_pagefind_rejects_is_named(tmp_path):
    indexer = PagefindIndexer(tmp_path)
    indexer.add(page("Fine", "A good page"), "/good/")
    indexer.add(page("Broken", "A lone surrogate \ud800 is not valid JSON text for Pagefind"), "/broken/")
    indexer.add(page("Also fine", "Another page"), "/also-good/")
    with pytest.raises(PagefindError, match=r"Pagefind could not index page /broken/: \S") as error:
        indexer.write()
    assert "/good/" not in str(error.value)
    assert not (tmp_path / "pagefind").exists()
    assert not service_children()


def test_a_killed_service_is_reported(tmp_path):
    indexer = PagefindIndexer(tmp_path)
    [pid] = service_children()
    indexer.add(page("One", "First page"), "/one/")
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(PagefindError, match="Pagefind's service .* was killed by signal 9 at"):
        indexer.add(page("Two", "Second page"), "/two/")  # may already find the pipe broken
        indexer.write()
    assert not service_children()


def test_a_crashed_service_is_reported(tmp_path):
    indexer = PagefindIndexer(tmp_path / "site")
    indexer.add(page("One", "First page"), "/one/")
    indexer._wait()  # the page is indexed; then the service dies, as by the OOM killer
    indexer._proc.kill()
    with pytest.raises(PagefindError) as error:
        indexer.write()
    assert f"was killed by signal 9 at writing {tmp_path / 'site' / 'pagefind'}" in str(error.value)
    assert not service_children()


def test_an_unwritable_site_is_named(tmp_path):
    not_a_dir = tmp_path / "site"
    not_a_dir.write_text("a file where the site should be")
    indexer = PagefindIndexer(not_a_dir)
    indexer.add(page("One", "First page"), "/one/")
    with pytest.raises(PagefindError) as error:
        indexer.write()
    assert f"writing {not_a_dir / 'pagefind'}: [Errno 20] Not a directory" in str(error.value)
    assert not service_children()


def test_close_stops_the_service(tmp_path):
    indexer = PagefindIndexer(tmp_path)
    indexer.add(page("One", "First page"), "/one/")
    assert len(service_children()) == 1
    indexer.close()
    assert not service_children()
    indexer.close()  # again: nothing to do
    with pytest.raises(PagefindError, match="already written or closed"):
        indexer.add(page("Two", "Second page"), "/two/")
    with pytest.raises(PagefindError, match="already written or closed"):
        indexer.write()
    assert not (tmp_path / "pagefind").exists()


def test_missing_binary_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))  # the package's own override
    with pytest.raises(PagefindError, match=r"binary wheel.*`search_engine: lunr`"):
        PagefindIndexer(tmp_path)


def test_a_rebuild_carries_unchanged_shards_over(tmp_path):
    """Shards whose pages are the same as in the published site are linked from it, not
    indexed again; a changed page's shard is indexed anew; a shard whose files changed on
    disk since is not trusted. The result is what a fresh index of the same pages writes."""
    from digest.cache import Cache

    def build(site, pages, previous=None):
        cache = Cache(tmp_path / "cache")
        index = ShardedIndex(site, shard_pages=4, previous_site=previous, cache=cache)
        for title, text, url in pages:
            index.add(page(title, text), url)
        index.start_write()
        index.finish_write()
        cache.save()
        return index

    pages = [(f"Page {i}", f"word{i} shared text", f"/p/{i}/") for i in range(10)]
    first = build(tmp_path / "first", pages)
    assert first.carried == 0
    pages[5] = ("Page 5", "an edited text", "/p/5/")  # in the second shard
    second = build(tmp_path / "second", pages, previous=tmp_path / "first")
    assert second.carried == 2
    for folder, same in (("pagefind", True), ("pagefind-2", False), ("pagefind-3", True)):
        old = (tmp_path / "first" / folder / "pagefind-entry.json").stat()
        new = (tmp_path / "second" / folder / "pagefind-entry.json").stat()
        assert (old.st_ino == new.st_ino) is same, folder  # hard-linked, or written anew
    fresh = build(tmp_path / "fresh", pages)
    for folder in ("pagefind", "pagefind-2", "pagefind-3"):
        assert fragments(tmp_path / "second" / folder) == fragments(tmp_path / "fresh" / folder), folder
    assert json.loads((tmp_path / "second" / "pagefind" / "digest-shards.json").read_text()) == \
        ["pagefind/", "pagefind-2/", "pagefind-3/"]

    # The published third shard damaged (a file cut short): it is indexed again.
    entry = next((tmp_path / "fresh" / "pagefind-3").rglob("*.pf_fragment"))
    entry.write_bytes(entry.read_bytes()[:-1])
    third = build(tmp_path / "third", pages, previous=tmp_path / "fresh")
    assert third.carried == 2 and fresh.carried == 0
    assert fragments(tmp_path / "third" / "pagefind-3") == fragments(tmp_path / "second" / "pagefind-3")
    assert not service_children()
