"""clean(): strip what scraped pages carry besides the article, by rules kept as data.

The article file keeps its raw body; this stage fills `article.paragraphs` (the text the page
shows), `article.removed` (each removed line with its file line number and the rule that
removed it) and `article.see_also` (headlines named under "See also", kept aside as
cross-link candidates). Cleaning works line by line: a paragraph is a run of non-blank lines,
its surviving lines are joined with a space.

Rule files
----------
Rules live in `digest/data/patterns/*.yml` (`common.yml`, `en.yml`, `ru.yml`, ...) plus any
files named in the `clean.extra_pattern_files` setting. Every file's rules apply to every
article: cleaning runs before language identification, and pages mix languages (a Russian page
with English share buttons); the file name only groups rules by language. Each file holds::

    rules:
      - id: view-counter-ru          # unique, shown by `digest inspect` for each removed line
        kind: line                   # how the rule applies (below)
        description: Счётчик просмотров ("Количество просмотров: 2090").
        pattern: '(количество\\s+просмотров|просмотров)\\s*:?\\s*\\d+'

`pattern` is a Python regular expression matched case-insensitively against the *whole* line
(spaces at both ends stripped), so it cannot remove a real sentence that merely contains the
words; `(?-i:...)` makes a part case-sensitive (a place name in capitals). Kinds:

- `line`: the line is removed wherever it stands.
- `glued`: cut wherever it stands in a line, the rest kept: a widget a scrape glued to the
  text when it lost the line breaks ("Share this withEmailFacebook...Copy this linkResearchers
  found ...", "...them?"Media playback is not supported on this deviceCurtis believes ...": 61
  of XSum's 251 BBC texts open so, 20 more carry it inside; "Scroll down for video" in 66 of
  247 CNN/DailyMail texts). A line that is nothing else is removed. Only for phrases that are
  never prose.
- `header`: removed only at the top of the body (with other header lines, repeated headline,
  site name before it), e.g. a date line.
- `footer`: removed only at the end of the body: peeled off from the last line upwards while
  lines match, so a matching line followed by real text stays.
- `tail`: the line and everything after it are removed (the start of a comment thread).
  Never fires on the body's first paragraph.
- `see_also`: a heading line ("See also"); it is removed and each line of the paragraph under
  it becomes an entry of `article.see_also` (unless that paragraph has more than `max_words`
  words: then it is text, and stays). A pattern with a group named `entry` takes the
  headline from the line itself ("Read more: <headline>"), up to `max_words` words.
- `dateline`, `byline`: not used by cleaning (a dateline opens a real paragraph) but by
  `summarize`: a `dateline` pattern is matched at the *start* of a sentence and cut from it
  ("MOSCOW, December 14."); a sentence a `byline` pattern matches whole is never summary material.
- Structural kinds, no pattern, tuned by their keys: `repeated_title` (the headline repeated at
  the top, alone or followed by something a header rule matches, and the few short lines above
  it: `max_lines_above`, `max_words_above`), `site_name` (a line equal
  to the article's `source`, or a short unpunctuated line just above the repeated headline;
  `max_words`), `repeated_paragraph` (a paragraph printed twice in a row: both copies go;
  `min_words`).

Agency footnotes appended to every article (the "'Islamic state' (ISIS) – an Islamist terrorist
organization ..." disclaimer some Russian agencies must print) are removed by `footer` rules
(`designation-footnote-*`): only at the very end, so the same words inside the story stay. We
tried a corpus rule ("a paragraph several articles end with") and dropped it: on the BBC set it
removed real text (team line-ups, quotes shared by two reports of one match).

Settings (`clean:` in settings.yml): `extra_pattern_files` (more rule files, e.g. a site's own)
and `disabled_rules` (rule ids to skip). Cost: a few regex matches per line, ~0.1 ms per
article, so no cache is needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import DATA_DIR, yaml_input
from ..cache import Cache
from ..errors import DigestError, Problem
from ..model import Article
from ..parallel import fork_map
from ..settings import Settings

PATTERNS_DIR = DATA_DIR / "patterns"
REGEX_KINDS = {"line", "glued", "header", "footer", "tail", "see_also", "dateline", "byline"}
STRUCTURAL_KINDS = {"repeated_title", "site_name", "repeated_paragraph"}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    description: str
    regex: re.Pattern | None
    params: dict
    source: str  # the file the rule came from, for messages
    line: int  # where the rule starts in that file


@dataclass
class _Line:
    number: int  # line number in the article file
    text: str  # stripped
    paragraph: int  # index of its paragraph in the body
    rule: str | None = None  # id of the rule that removed it
    cuts: list[tuple[str, str]] = field(default_factory=list)  # (rule id, text) `glued` rules cut from it


def load_rules(settings: Settings) -> list[Rule]:
    """All rules from the packaged pattern files and the site's extra files, in file order."""
    section = settings.section("clean")
    files = sorted(PATTERNS_DIR.glob("*.yml"))
    files += [Path(p) for p in section.get("extra_pattern_files", ())]
    disabled = set(section.get("disabled_rules", ()))
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in files:
        for rule in _read_rule_file(path):
            if rule.id in seen:
                raise DigestError(Problem(path, rule.line, f"rule id '{rule.id}' is already used in {seen[rule.id]}",
                                          "give each rule a unique id"))
            seen[rule.id] = str(path)
            if rule.id not in disabled:
                rules.append(rule)
    return rules


