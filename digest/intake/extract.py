"""HTML import: an article page -> headline, date, publication, language and text.

Library: trafilatura (the best open-source extractor on the article-extraction benchmark, its
metadata from <meta>/JSON-LD/htmldate, no network and no models). We call it with comments
left out (`include_comments=False`): a digest never wants reader comments, and on the
benchmark that raises F1 from 0.953 (trafilatura's defaults) to 0.960
(benchmarks/extraction.py). The text is stored raw in the article file; `clean` still runs on
it at build time.

`extract_html(html, url)` is what `digest add page.html` calls; `fetch_url(url, timeout)`
fetches a page for `digest add URL`, with a short timeout and a clear error when offline.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import Counter
from html import unescape
from urllib.parse import urlparse

import trafilatura
from trafilatura.settings import use_config

from ..errors import DigestError, Problem

# An <address> holds the contact details of its article or page (a byline, "by <a
# rel=author>"), never its text (HTML's own definition); trafilatura keeps its words. Its
# <time> elements stay: a page may date itself there alone.
_ADDRESS = re.compile(r"<address\b.*?</address\s*>", re.I | re.S)
_TIME = re.compile(r"<time\b.*?</time\s*>", re.I | re.S)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)


def extract_html(html: str | bytes, url: str | None = None) -> dict:
    """{"title", "published" ("YYYY-MM-DD" or None), "source", "source_from", "url",
    "language", "text"}.

    `text` holds the article's paragraphs separated by blank lines; `source` is the
    publication the page names (og:site_name and the like, its first name), else the end of
    its <title> (`source_from` "title"), else its host name, else a copyright line's holder;
    `language` the page's declared language (ISO 639-1) or None. Raises DigestError when no
    article is found.
    """
    if isinstance(html, bytes):
        html = decode_page(html)
    html = _ADDRESS.sub(lambda address: "".join(_TIME.findall(address.group())), html)
    document = _extract(html, url)
    text = (document.text or "").strip() if document else ""
    if text and "\n" not in text:
        # A short article (under trafilatura's 250 characters) is taken by its fallback, which
        # reads the whole <article> as one line: headline, standfirst and text run together.
        # Its main extractor, allowed a short result, keeps the lines apart; taken only when it
        # finds the same text.
        short = _extract(html, url, _SHORT)
        if short and "\n" in (short.text or "") and _same_text(short.text, text):
            text = short.text.strip()
    if not text:
        raise DigestError(Problem(url or "page", 0, "no article text found in the page",
                                  "save the article's own page (not a list or front page), or paste its text"))
    paragraphs = [" ".join(part.split()) for line in text.split("\n") for part in _cells(line) if part.strip()]
    page_url = url or document.url
    page_title, given_sitename = _page_title(html), (document.sitename or "").strip()
    title = (document.title or "").strip() or _headline_line(page_title, paragraphs)
    sitename, holder = _site_or_holder(given_sitename)
    title = _without_site_prefix(title, {given_sitename, sitename})
    headline, title_site = _title_site(page_title, title)
    if title_site and (not sitename or title_site == sitename):
        title = headline
    source = sitename or title_site or _host(page_url) or holder
    return {
        "title": title,
        "published": document.date or None,
        "source": source,
        "source_from": "metadata" if sitename or not title_site else "title",
        "url": page_url,
        "language": _language(document.language) or _declared_language(html),
        "text": "\n\n".join(paragraphs),
    }


_SHORT = use_config()
_SHORT.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")


def _extract(html: str, url: str | None, config=None):
    return trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                       include_tables=True, output_format="python",
                                       **({"config": config} if config else {}))


def _same_text(lines: str, line: str) -> bool:
    """Whether `lines` hold at least 80% of the words of `line` and no word it lacks."""
    words, other = Counter(lines.split()), Counter(line.split())
    return not (words - other) and sum((words & other).values()) >= 0.8 * sum(other.values())


_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
# Declared encodings that pages use for a larger one: a GB2312 page holds GBK and GB18030
# characters, a Latin-1 one Windows-1252's quotes (as browsers read them, per the WHATWG list).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-1": "cp1252",
              "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "big5": "big5hkscs"}


# Where a <title> parts: a spaced dash, bar, colon or guillemet ("Headline - BGR"), a bar or an
# underscore ("Headline_Section_新浪网"), two hyphens or a dash between CJK characters
# ("Headline--大河网", "标题-搜狐财经"; "Covid-19" and "力量——热烈" stay whole).
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_TITLE_SEPARATOR = re.compile(rf"\s+[-–—|:»]\s+|\s*[|｜_]+\s*|-{{2,}}|(?<=[{_CJK}）】」』])[-－–—](?=[{_CJK}])")
_SENTENCE_MARK = re.compile(r"[,.;!?，。；！？“”\"'‘’]\s|[，。；！？“”\"‘’]|[!?]$")
_COPYRIGHT = re.compile(r"(?i)^(?:©|\(c\)|copyright\b|\d{4}\b)|\ball rights reserved\b|版权所有")
_COPYRIGHT_WORDS = re.compile(r"(?i)©|\(c\)|copyright|\d{4}(?:\s*[-–]\s*\d{4})?|all rights reserved|版权所有")


def _page_title(html: str) -> str:
    found = _TITLE.search(html)
    return " ".join(unescape(found.group(1)).split()) if found else ""


def _title_site(page_title: str, headline: str | None) -> tuple[str | None, str | None]:
    """(headline, publication) from a page whose metadata names no publication, when its
    <title> ends with one: "Headline__商贸_产业资讯_新浪网", "Headline – BGR". The headline is
    the title's start up to a separator (as the extractor found it, or the title's first part
    when it is the longest); the last part is a publication only when it reads like a name: 2-40
    characters and shorter than the headline, no sentence punctuation (a second headline has
    some), and a Latin one opens with a capital or is a domain ("the man who changed America"
    is no site)."""
    if not headline or not page_title.startswith(headline):
        return headline, None
    found = headline
    # Case A: the extractor's headline is the title's start; case B: it is the whole title.
    start = len(headline) if len(page_title) > len(headline) else 1
    separators = [m for m in _TITLE_SEPARATOR.finditer(page_title) if m.start() >= start]
    if not separators:
        return found, None
    site = page_title[separators[-1].end():].strip()
    if start == 1:  # "Headline_Section_Site": the headline is the first part, the longest
        headline = page_title[:separators[0].start()].strip()
        parts = [page_title[a.end():b.start()] for a, b in zip(separators, separators[1:])]
        if any(len(part) >= len(headline) for part in parts):
            return found, None
    readable = (2 <= len(site) <= min(40, len(headline) - 1) and re.search(r"[^\W\d_]", site)
                and not _SENTENCE_MARK.search(site) and not _COPYRIGHT.search(site)
                and (not site[0].isascii() or site[0].isupper() or "." in site))
    return (headline, site) if readable else (found, None)


_DOMAIN = re.compile(r"(?i)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def _one_name(sitename: str) -> str:
    """A site name given with a tagline or a list ("LinkNaija | Nigeria's popular news platform",
    "www.yunnan.cn,云南日报网,云南日报报业集团新闻网络信息中心"): its first part that is no web
    address (the address when all are). A comma splits only beside an address ("Wikimedia
    Foundation, Inc." is one name)."""
    bar = re.search(r"[|｜]", sitename)
    parts = [part.strip() for part in re.split(r"[|｜,，]" if bar else r"[,，]", sitename) if part.strip()]
    if len(parts) < 2 or not (bar or any(_DOMAIN.fullmatch(part) for part in parts)):
        return sitename
    return next((part for part in parts if not _DOMAIN.fullmatch(part)), parts[0])


def _without_site_prefix(title: str | None, names: set[str]) -> str | None:
    """The headline without the page's own site name before it ("LinkNaija | Nigeria's
    popular news platform: Nollywood Actress ..." in og:title)."""
    for name in sorted(filter(None, names), key=len, reverse=True):  # the whole name before its first part
        if title and title.startswith(name):
            separator = re.match(r"\s*[:|｜»\-–—]+\s*", title[len(name):])
            if separator and title[len(name) + separator.end():].strip():
                return title[len(name) + separator.end():].strip()
    return title


def _site_or_holder(sitename: str) -> tuple[str, str | None]:
    """(site name, None), or ("", the holder) when the page gives its name only in a copyright
    line (trafilatura reads <meta name="copyright">): "人民网版权所有" is 人民网 ("... all rights
    reserved"), but "2001-2013 Comsenz Inc." is the forum software's maker; the holder is
    taken only when neither the title nor an address names the publication."""
    if not _COPYRIGHT.search(sitename):
        return _one_name(sitename), None
    return "", _COPYRIGHT_WORDS.sub(" ", sitename).strip(" ,.;:-–—") or None


def _headline_line(title: str, paragraphs: list[str]) -> str | None:
    """The headline when trafilatura finds none (it passes over many a <title> such as
    "Headline__Section_Site"): the longest line of the text that the page's <title> starts
    with, up to a separator. A <title> alone may be the site's name; the line shows it is the
    article's."""
    lines = [line for line in paragraphs[:60] if len(line) >= 4 and title.startswith(line)
             and (len(title) == len(line) or not title[len(line)].isalnum())]
    return max(lines, key=len, default=None)


def decode_page(data: bytes) -> str:
    """A saved page's text: UTF-8 if it is, else the charset its <meta> declares (as a
    browser widens it), else what charset-normalizer finds."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(_SUPERSETS.get(name, name), errors="replace")
        except LookupError:
            pass  # an encoding Python does not know
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    return str(guess) if guess else data.decode("utf-8", errors="replace")


_TABLE_ROW = re.compile(r"^\s*\|")
_RULE_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


def _cells(line: str) -> list[str]:
    """A table row as trafilatura writes it ("| cell | cell |") -> its cells, each a paragraph:
    pages laid out with tables hold their paragraphs in cells, and a "|" row is no text to
    read or summarise. Any other line is itself."""
    if not _TABLE_ROW.match(line):
        return [line]
    return [cell for cell in line.strip().strip("|").split("|") if cell.strip() and not _RULE_CELL.match(cell)]


def fetch_url(url: str, timeout: float) -> bytes:
    """The page at `url`; DigestError with the reason and the way around it on failure."""
    if urlparse(url).scheme not in ("http", "https"):
        raise DigestError(Problem(url, 0, "not an http(s) address", "give the page's address, starting with https://"))
    request = urllib.request.Request(url, headers={"User-Agent": "digest (+https://www.mkdocs.org)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise DigestError(Problem(url, 0, f"cannot fetch the page: {reason}",
                                  "check the address and the network, or save the page and run "
                                  "`digest add page.html`")) from exc


def _host(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _declared_language(html: str | bytes) -> str | None:
    """The `<html lang="...">` of the page."""
    head = html[:5000].decode("utf-8", "replace") if isinstance(html, bytes) else html[:5000]
    match = re.search(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2})\b", head, re.IGNORECASE)
    return match.group(1).lower() if match else None


def _language(value: str | None) -> str | None:
    match = re.match(r"^([a-z]{2})(?:[-_]|$)", (value or "").strip().lower())
    return match.group(1) if match else None
