"""`digest add` of many articles at once: folders, manifests and feeds, as a list of items.

`expand(paths)` turns what the editor names into items, each imported on its own by
`importer.add_article` (one bad item never stops the others):
- a file (raw text or a saved .html page) or an http(s) address: one item;
- a folder: its .txt, .html and .htm files, in name order;
- a manifest, `.csv` (a header row) or `.jsonl` (one JSON object a line): a row per article,
  `file` (relative to the manifest) or `url`, and any of `title`, `source`, `published`,
  `language`, `url` (the row's values win over the command's flags);
- an RSS or Atom feed (a file, or an address that answers with one), parsed by feedparser
  (the well-kept parser of every feed dialect): an item per entry, with its title, date, link
  and the feed's publication. The full page is fetched where the network allows; offline the
  entry's own content is used, and an entry whose content is only a teaser is reported.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import DigestError, Problem
from ..settings import Settings
from .importer import AddOptions, Inferred, infer_html, split_paragraphs, strip_site_suffix
from .sources import SourceRegistry

PAGE_SUFFIXES = (".txt", ".html", ".htm")
MANIFEST_FIELDS = ("file", "url", "title", "source", "published", "language")
TEASER_WORDS = 60  # an entry's content shorter than this (or cut with "…") is only a teaser


@dataclass
class Item:
    label: str  # what messages name: a file, an address, "feed.xml:3" for a feed's third entry
    raw: str  # the file or address to read (a feed entry: its label; `inferred` holds it)
    options: AddOptions
    inferred: Inferred | None = None
    where: tuple[str, int] | None = None  # the feed and entry number problems name


class Network:
    """Fetches pages until one fetch fails: offline, the other items don't wait on it again."""

    def __init__(self, settings: Settings, enabled: bool = True):
        self.timeout = settings.section("extract")["fetch_timeout"]
        self.enabled = enabled
        self.failure: str | None = None

    def fetch(self, url: str) -> bytes | None:
        if not self.enabled or self.failure:
            return None
        from .extract import fetch_url
        try:
            return fetch_url(url, self.timeout)
        except DigestError as exc:
            self.failure = exc.problems[0].message
            return None


def expand(paths: list[str], options: AddOptions, settings: Settings, sources: SourceRegistry,
           network: Network) -> tuple[list[Item], list[Problem]]:
    items: list[Item] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        try:
            if re.match(r"https?://", raw):
                data = network.fetch(raw)
                if data is not None and _is_feed(data):
                    items += _feed_items(raw, data, options, sources, network)
                else:  # the page fetched here is the article (offline: add_article says why not)
                    page = infer_html(data, raw, settings, sources) if data is not None else None
                    items.append(Item(raw, raw, options, page))
            elif re.match(r"[a-z][a-z0-9+.-]*://", raw, re.IGNORECASE) and not path.exists():
                problems.append(Problem(raw, 1, "not an address `digest add` fetches (only http:// and https://)",
                                        "save the page and run `digest add page.html`"))
            elif path.is_dir():
                items += [Item(str(p), str(p), options) for p in sorted(path.rglob("*"))
                          if p.suffix.lower() in PAGE_SUFFIXES and p.is_file()
                          and not any(part.startswith(".") for part in p.relative_to(path).parts)]
            elif path.suffix.lower() in (".csv", ".jsonl"):
                items += _manifest_items(path, options, problems)
            elif path.is_file() and _is_feed(data := path.read_bytes()):
                items += _feed_items(raw, data, options, sources, network)
            else:
                items.append(Item(raw, raw, options))
        except DigestError as exc:
            problems += exc.problems
        except OSError as exc:
            problems.append(Problem(raw, 1, f"cannot read it: {exc.strerror}", "check the path"))
    return items, problems


# -- manifests ------------------------------------------------------------------------------