def _read_rule_file(path: Path) -> list[Rule]:
    if not path.exists() and not path.is_symlink():
        raise DigestError(Problem(path, 0, "no such rule file", "fix the path in clean.extra_pattern_files"))
    document = yaml_input.load_file(path)  # DigestError for a folder, bad bytes or YAML
    text, data = document.text, document.data or {}
    lines = {}
    for number, raw in enumerate(text.splitlines(), 1):
        match = re.match(r"\s*-\s*id:\s*(\S+)", raw)
        if match:
            lines[match.group(1).strip("'\"")] = number
    rules = []
    entries = (data.get("rules") or []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise DigestError(Problem(path, 1, "a rule file holds `rules:`, a list of rules",
                                  "write `rules:` then one `- id: ...` item per rule"))
    for entry in entries:
        rule_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        line = lines.get(rule_id, 1)
        if not rule_id:
            raise DigestError(Problem(path, line, "a rule has no id", "give every rule `id:`"))
        kind = entry.get("kind")
        if kind not in REGEX_KINDS | STRUCTURAL_KINDS:
            raise DigestError(Problem(path, line, f"rule '{rule_id}' has unknown kind {kind!r}",
                                      f"use one of {', '.join(sorted(REGEX_KINDS | STRUCTURAL_KINDS))}"))
        if not entry.get("description"):
            raise DigestError(Problem(path, line, f"rule '{rule_id}' has no description",
                                      "say what the rule removes, with an example"))
        regex = None
        if kind in REGEX_KINDS:
            if not entry.get("pattern"):
                raise DigestError(Problem(path, line, f"rule '{rule_id}' of kind {kind} has no pattern",
                                          "add `pattern:` (a regular expression for the whole line)"))
            try:
                regex = re.compile(entry["pattern"], re.IGNORECASE)
            except re.error as exc:
                raise DigestError(Problem(path, line, f"rule '{rule_id}': bad pattern: {exc}",
                                          "fix the regular expression")) from exc
        params = {k: v for k, v in entry.items() if k not in ("id", "kind", "description", "pattern")}
        rules.append(Rule(rule_id, kind, entry["description"], regex, params, str(path), line))
    return rules


CLEAN_VERSION = 5  # bump when cleaning changes what it gives: old cache entries then miss


def clean(articles: list[Article], settings: Settings, cache: Cache | None = None) -> list[Article]:
    """Fill paragraphs, removed and see_also on each article; return the articles. With a
    `cache`, an article whose body, headline and source are unchanged is not cleaned again."""
    rules = load_rules(settings)
    cache = cache or Cache(None)
    context = Cache.key(CLEAN_VERSION, rules)

    def cleaned(article: Article) -> tuple:
        clean_article(article, rules)
        return article.paragraphs, article.removed, article.see_also

    found = cache.each("clean", articles, lambda a: Cache.key(context, a.body, a.body_line, a.title, a.source),
                       lambda todo: fork_map(cleaned, todo, label="cleaning"),
                       lambda found: isinstance(found, tuple) and len(found) == 3 and Cache.all_of(str, found[0])
                       and Cache.all_of(dict, found[1]) and Cache.all_of(str, found[2]))
    for article, (paragraphs, removed, see_also) in zip(articles, found):
        # Copies: later stages may change an article's lists, never the cached ones.
        article.paragraphs, article.removed, article.see_also = list(paragraphs), list(removed), list(see_also)
    return articles


def clean_article(article: Article, rules: list[Rule]) -> Article:
    """Clean one article with rules already loaded (see `load_rules`)."""
    _clean_one(article, _split_lines(article), rules)
    return article


# An editor's list written line by line ("- one" / "- two", no blank line between): each item
# is a paragraph of its own (joined, the two were one item "one - two"). As in CommonMark, a
# bullet starts an item anywhere, a number only as "1." or after an item (a wrapped line "2.
# minute" goes on). A quotation's next line ("> ...") goes on the quotation without its marker.
_BULLET = re.compile(r"[-*+•]\s+\S")
_NUMBERED = re.compile(r"(\d{1,2})[.)]\s+\S")
_QUOTE_LINE = re.compile(r">\s*")


def _starts_item(text: str, before: str) -> bool:
    numbered = _NUMBERED.match(text)
    return bool(_BULLET.match(text) or (numbered and (numbered.group(1) == "1" or _BULLET.match(before)
                                                      or _NUMBERED.match(before))))


def _split_lines(article: Article) -> list[_Line]:
    lines, paragraph, blank = [], 0, False
    for offset, raw in enumerate(article.body.splitlines()):
        text = raw.strip()
        if not text:
            blank = True
            continue
        same = lines and not blank
        if (blank and lines) or (same and _starts_item(text, lines[-1].text)):
            paragraph += 1
        elif same and _QUOTE_LINE.match(text) and _QUOTE_LINE.match(lines[-1].text):
            text = _QUOTE_LINE.sub("", text, count=1) or text
        blank = False
        lines.append(_Line(article.body_line + offset, text, paragraph))
    return lines


def _clean_one(article: Article, lines: list[_Line], rules: list[Rule]) -> None:
    by_kind: dict[str, list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    see_also: list[str] = []

    _apply_tail(lines, by_kind.get("tail", []))
    _apply_glued(lines, by_kind.get("glued", []))
    _apply_lines(lines, by_kind.get("line", []))
    see_also += _apply_see_also(lines, by_kind.get("see_also", []))
    _apply_header(lines, by_kind, article)
    _apply_repeated(lines, by_kind.get("repeated_paragraph", []))
    _apply_footer(lines, by_kind.get("footer", []))

    paragraphs: dict[int, list[str]] = {}
    for line in lines:
        if line.rule is None:
            paragraphs.setdefault(line.paragraph, []).append(line.text)
    article.paragraphs = [" ".join(texts) for _, texts in sorted(paragraphs.items())]
    article.removed = [{"line": ln.number, "text": text, "rule": rule} for ln in lines
                       for rule, text in (*ln.cuts, (ln.rule, ln.text)) if rule]
    article.see_also = see_also


def _match(rules: list[Rule], text: str) -> Rule | None:
    for rule in rules:
        if rule.regex.fullmatch(text):
            return rule
    return None


def _apply_tail(lines: list[_Line], rules: list[Rule]) -> None:
    for index, line in enumerate(lines):
        if line.paragraph == 0:
            continue
        rule = _match(rules, line.text)
        if rule:
            for rest in lines[index:]:
                rest.rule = rest.rule or rule.id
            return


def _apply_glued(lines: list[_Line], rules: list[Rule]) -> None:
    for line in lines:
        if line.rule is not None:
            continue
        text, cuts = line.text, []
        for rule in rules:
            def cut(match: re.Match, rule_id: str = rule.id) -> str:
                if not match.group():  # a site's '(promo)?' also matches nothing everywhere
                    return ""
                cuts.append((rule_id, match.group()))
                return " "
            text = rule.regex.sub(cut, text)
        if not cuts:
            continue
        text = " ".join(text.split())
        if text:
            line.cuts, line.text = cuts, text
        else:
            line.rule = cuts[0][0]  # nothing else on the line: the line goes, as a `line` rule's


def _apply_lines(lines: list[_Line], rules: list[Rule]) -> None:
    for line in lines:
        if line.rule is None:
            rule = _match(rules, line.text)
            if rule:
                line.rule = rule.id


def _apply_see_also(lines: list[_Line], rules: list[Rule]) -> list[str]:
    found = []
    for index, line in enumerate(lines):
        if line.rule is not None:
            continue
        rule, match = next(((r, m) for r in rules if (m := r.regex.fullmatch(line.text))), (None, None))
        if not rule:
            continue
        max_words = rule.params.get("max_words", 30)
        inline = match.groupdict().get("entry")
        if inline is not None:  # "Read more: <headline>" on one line
            if len(inline.split()) <= max_words:
                line.rule = rule.id
                found.append(inline.strip())
            continue
        under = [ln for ln in lines[index + 1:] if ln.paragraph == line.paragraph + 1 and ln.rule is None]
        # The heading alone on its paragraph; headlines may also follow it in the same paragraph.
        same = [ln for ln in lines[index + 1:] if ln.paragraph == line.paragraph and ln.rule is None]
        entries = same or under
        if not entries and all(ln.rule is not None for ln in lines[index + 1:]):
            line.rule = rule.id  # a heading ending the text, its links gone with the page ("Relacionado:")
            continue
        if not entries or any(len(ln.text.split()) > max_words for ln in entries):
            continue
        line.rule = rule.id
        for entry in entries:
            entry.rule = rule.id
            found.append(entry.text)
    return found


_SENTENCE_END = re.compile(r"[.!?。！？…][\"'»”’)]*$")


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _apply_header(lines: list[_Line], by_kind: dict[str, list[Rule]], article: Article) -> None:
    """Peel repeated headline, date lines and site name off the top of the body."""
    header_rules = by_kind.get("header", [])
    title_rule = (by_kind.get("repeated_title") or [None])[0]
    site_rule = (by_kind.get("site_name") or [None])[0]
    title = _normal(article.title)
    source = _normal(article.source or "")
    live = [ln for ln in lines if ln.rule is None]

    def is_title(line: _Line) -> bool:
        if not (title_rule and title and _normal(line.text).startswith(title)):
            return False
        rest = line.text[_prefix_length(line.text, article.title):].strip(" ,.|—–-")
        return not rest or bool(_match(header_rules, rest))

    def header_rule(position: int) -> str | None:
        line = live[position]
        if is_title(line):
            return title_rule.id
        matched = _match(header_rules, line.text)
        if matched:
            return matched.id
        if site_rule and _is_site_name(line, live[position + 1:], title, source, site_rule):
            return site_rule.id
        return None

    # Short lines above the repeated headline are the page's furniture, whatever they say (a
    # kicker, a rubric, a teaser of another story): the article starts at its headline. A
    # line ending as a sentence ends is text, and keeps everything where it is.
    above = title_rule.params.get("max_lines_above", 3) if title_rule else 0
    words = title_rule.params.get("max_words_above", 30) if title_rule else 0
    at = next((i for i, line in enumerate(live[:above + 1]) if is_title(line)), 0)
    if any(len(line.text.split()) > words or _SENTENCE_END.search(line.text) for line in live[:at]):
        at = 0
    for position in range(len(live)):
        rule = header_rule(position) or (title_rule.id if position < at else None)
        if rule is None:
            break
        live[position].rule = rule
    if site_rule and source:
        for line in lines:
            if line.rule is None and _normal(line.text) == source:
                line.rule = site_rule.id


def _prefix_length(text: str, title: str) -> int:
    """Length of the part of `text` that spells `title` (ignoring punctuation and case)."""
    target = _normal(title)
    for end in range(len(title) // 2, len(text) + 1):
        if _normal(text[:end]) == target:
            while end < len(text) and not text[end].isspace() and not text[end].isalnum():
                end += 1
            return end
    return len(text)


def _is_site_name(line: _Line, after: list[_Line], title: str, source: str, rule: Rule) -> bool:
    normal = _normal(line.text)
    if source and normal == source:
        return True
    words = line.text.split()
    if len(words) > rule.params.get("max_words", 4) or re.search(r"[.:!?,\"“”«»]", line.text):
        return False
    return bool(after) and bool(title) and _normal(after[0].text).startswith(title)


def _apply_repeated(lines: list[_Line], rules: list[Rule]) -> None:
    if not rules:
        return
    rule = rules[0]
    paragraphs: dict[int, list[_Line]] = {}
    for line in lines:
        if line.rule is None:
            paragraphs.setdefault(line.paragraph, []).append(line)
    ordered = [group for _, group in sorted(paragraphs.items())]
    for first, second in zip(ordered, ordered[1:]):
        text = " ".join(ln.text for ln in first)
        if text == " ".join(ln.text for ln in second) and len(text.split()) >= rule.params.get("min_words", 4):
            for line in first + second:
                line.rule = rule.id


def _apply_footer(lines: list[_Line], rules: list[Rule]) -> None:
    live = [ln for ln in lines if ln.rule is None]
    for line in reversed(live[1:]):  # the first line is the article, whatever it says
        matched = _match(rules, line.text)
        if not matched:
            break
        line.rule = matched.id
