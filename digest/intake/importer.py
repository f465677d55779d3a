"""`digest add`: raw article text -> a correctly named article file with front matter.

The raw text is what a scraper or a copy-paste gives: the headline first (sometimes under a
site-name line), then the body, junk included. We infer only what the text states (headline,
dateline, publication), report what we could not infer, and store the body unchanged:
cleaning happens at build time. Nothing is asked interactively.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..atomic import FILE_MODE
from ..errors import DigestError, Problem
from ..settings import Settings
from ..yaml_input import CONTROL
from .articles import ARTICLES_DIR, article_files, make_slug, parse_article, same_source
from .duplicates import near_duplicates, text_fingerprint
from .language import LONG, UNDETERMINED, close_languages
from .mojibake import repair
from .sources import SourceRegistry, load_sources, name_key

MONTHS = {
    **{m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july",
                                    "august", "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                                    "oct", "nov", "dec"], 1)},
    "sept": 9,
    **{m: i for i, m in enumerate(["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
                                    "августа", "сентября", "октября", "ноября", "декабря"], 1)},
    **{m: i for i, m in enumerate(["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен",
                                    "окт", "ноя", "дек"], 1)},
}
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
# One word: page widgets often stand before the agency on the same line ("Print E-mail Xinhua").
_AGENCY = r"(?P<agency>[A-ZА-ЯЁ][\w.\-]+)"

# Dateline forms, tried in order on the first lines of the text. Each names what it found.
DATELINES = [
    # "14.11.2015 22:54", "14.11.2015"
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?(?!\d)"),
    # "2015-12-14", "2015-12-14 22:54"
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})(?:[ T](?P<hour>\d{2}):(?P<minute>\d{2}))?"),
    # "Xinhua, December 15, 2015"
    re.compile(_AGENCY + r",\s+" + _MONTH + r"\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"),
    # "December 15, 2015" / "15 December 2015"
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\s+" + _MONTH + r"\s+(?P<year>\d{4})"),
    # "2022年12月11日"
    re.compile(r"(?P<year>\d{4})年(?P<mon>\d{1,2})月(?P<day>\d{1,2})日"),
    # "新华社北京12月11日电" (agency, place, month, day)
    re.compile(r"^(?P<agency>[\u4e00-\u9fff]{1,4}社)[\u4e00-\u9fff]{0,4}?(?P<mon>\d{1,2})月(?P<day>\d{1,2})日电"),
    # "MOSCOW, December 14." / "ROME, 11 December." / "СУХУМ, 14 ноя — Sputnik."
    re.compile(r"^(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ'\- ]{2,}),\s+(?:(?P<day>\d{1,2})\s+" + _MONTH + r"|"
               + _MONTH.replace("month", "month2") + r"\s+(?P<day2>\d{1,2}))\.?"
               r"(?:\s*[—–-]+\s*(?P<agency>[\w][\w .\-]*?)\.)?"),
]
# Lines that name the publication; a "Source:" line beats the dateline's agency, which beats
# the rest (where the text was posted, the site's own name, its "follow us" footer).
SOURCE_LINE = ("a 'Source:' line", re.compile(r"^\s*(?:Source|Источник)\s*:\s*(?P<name>\S.{1,60}?)\s*$", re.I | re.M))
WEAK_SOURCE_LINES = [
    ("a 'Posted:' line", re.compile(r"^\s*(?:Posted|Размещено)\s*:\s*(?P<name>\S.{1,60}?)\s*$", re.I | re.M)),
    ("a 'Follow … on' line", re.compile(r"^\s*Follow (?P<name>\S+) on (?:Twitter|Facebook)", re.M)),
    # "…研究成果让人脑洞大开-新华网": a Chinese site name after the headline
    ("the site name after the headline",
     re.compile(r"\A[^\n]*?\s*[-－—|]\s*(?P<name>[\u4e00-\u9fff]{2,6}[网报社台])\s*$", re.M)),
]
TOP_LINES = 6  # datelines stand near the top; dates further down are events, not publication


@dataclass
class Inferred:
    """What the text told us about itself, with where each fact came from."""

    title: str = ""
    source: str | None = None
    published: dt.datetime | None = None
    has_time: bool = False
    body: str = ""
    url: str | None = None
    language: str | None = None
    headline_line: str | None = None  # raw text's line taken as the headline, as written
    notes: list[str] = field(default_factory=list)  # what was inferred, and from what
    missing: list[str] = field(default_factory=list)  # what could not be inferred, and the flag to pass


REPAIRED = "mis-decoded characters (such as 'Ã©' for 'é') repaired"
CONTROLS_DROPPED = "control characters (such as NUL) dropped"


def infer(raw: str, sources: SourceRegistry | None = None) -> Inferred:
    """Headline, body, dateline and publication from raw article text. A first line is
    taken for a site name only when the sources registry knows it: a short headline
    ("Putin meets Obama") is a headline."""
    sources = sources or load_sources()
    text, garbled = repair(raw.replace("\r\n", "\n").lstrip("\ufeff"))  # before the dateline is read
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    result = Inferred()
    if garbled:
        result.notes.append(REPAIRED)
    if not content:
        result.missing.append("the text is empty")
        return result
    head = content[0]
    site_name = None
    if len(content) > 1 and sources.named(lines[content[0]]):
        site_name = lines[content[0]].strip()
        head = content[1]
        result.notes.append(f"'{site_name}' stands above the headline: the sources registry knows it as a site name")
    result.headline_line = lines[head].strip()
    result.title, suffix = strip_site_suffix(" ".join(lines[head].split()), sources)
    result.notes.append(f"title: {result.title!r} (first line)")
    if suffix:
        result.notes.append(f"'{suffix}' after the headline names the publication: cut from the title")
    body_lines = lines[head + 1:]
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
    result.body = split_paragraphs("\n".join(body_lines).rstrip()) + "\n"

    top = [lines[i].strip() for i in content[:TOP_LINES + 1]]
    date, agency, dateline = _find_dateline(top)
    if date and date[0]:
        year, month, day, hour, minute = date
        try:
            result.published = dt.datetime(year, month, day, hour or 0, minute or 0)
            result.has_time = hour is not None
            shown = f"{result.published:%Y-%m-%d %H:%M}" if result.has_time else f"{result.published:%Y-%m-%d}"
            result.notes.append(f"published: {shown} (dateline {dateline!r})")
        except ValueError:
            result.missing.append(f"the dateline {dateline!r} is not a real date: pass --published YYYY-MM-DD")
    elif date:
        result.missing.append(f"no year in the dateline {dateline!r}: pass --published YYYY-MM-DD")
    else:
        result.missing.append("no dateline found: pass --published YYYY-MM-DD")

    candidates = [(SOURCE_LINE[0], SOURCE_LINE[1].search(text))]
    candidates.append((f"dateline {dateline!r}", agency))
    candidates += [(how, pattern.search(text)) for how, pattern in WEAK_SOURCE_LINES[:1]]
    candidates.append(("the site name above the headline", site_name))
    candidates.append(("the site name after the headline", suffix))
    candidates += [(how, pattern.search(text)) for how, pattern in WEAK_SOURCE_LINES[1:]]
    for how, found in candidates:
        if found:
            name = found if isinstance(found, str) else found.group("name").strip()
            result.source = sources.canonical(name)
            known = f", the registry's name for {name!r}" if result.source != name else ""
            result.notes.append(f"source: {result.source!r} ({how}{known})")
            break
    else:
        result.missing.append("the text does not name its publication: pass --source NAME")
    return result


# The end of a sentence in any script: . ! ? … and the CJK 。！？, before closing quotes.
_SENTENCE_END = re.compile(r"[.!?…。！？।॥؟۔][\"'”’»）)」』]*\s*$")


def split_paragraphs(text: str) -> str:
    """Text whose paragraphs are one line each, separated by single newlines (Chinese news,
    copied text), with a blank line between paragraphs: a line that ends a sentence ends its
    paragraph. A line that stops mid-sentence is a wrapped line and stays with the next one.
    Text that already separates paragraphs by blank lines is left as it is."""
    if re.search(r"\n\s*\n", text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        out.append(line)
        if _SENTENCE_END.search(line):
            out.append("")
    return "\n".join(out).rstrip()


_SUFFIX = re.compile(r"^(?P<title>.+?)\s*(?:\s[-–—|:]\s|[-－–—|｜_])\s*(?P<site>[^-–—|｜_]{2,40})$")
_SEPARATOR = re.compile(r"\s[-–—|·:]\s|\s*[|｜]\s*")


def strip_site_suffix(title: str, sources: SourceRegistry, own: str | None = None) -> tuple[str, str | None]:
    """("…研究成果让人脑洞大开", "新华网") from "…研究成果让人脑洞大开-新华网": a trailing
    "- Site", "| BBC News" or "— РИА Новости" is cut only when the registry knows the site, or
    when it is the name the page gives itself (`own`: "… - 9to5Mac" on 9To5Mac's page, "… |
    Inexhibit" on Inexhibit magazine's, "… - Remember 80/90 - Memorabilia anni 80/90")."""
    match = _SUFFIX.match(title)
    if match and sources.named(match["site"]) and match["title"].strip():
        return match["title"].strip(), match["site"].strip()
    # The page's name, and its first words ("Inexhibit" of "Inexhibit magazine"), as keys.
    words = (own or "").split()
    names = {name_key(" ".join(words[:n])) for n in range(1, len(words) + 1)} - {""}
    for separator in _SEPARATOR.finditer(title):
        head, tail = title[:separator.start()].strip(), title[separator.end():].strip()
        if head and len(name_key(tail)) >= 3 and name_key(tail) in names:
            return head, tail
    return title, None


def _find_dateline(top: list[str]) -> tuple[tuple | None, str | None, str | None]:
    """((year, month, day, hour, minute), agency, the text matched); year None when absent."""
    partial = None
    for pattern in DATELINES:
        for line in top:
            match = pattern.search(unicodedata.normalize("NFKC", line))  # full-width digits
            if not match:
                continue
            groups = match.groupdict()
            month_name = (groups.get("month") or groups.get("month2") or "").lower().rstrip(".")
            month = int(groups["mon"]) if groups.get("mon") else MONTHS.get(month_name)
            if not month:
                continue
            day = int(groups.get("day") or groups.get("day2"))
            hour = int(groups["hour"]) if groups.get("hour") else None
            minute = int(groups["minute"]) if groups.get("minute") else None
            year = int(groups["year"]) if groups.get("year") else None
            agency = groups.get("agency")
            found = ((year, month, day, hour, minute), agency.strip() if agency else None, match.group(0).strip())
            if year:
                return found
            partial = partial or found
    return partial if partial else (None, None, None)


@dataclass
class AddOptions:
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None


def infer_html(html: str | bytes, url: str | None, settings: Settings,
               sources: SourceRegistry | None = None) -> Inferred:
    """What an article page's metadata and text say, extracted by trafilatura (digest.intake.extract).
    The sources registry names the publication from the page's site name or its domain, and
    cuts a known site name after the headline."""
    from urllib.parse import urlsplit

    from .extract import extract_html
    sources = sources or load_sources()
    page = extract_html(html, url)
    title, suffix = strip_site_suffix(page["title"] or "", sources, page["source"])
    host = urlsplit(page["url"] or "").hostname or ""
    known = sources.named(page["source"] or "") or sources.by_domain(host) or (suffix and sources.named(suffix))
    result = Inferred(title=title, source=known.name if known else page["source"], body=page["text"].rstrip() + "\n")
    result.url, result.language = page["url"], page["language"]
    if result.title:
        result.notes.append(f"title: {result.title!r} (page metadata)")
        if suffix:
            result.notes.append(f"'{suffix}' after the headline names the publication: cut from the title")
    else:
        result.missing.append("the page has no headline: pass --title TEXT")
    if page["published"]:
        result.published = dt.datetime.fromisoformat(page["published"])
        result.notes.append(f"published: {page['published']} (page metadata)")
    else:
        result.missing.append("the page states no date: pass --published YYYY-MM-DD")
    if result.source and page["source_from"] == "title" and not known:
        result.notes.append(f"source: {result.source!r} (it ends the page's <title>; if it is not the publication, "
                            "pass --source NAME)")
    elif result.source:
        result.notes.append(f"source: {result.source!r} (page metadata)")
    else:
        result.missing.append("the page does not name its publication: pass --source NAME")
    return result


def read_raw(raw: str, settings: Settings, sources: SourceRegistry | None = None) -> Inferred:
    """Raw article text, a saved .html page, or an http(s) address -> what it states."""
    if re.match(r"https?://", raw):
        from .extract import fetch_url
        return infer_html(fetch_url(raw, settings.section("extract")["fetch_timeout"]), raw, settings, sources)
    path = Path(raw)
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm"):
        try:
            return infer_html(data, None, settings, sources)
        except DigestError as exc:  # extraction knows no file name: the message gives this one
            raise DigestError([Problem(raw, 1, p.message, p.fix) for p in exc.problems]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes
        guess = from_bytes(data).best()
        if guess is None:
            raise DigestError(Problem(raw, 1, "cannot tell the file's encoding", "save it as UTF-8"))
        text = str(guess)
    return infer(text, sources)


def add_article(raw: Path | str, docs_dir: Path, settings: Settings, options: AddOptions,
                detect_language=None, *, inferred: Inferred | None = None,
                where: tuple[str, int] | None = None,
                sources: SourceRegistry | None = None) -> tuple[Path, list[str]]:
    """Import one raw text file, saved page or URL (or what `inferred` holds: a feed's entry).
    Returns (written file, notes); raises DigestError, writing nothing, when something the
    article needs is unknown. Problems name `raw`, or `where` (a feed and its entry).
    `sources`: the registry, when the caller has it loaded (many items)."""
    sources = sources or load_sources(docs_dir / settings.section("articles")["sources_file"])
    try:
        return _add_article(str(raw), docs_dir, settings, options, detect_language, inferred, sources)
    except DigestError as exc:
        if where is None:
            raise
        raise DigestError([Problem(where[0], where[1], p.message, p.fix) if str(p.path) == str(raw) else p
                           for p in exc.problems]) from None


def _add_article(raw: str, docs_dir: Path, settings: Settings, options: AddOptions, detect_language,
                 inferred: Inferred | None, sources: SourceRegistry) -> tuple[Path, list[str]]:
    inferred = inferred or read_raw(raw, settings, sources)
    notes = list(inferred.notes)
    # A page's or a feed's text (raw text was repaired before its dateline was read).
    (inferred.title, garbled_title), (inferred.body, garbled_body) = repair(inferred.title or ""), repair(inferred.body)
    if garbled_title or garbled_body:
        notes.append(REPAIRED)
    if CONTROL.search(inferred.title) or CONTROL.search(inferred.body):
        # NUL and the like (a scrape's or a binary copy's) would be written into the article,
        # and every build would warn of them: the article file is written without them.
        inferred.title, inferred.body = CONTROL.sub("", inferred.title), CONTROL.sub("", inferred.body)
        notes.append(CONTROLS_DROPPED)
    missing = []
    title = options.title or inferred.title
    source = options.source or inferred.source
    url = options.url or inferred.url
    published, has_time = inferred.published, inferred.has_time
    if options.published:
        try:
            published = dt.datetime.fromisoformat(options.published)
            has_time = len(options.published) > 10
        except ValueError:
            raise DigestError(Problem(raw, 1, f"--published {options.published!r} is not an ISO 8601 date",
                                      "write it as YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"))
    given = {"--published": options.published, "--source": options.source, "--title": options.title}
    for item in inferred.missing:
        flag = item.rsplit("pass ", 1)[-1].split()[0] if "pass " in item else ""
        if not given.get(flag):
            missing.append(item)
    if not inferred.body.strip() and "the text is empty" not in missing:
        missing.append("no article text under the headline")
    if missing:
        raise DigestError([Problem(raw, 1, m) for m in missing])
    for flag, value in given.items():
        if value:
            notes.append(f"{flag[2:]}: {value!r} (given)")
    body = inferred.body
    line = inferred.headline_line
    if options.title and line and " ".join(options.title.split()) not in (" ".join(line.split()), inferred.title):
        body = f"{line}\n\n{body}"  # never lose a word: --title replaces the headline, not the text
        notes.append(f"the text's first line {line[:60]!r} is kept as its first paragraph: --title is the headline")

    language = options.language or inferred.language
    if not options.language and detect_language:
        code, confidence = detect_language(inferred.body)
        if not language and code != UNDETERMINED:
            language = code
            notes.append(f"language: {code} (detected, confidence {confidence:.2f})")
        elif (language and code not in (UNDETERMINED, language) and not close_languages(code, language)
              and sum(c.isalpha() for c in inferred.body) >= LONG
              and confidence >= settings.section("language")["low_confidence"]):
            # A site's template may declare one language for every page (an English article
            # on a German edition's page said lang="de"): the text's own wins when sure.
            notes.append(f"language: {code} (detected, confidence {confidence:.2f}; the page declares {language})")
            language = code
    if inferred.language and language == inferred.language and not options.language:
        notes.append(f"language: {inferred.language} (page metadata)")

    meta: dict = {"title": " ".join(str(title).split()), "source": " ".join(str(source).split()),
                  "published": published if has_time else published.date()}
    if url:
        meta["url"] = url
    if language:
        meta["language"] = language
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    text = f"---\n{front}---\n\n{body}"
    folder = docs_dir / ARTICLES_DIR / f"{published:%Y}" / f"{published:%m}"
    with _articles_locked(docs_dir):  # a second `digest add` of the same text waits, then finds it
        existing = _existing_articles(docs_dir, settings)
        _refuse_duplicates(raw, url, inferred.body, meta["source"], existing, settings, sources)
        target = _free_name(folder, meta["title"], {a.slug for a in existing},
                            settings.section("articles").get("slug_max_length", 80))
        _write_checked(target, text, raw, docs_dir, settings)
    return target, notes


def _free_name(folder: Path, title: str, taken: set[str], max_length: int) -> Path:
    """`<slug>.md`, or `<slug>-2.md`, … : a name whose slug (the file name, cut to the
    slug length as the build cuts it) no other article has. The number is kept inside the
    length, so two long titles that differ only after the cut still get two slugs."""
    slug = make_slug(title, max_length)
    number = 1
    while True:
        name = slug if number == 1 else f"{make_slug(title, max_length - len(str(number)) - 1)}-{number}"
        target = folder / f"{name}.md"
        if make_slug(name, max_length) not in taken and not target.exists():
            return target
        number += 1


def _write_checked(target: Path, text: str, raw: str, docs_dir: Path, settings: Settings) -> None:
    """Write the article only if `digest check` accepts it: it is read back exactly as the
    build reads it (from a temporary file in the articles folder, which the build skips),
    and any error is reported against the input file, with nothing written."""
    handle, temp = tempfile.mkstemp(dir=docs_dir / ARTICLES_DIR, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, FILE_MODE)
        _, problems = parse_article(Path(temp), docs_dir, settings)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise DigestError([Problem(raw, 1, f"{p.message} (in the article it would write)", p.fix)
                               for p in errors])
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(temp, target)  # never replaces a file: a name taken meanwhile fails here
    finally:
        Path(temp).unlink(missing_ok=True)


@contextlib.contextmanager
def _articles_locked(docs_dir: Path):
    """An exclusive lock on the articles folder (flock on the folder itself: no lock file)
    while one `digest add` looks for duplicates and writes."""
    folder = docs_dir / ARTICLES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _existing_articles(docs_dir: Path, settings: Settings):
    articles = []
    for path in article_files(docs_dir):
        article, _ = parse_article(path, docs_dir, settings)
        if article:
            articles.append(article)
    return articles


def _refuse_duplicates(raw_path: str, url: str | None, body: str, source: str, existing, settings: Settings,
                       sources: SourceRegistry) -> None:
    """The same url is the same article; the same (or nearly the same) text is one only from
    the same source: from another, it is a syndicated copy, which the digest takes."""
    fingerprint = text_fingerprint(body)
    source = sources.canonical(source)
    ours = {a.rel_path for a in existing if same_source(sources.canonical(a.source), source)}
    for article in existing:
        if url and article.url and article.url.rstrip("/") == url.rstrip("/"):
            raise DigestError(Problem(raw_path, 1, f"already in the digest: {article.rel_path} has the same url",
                                      "nothing to add"))
        if article.rel_path in ours and text_fingerprint(article.body) == fingerprint:
            raise DigestError(Problem(raw_path, 1, f"already in the digest: {article.rel_path} has the same text "
                                      f"from the same source", "nothing to add"))
    bodies = {a.rel_path: a.body for a in existing if a.rel_path in ours}
    bodies["\0new"] = body
    for a, b, jaccard in near_duplicates(bodies, settings):
        if "\0new" in (a, b):
            other = b if a == "\0new" else a
            raise DigestError(Problem(raw_path, 1, f"already in the digest: {other} has {jaccard:.0%} the same text "
                                      f"from the same source",
                                      "nothing to add; edit that file if this is a newer version"))