def _manifest_items(path: Path, options: AddOptions, problems: list[Problem]) -> list[Item]:
    """The manifest's rows as items; a bad row is a problem at its line, the others go on."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(text.splitlines())
        unknown = [name for name in reader.fieldnames or [] if name not in MANIFEST_FIELDS]
        if unknown or not reader.fieldnames:
            raise DigestError(Problem(path, 1, f"unknown column(s) {', '.join(unknown) or '(none)'}",
                                      f"the header names columns among {', '.join(MANIFEST_FIELDS)}"))
        rows = [(number, row) for number, row in enumerate(reader, 2)]
    else:
        rows = []
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(path, number, f"not a JSON object: {exc.msg}", "write one JSON object a line"))
                continue
            if not isinstance(row, dict):
                problems.append(Problem(path, number, "not a JSON object", "write one JSON object a line"))
                continue
            rows.append((number, row))
    items = []
    for number, row in rows:
        label = f"{path}:{number}"
        values = {key: str(value).strip() for key, value in row.items()
                  if key in MANIFEST_FIELDS and value not in (None, "")}
        if unknown := [key for key in row if key not in MANIFEST_FIELDS]:
            problems.append(Problem(path, number, f"unknown field(s) {', '.join(map(str, unknown))}",
                                    f"use {', '.join(MANIFEST_FIELDS)}"))
            continue
        if "file" not in values and "url" not in values:
            problems.append(Problem(path, number, "the row names no file and no url",
                                    "give `file` (a path relative to the manifest) or `url`"))
            continue
        if "file" in values and not (path.parent / values["file"]).is_file():
            problems.append(Problem(path, number, f"no file {str(path.parent / values['file'])!r}",
                                    "a row's `file` is a path from the manifest's folder: fix the row, "
                                    "or save the article there"))
            continue
        raw = str(path.parent / values["file"]) if "file" in values else values["url"]
        row_options = replace(options, **{key: values[key] for key in ("title", "source", "published",
                                                                        "language", "url") if key in values})
        items.append(Item(label, raw, row_options))
    return items


# -- feeds ----------------------------------------------------------------------------------

def _is_feed(data: bytes) -> bool:
    start = data[:2048].lstrip().lower()
    return start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and re.search(rb"<(rss|feed|rdf:rdf)\b", start) is not None


def _feed_items(label: str, data: bytes, options: AddOptions, sources: SourceRegistry,
                network: Network) -> list[Item]:
    import feedparser  # imported where it is used

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = f" ({parsed.bozo_exception})" if parsed.get("bozo") else ""
        raise DigestError(Problem(label, 1, f"a feed with no entries{reason}", "check the feed's address or file"))
    feed_name = (parsed.feed.get("title") or "").strip()
    items = []
    for number, entry in enumerate(parsed.entries, 1):
        link = (entry.get("link") or "").strip() or None
        title, _ = strip_site_suffix(" ".join((entry.get("title") or "").split()), sources, feed_name)
        host = urlsplit(link or "").hostname or ""
        known = sources.by_domain(host) or sources.named(feed_name)
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        inferred = Inferred(title=title, source=known.name if known else (feed_name or None),
                            published=dt.datetime(*stamp[:6]) if stamp else None, has_time=bool(stamp),
                            body=_html_text(html), url=link)
        inferred.notes.append(f"from the feed {label}, entry {number}")
        page = network.fetch(link) if link else None
        if page is not None:
            try:
                full = infer_html(page, link, None, sources)
                if len(full.body.split()) > len(inferred.body.split()):
                    inferred.body = full.body
                    inferred.notes.append(f"text: the full page at {link}")
            except DigestError:
                pass  # the entry's own content stays
        if not inferred.title:
            inferred.missing.append("the entry has no title: pass --title TEXT")
        if not inferred.published:
            inferred.missing.append("the entry has no date: pass --published YYYY-MM-DD")
        if not inferred.source:
            inferred.missing.append("the feed names no publication: pass --source NAME")
        words = len(inferred.body.split())
        if words < TEASER_WORDS or re.search(r"(…|\.\.\.|\[…\]|read more|continue reading)\W*$",
                                             inferred.body.strip(), re.I):
            why = f"offline: {network.failure}" if network.failure else "the page was not fetched"
            inferred.missing.append(f"the feed holds only a teaser of {words} words ({why}): save the page at "
                                    f"{link or 'its address'} and run `digest add page.html`")
        items.append(Item(f"{label}:{number}", f"{label}:{number}", options, inferred, (label, number)))
    return items


def _html_text(fragment: str) -> str:
    """An entry's HTML content as paragraphs separated by blank lines (lxml, which
    trafilatura already installs); plain text as it is."""
    if not re.search(r"<[a-zA-Z]", fragment or ""):
        return split_paragraphs((fragment or "").strip()) + "\n"
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for element in root.iter("script", "style"):
        element.drop_tree()
    blocks = []
    for element in root.iter("p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre"):
        text = " ".join(element.text_content().split())
        if text and not any(text in block for block in blocks[-1:]):
            blocks.append(text)
    if not blocks:
        blocks = [" ".join(root.text_content().split())]
    return "\n\n".join(b for b in blocks if b) + "\n"
