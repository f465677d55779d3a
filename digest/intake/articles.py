"""Article files -> validated `Article` records, and every problem found on the way.

An article is a Markdown file under `<docs_dir>/articles/` (sub-folders allowed): YAML front
matter between `---` lines, then the text as published. Front matter is validated here, once;
every problem is collected (never just the first) as a `Problem` with the file and line.

Libraries: PyYAML (its node marks give the line of each field), charset-normalizer (names
the encoding of a file that is not UTF-8), python-slugify (transliterates Cyrillic and other
scripts into readable ASCII slugs), Babel (already installed by Material: the ISO 639-1
language names).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from slugify import slugify

from .. import yaml_input
from ..cache import Cache
from ..errors import Problem
from ..model import Article
from ..settings import Settings
from .duplicates import near_duplicates
from .mojibake import repair

ARTICLES_DIR = "articles"
REQUIRED_FIELDS = ("title", "source", "published")
OPTIONAL_FIELDS = ("url", "language", "summary", "tags", "story", "storyline")
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
FENCE = "---"
_CONTROL = yaml_input.CONTROL
# Headlines run long in languages of many short words: of the Telegram contest's 488 (one hour of
# 2020's news, ~20 languages) the longest <h1> had 28 words (Hindi, Romanian), the 99th percentile
# 26. A paragraph that ends as a sentence is caught by its full stop at any length.
_HEADLINE_WORDS = 35


@cache
def language_names() -> dict[str, str]:
    """ISO 639-1 code -> English name, from Babel's CLDR data."""
    return {code: name for code, name in Locale("en").languages.items()
            if len(code) == 2 and code.isalpha()}


def language_name(code: str) -> str:
    return language_names().get(code, code)


RESERVED_SLUGS = {"index": "index-page"}  # "index" is each folder's listing page


@functools.lru_cache(maxsize=1 << 14)  # pages ask for the same source's slug thousands of times
def make_slug(text: str, max_length: int = 80) -> str:
    """A readable ASCII slug (Cyrillic and other scripts transliterated); never "index"."""
    slug = slugify(text, max_length=max_length, word_boundary=True, save_order=True) or "article"
    return RESERVED_SLUGS.get(slug, slug)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number of the body's first line), or None without fences."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            front = "\n".join(lines[1:index])
            body_lines = lines[index + 1:]
            first = index + 2  # 1-based line of the line after the closing fence
            blank = 0
            while blank < len(body_lines) and not body_lines[blank].strip():
                blank += 1
            if blank == len(body_lines):  # no text: point at the line after the fence
                return front, "", first
            return front, "\n".join(body_lines[blank:]).rstrip() + "\n", first + blank
    return None


def _relative(path: Path, docs_dir: Path) -> str:
    """The article's path inside the docs dir ("articles/2015/12/x.md"), however the two are
    given (`digest inspect site_src/articles/...` has a relative path and an absolute docs dir)."""
    if path.is_relative_to(docs_dir):
        return path.relative_to(docs_dir).as_posix()
    absolute, root = Path(os.path.abspath(path)), Path(os.path.abspath(docs_dir))
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(path)


def parse_article(path: Path, docs_dir: Path, settings: Settings,
                  now: dt.datetime | None = None) -> tuple[Article | None, list[Problem]]:
    """Read and validate one article file. Returns the article (None if unusable) and problems."""
    rel = _relative(path, docs_dir)
    shown = shown_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, f"cannot read the file: {exc.strerror}",
                              "check that it is a readable file (permissions, a folder named like a file)")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [yaml_input.not_utf8(shown, raw, exc)]
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    problems: list[Problem] = []
    if _CONTROL.search(text):
        # NUL and other control characters are invisible, break XML (feeds, sitemaps) and
        # have no place in news text: dropped here, once, for every later stage.
        line = text[:_CONTROL.search(text).start()].count("\n") + 1
        text = _CONTROL.sub("", text)
        problems.append(Problem(shown, line, "control characters (such as NUL) in the file were dropped",
                                "save the file without them", "warning"))
    text, garbled_line = repair(text)
    if garbled_line:
        problems.append(Problem(shown, garbled_line, "mis-decoded characters (such as 'Ã©' for 'é' or 'â€™' for "
                                "'’') were repaired here and on any later line",
                                "save the file with the repaired text (`digest add` repairs what it imports)",
                                "warning"))
    split = split_front_matter(text)
    if split is None:
        closed = text.startswith(FENCE)
        message = "front matter is not closed by a '---' line" if closed else "no front matter"
        return None, problems + [Problem(shown, 1, message,
                                         "start the file with '---', the fields (title, source, published), then '---'")]
    front, body, body_line = split
    try:  # one parse: the node gives each field's line, the values come from it
        document = yaml_input.parse(front, first_line=2)  # the line after the opening fence
    except yaml_input.InputError as exc:
        return None, problems + [Problem(shown, exc.line, f"front matter: {exc.message}", exc.fix)]
    node, meta = document.node, document.data if document.node is not None else {}
    for line in document.control_lines:
        problems.append(Problem(shown, line, "control characters (such as NUL) in a value were dropped",
                                "remove the escape (\\0, \\x07, …) from the value", "warning"))
    if not isinstance(meta, dict):
        return None, [Problem(shown, 2, "front matter is not a set of 'field: value' lines",
                              "write one 'field: value' per line")]
    lines = _field_lines(node)
    fields = ArticleFields(shown, meta, lines, problems, _written(node))

    for key in meta:
        if key not in KNOWN_FIELDS:
            problems.append(Problem(shown, lines.get(key, 2), f"unknown field '{key}'",
                                    f"known fields: {', '.join(KNOWN_FIELDS)}", "warning"))
    title = fields.required_text("title")
    if title and (_words(title) > _HEADLINE_WORDS or re.search(r"[^A-Z.][.。]$", title)):
        # A paragraph taken for the headline on import (the headline itself then lost).
        problems.append(Problem(shown, lines.get("title", 2), f"the title reads like a paragraph "
                                f"({_words(title)} words{', ends with a full stop' if title[-1] in '.。' else ''})",
                                "give the headline as `title:`; put the paragraph back at the start of the text",
                                "warning"))
    source = fields.required_text("source")
    published, has_time = fields.date("published", settings, now)
    url = fields.url("url")
    language = fields.language("language")
    summary = fields.optional_text("summary")
    story = fields.story("story")
    storyline = fields.story("storyline")
    tags = fields.tags("tags")
    if not body.strip():
        problems.append(Problem(shown, body_line, "the article has no text after the front matter",
                                "paste the article text below the closing '---'"))
    if any(p.severity == "error" for p in problems):
        return None, problems
    slug = make_slug(path.stem, settings.section("articles").get("slug_max_length", 80))
    article = Article(
        path=path, rel_path=rel, slug=slug, title=title, source=source, published=published,
        has_time=has_time, body=body, body_line=body_line, url=url,
        language=language or "und", summary_override=summary, tags=tags, story_override=story,
        storyline_override=storyline,
    )
    return article, problems


def _words(text: str) -> int:
    """Words of a title; in scripts written without spaces, about two characters a word."""
    spaced = len(text.split())
    return spaced if spaced > 1 else len(text) // 2


class ArticleFields:
    """Typed access to front matter fields; each failure appends a Problem at the field's line."""

    def __init__(self, path: str, meta: dict, lines: dict, problems: list[Problem],
                 written: dict | None = None):
        self.path, self.meta, self.lines, self.problems = path, meta, lines, problems
        self.written = written or {}  # field -> its single value as written (`title: 1984`)

    def _problem(self, key: str, message: str, fix: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.path, self.lines.get(key, 1), message, fix, severity))

    def required_text(self, key: str) -> str:
        value = self.meta.get(key)
        if key not in self.meta:
            self._problem(key, f"missing required field '{key}'", f"add '{key}: ...' to the front matter")
            return ""
        if value is None or (isinstance(value, str) and not value.strip()):
            self._problem(key, f"field '{key}' is empty", f"give '{key}' a value")
            return ""
        if not isinstance(value, str) and key in self.written:
            value = self.written[key]  # a headline that YAML reads as a number or a date is text
        if not isinstance(value, str):
            self._problem(key, f"field '{key}' must be text", f"write '{key}' as one line of text")
            return ""
        return " ".join(value.split())

    def optional_text(self, key: str) -> str | None:
        if self.meta.get(key) is None:
            return None
        value = self.meta[key]
        if not isinstance(value, str) and key in self.written:
            value = self.written[key]
        if not isinstance(value, str):
            self._problem(key, f"field '{key}' must be text", f"write '{key}' as text")
            return None
        return value.strip() or None

    def date(self, key: str, settings: Settings, now: dt.datetime | None) -> tuple[dt.datetime, bool]:
        fallback = dt.datetime(1970, 1, 1)
        if key not in self.meta or self.meta[key] in (None, ""):
            self.required_text(key)  # reports missing / empty
            return fallback, False
        value = self.meta[key]
        if isinstance(value, dt.datetime):
            published, has_time = value, True
        elif isinstance(value, dt.date):
            published, has_time = dt.datetime.combine(value, dt.time()), False
        elif not isinstance(value, (str, int, float)):
            self._problem(key, f"'{key}' is not a date: {yaml_input.shown(value)}",
                          "write the date it was published as YYYY-MM-DD or YYYY-MM-DD HH:MM")
            return fallback, False
        else:
            text = str(value).strip()
            try:
                published = dt.datetime.fromisoformat(text)
            except ValueError as exc:
                # fromisoformat names what is wrong with a date of the right shape
                # ("day is out of range for month"); anything else is not a date at all.
                shape = re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?", text)
                reason = "the time zone offset is not between -24:00 and +24:00" if "offset" in str(exc) else exc
                what = f"not a real date ({reason})" if shape and "Invalid isoformat" not in str(exc) \
                    else "not an ISO 8601 date"
                self._problem(key, f"'{key}' is {what}: {text[:40]!r}",
                              "write the date it was published as YYYY-MM-DD or YYYY-MM-DD HH:MM "
                              "(e.g. 2015-12-14 22:54)")
                return fallback, False
            has_time = len(text) > 10
        if published.tzinfo is not None:
            try:
                published = published.astimezone(dt.timezone.utc).replace(tzinfo=None)
            except OverflowError:  # year 1 or 9999 moved past the calendar's end by its offset
                self._problem(key, f"'{key}' lies outside the calendar once its time zone is applied: {value}",
                              "write the date it was published as YYYY-MM-DD or YYYY-MM-DD HH:MM")
                return fallback, False
        tolerance = dt.timedelta(days=settings.section("articles").get("future_tolerance_days", 1))
        if published > (now or dt.datetime.now()) + tolerance:
            self._problem(key, f"'{key}' is in the future: {published:%Y-%m-%d}",
                          "check the year and month; use the date the article was published")
        return published, has_time

    def url(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value and not re.match(r"https?://[^\s/]+\.[^\s]*$", value):
            # Also what keeps `javascript:` and `data:` links off the page.
            self._problem(key, f"'{key}' is not an http(s) address: {value!r}",
                          "give the article's original address, starting with https:// or http://")
            return None
        return value

    def story(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value is not None and value != make_slug(value):
            # The value is a page's address (stories/<value>/, storylines/<value>/): anything
            # but a slug could leave that folder ('../') or carry markup into URLs.
            self._problem(key, f"'{key}' is not a slug: {value!r}",
                          f"write it in lower case with hyphens, e.g. '{key}: {make_slug(value)}'")
            return None
        return value

    def language(self, key: str) -> str | None:
        value = self.optional_text(key)
        if value is None:
            return None
        code = value.lower()
        if code not in language_names():
            self._problem(key, f"unknown language code {value!r}",
                          "use a two-letter ISO 639-1 code such as en, ru, zh, de; or leave it out to detect it")
            return None
        return code

    def tags(self, key: str) -> list[str]:
        value = self.meta.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in value):
            self._problem(key, f"'{key}' must be a list of words", "write tags: [syria, diplomacy]")
            return []
        return [str(t).strip() for t in value]


def _written(node) -> dict:
    """Front matter field -> its value as written, for plain scalars YAML read as a number,
    a date or a boolean: where a field is text, that is what the editor meant."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value.value for key, value in node.value
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
            and value.tag in _PLAIN_TAGS}


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "timestamp")}


def _field_lines(node) -> dict:
    """Front matter field -> line number in the file (the opening fence is line 1)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 2 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def by_first_file(articles, key) -> dict:
    """Articles grouped by `key(article)`, each group in file order: a warning whose fix is one
    for many articles (a source to register, a model to install) is printed once, at the first."""
    groups: dict = {}
    for article in sorted(articles, key=lambda a: str(a.path)):
        groups.setdefault(key(article), []).append(article)
    return groups


def how_many(group: list) -> str:
    """What follows such a warning when it concerns more than one article."""
    return f" ({len(group)} articles, the first here)" if len(group) > 1 else ""


def shown_path(path: Path) -> str:
    """A path as problems print it: relative to the working directory when inside it."""
    try:  # abspath, not resolve(): no file-system calls (this runs for every article)
        return Path(os.path.abspath(path)).relative_to(os.getcwd()).as_posix()
    except ValueError:
        return str(path)


def article_files(docs_dir: Path) -> list[Path]:
    return scan_article_files(docs_dir)[0]


def scan_article_files(docs_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The article files under docs_dir/articles, and a problem for each entry there that
    looks like an article but will not be read as one. Symbolic links are refused, not
    followed: a link committed in a pull request could otherwise publish any file of the
    machine that builds the site (and a folder link could loop)."""
    root = Path(docs_dir) / ARTICLES_DIR
    files: list[Path] = []
    problems: list[Problem] = []
    if root.is_symlink():
        return [], [_link_problem(root)]
    if root.exists() and not root.is_dir():
        return [], [Problem(shown_path(root), 1, "a file where the articles folder belongs",
                            "rename it: articles live in the folder articles/ of the docs dir")]
    for folder, dirs, names in os.walk(root):
        base = Path(folder)
        for name in sorted(dirs):
            path = base / name
            if path.is_symlink():
                problems.append(_link_problem(path))
            elif name.lower().endswith(".md"):
                problems.append(Problem(shown_path(path), 1, "a folder named like an article file",
                                        "rename the folder without '.md' (its articles are read as usual)",
                                        "warning"))
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink())
        for name in sorted(names):
            path = base / name
            suffix = path.suffix
            if suffix.lower() not in (".md", ".markdown"):
                continue
            if path.is_symlink():
                problems.append(_link_problem(path))
            elif suffix != ".md":
                problems.append(Problem(shown_path(path), 1, f"the file name ends in '{suffix}', so it is "
                                        "not read as an article", f"rename it to {path.stem}.md"))
            else:
                files.append(path)
    return sorted(files), problems


def _articles_elsewhere(docs_dir: Path) -> list[Problem]:
    """A warning for each page of the docs dir outside articles/ (and the translation store)
    whose front matter names a source and a date: an article put in the wrong folder, which
    MkDocs would publish as a plain page, unannotated and in no list."""
    problems = []
    for folder, dirs, names in os.walk(docs_dir):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if not (base / d).is_symlink()
                         and not (base == docs_dir and d in (ARTICLES_DIR, "translations")))
        for name in sorted(n for n in names if n.lower().endswith(".md")):
            path = base / name
            if path.is_symlink():
                continue
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    head = split_front_matter(handle.read(4096))
            except OSError:
                continue
            if head and all(re.search(rf"^{key}\s*:", head[0], re.M) for key in ("source", "published")):
                problems.append(Problem(shown_path(path), 1, f"an article outside {ARTICLES_DIR}/ is published "
                                        "as a plain page, with no summary, entities or place in the lists",
                                        f"move it to {ARTICLES_DIR}/YYYY/MM/ of the docs dir", "warning"))
    return problems


def _link_problem(path: Path) -> Problem:
    target = os.readlink(path)
    return Problem(shown_path(path), 1, f"a symbolic link (to {target}): articles are read only "
                   "from files in the repository", "replace the link with the file or folder itself")


def load_articles(docs_dir: Path | str, settings: Settings, now: dt.datetime | None = None,
                  cache: Cache | None = None, canonical=None) -> tuple[list[Article], list[Problem]]:
    """Every article under docs_dir/articles, newest first, and every problem found.
    `cache` keeps each text's near-duplicate sketch (digest/intake/duplicates.py) between builds;
    `canonical` names each source as the sources registry does (新华社 -> Xinhua), before
    near-duplicates are told apart: the same source twice, or a syndicated copy."""
    docs_dir = Path(docs_dir)
    articles: list[Article] = []
    paths, problems = scan_article_files(docs_dir)
    problems += _articles_elsewhere(docs_dir)  # here, not in the file listing other callers use
    for path in paths:
        article, found = parse_article(path, docs_dir, settings, now)
        problems.extend(found)
        if article:
            if canonical:
                article.source = canonical(article.source)
            articles.append(article)
    problems.extend(collection_problems(articles, settings, cache))
    articles.sort(key=lambda a: (a.published, a.slug), reverse=True)
    return articles, problems


# --- problems between articles -------------------------------------------------------------

def collection_problems(articles: list[Article], settings: Settings,
                        cache: Cache | None = None) -> list[Problem]:
    problems: list[Problem] = []
    shown = {a.rel_path: shown_path(a.path) for a in articles}

    def report(groups: dict, message: str, fix: str, line_of) -> None:
        for key, group in groups.items():
            if len(group) < 2:
                continue
            group = sorted(group, key=lambda a: a.rel_path)
            for article in group[1:]:
                problems.append(Problem(shown[article.rel_path], line_of(article),
                                        message.format(key=key, other=shown[group[0].rel_path]), fix))

    by_url, by_slug = defaultdict(list), defaultdict(list)
    for article in articles:
        if article.url:
            by_url[article.url.rstrip("/")].append(article)
        # Slugs are unique in the whole digest, not only in a month: stories, entities and
        # related coverage refer to articles by slug.
        by_slug[article.slug].append(article)
    report(by_url, "same url as {other}", "the article is already in the digest: delete this file",
           lambda a: _line_of_field(a, "url"))
    report(by_slug, "its slug '{key}' collides with {other}",
           "rename one of the two files (the file name is the article's slug)", lambda a: 1)

    by_rel = {a.rel_path: a for a in articles}
    copies = []
    for a, b, jaccard in near_duplicates({a.rel_path: a.body for a in articles}, settings, cache):
        first, second = sorted((by_rel[a], by_rel[b]), key=lambda x: x.rel_path)
        if same_source(first.source, second.source):
            problems.append(Problem(shown[second.rel_path], second.body_line,
                                    f"text is a near-duplicate of {shown[first.rel_path]} ({jaccard:.0%} the same), "
                                    f"from the same source", "keep one of the two files; delete the other"))
        else:  # the same wire text in two outlets: normal in news
            copies.append((first, second))
    _mark_syndicated_copies(articles, copies)
    return problems


def same_source(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _mark_syndicated_copies(articles: list[Article], pairs: list[tuple[Article, Article]]) -> None:
    """Near-duplicates from different sources are one text syndicated: in each group, the
    first published is the original and the others are its copies (`copy_of`, `copies`)."""
    for article in articles:
        article.copy_of, article.copies = None, []
    group_of: dict[str, str] = {}  # rel_path -> its group's root (union-find)

    def root(key: str) -> str:
        while group_of.get(key, key) != key:
            key = group_of[key]
        return key

    for a, b in pairs:
        group_of.setdefault(a.rel_path, a.rel_path)
        group_of.setdefault(b.rel_path, b.rel_path)
        group_of[root(a.rel_path)] = root(b.rel_path)
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        if article.rel_path in group_of:
            groups[root(article.rel_path)].append(article)
    for members in groups.values():
        original, *copies = sorted(members, key=lambda a: (a.published, a.rel_path))
        for copy in copies:
            copy.copy_of = original.slug
        original.copies = [c.slug for c in copies]


def _line_of_field(article: Article, key: str) -> int:
    for number, line in enumerate(article.path.read_text(encoding="utf-8").split("\n"), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1
