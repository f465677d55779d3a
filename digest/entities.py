"""Named entities: the people, organisations and places of every article, one identity
across languages, scripts and inflections.

Libraries, and why:
- natasha for Russian: NER and morphology whose weights ship inside its wheel (numpy
  only: no torch, no downloads); spans come typed PER/ORG/LOC, and its pymorphy
  dictionary lemmatises them (Лаврова -> Лавров, Исламским -> исламский), so inflected
  forms share one key.
- Latin-script text (English originals and translations) has no NER model that installs
  from PyPI without torch or run-time downloads (spaCy is pinned away with argostranslate's
  extras; flair, GLiNER and stanza need torch), so proper-noun rules find candidates:
  runs of capitalised words, titles before people, organisation and place words
  (data/linking.yml). Their type comes from those cues, from the registry, or from the
  same name typed by natasha in another article.
- anyascii (every script to ASCII) gives each name one Latin key; a consonant skeleton of
  the key absorbs transliteration variants (Kerri/Kerry, Moskva/Moscow, Sergei/Sergey),
  and rapidfuzz compares surnames that still differ (Valdimir/Vladimir).
- The editors' registry (site_src/entities.yml): canonical name, type, aliases in any
  script (ISIS / ИГИЛ / Daesh / «Исламское государство»), Wikidata id.

Junk gets no entity: the stage reads cleaned paragraphs, and a name outside the registry
needs evidence (settings `link.entity_min_articles`, `link.entity_min_mentions`).
"""

from __future__ import annotations

import copy
import functools
import re
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml
from anyascii import anyascii

from .articles import make_slug
from .cache import Cache
from . import yaml_input
from .errors import DigestError, Problem
from .model import Article, Entity, Mention
from .parallel import fork_map
from .settings import Settings

WORD_LISTS = Path(__file__).parent / "data" / "linking.yml"


def word_lists() -> dict:
    """digest/data/linking.yml: names, cue words, stopwords and months. Read once with
    libyaml where present (the pure-Python parser took ~50 ms a read)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(WORD_LISTS.read_text(encoding="utf-8"), Loader=loader)


TYPES = ("person", "organisation", "place")
_NATASHA_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
_TYPE_SYNONYMS = {"organization": "organisation", "org": "organisation", "location": "place",
                  "loc": "place", "per": "person", "people": "person"}
_REGISTRY_KEYS = {"name", "type", "aliases", "wikidata", "slug"}
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")
_FIELD_ORDER = {"title": 0, "paragraphs": 1, "translation": 2}


@dataclass(frozen=True)
class RegistryEntry:
    """One entity the editors declared in the registry file."""

    slug: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    line: int = 0


@dataclass
class EntityIndex:
    """The stage's result: entities with enough evidence (type "other" ones serve linking
    only and get no page) and, per article, how often it names each of them."""

    entities: list[Entity]
    by_article: dict[str, Counter]  # article slug -> Counter(entity slug -> mentions)


# -- registry -------------------------------------------------------------------------------

def load_registry(path: Path | str | None) -> list[RegistryEntry]:
    """Read and validate the editors' registry; a missing file is an empty registry.

    Raises DigestError listing every problem as `path:line: what — fix`."""
    if path is None or not (Path(path).exists() or Path(path).is_symlink()):
        return []
    path = Path(path)
    document = yaml_input.load_file(path)  # DigestError for a folder, a link, bad bytes or YAML
    root = document.node
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise DigestError(Problem(path, root.start_mark.line + 1, "the registry must be a list",
                                  "write one `- name: ...` item per entity"))
    problems: list[Problem] = []
    entries: list[RegistryEntry] = []
    alias_lines: dict[str, tuple[int, str]] = {}
    slugs: dict[str, int] = {}
    for node, data in zip(root.value, document.data):
        entry = _registry_entry(path, node, data, problems)
        if entry is None:
            continue
        if entry.slug in slugs:
            problems.append(Problem(path, entry.line, f"slug '{entry.slug}' is also used on line "
                                    f"{slugs[entry.slug]}", "give each entity its own name or slug"))
        slugs.setdefault(entry.slug, entry.line)
        for alias in {entry.name, *entry.aliases}:
            key = _alias_key(alias)
            if key in alias_lines and alias_lines[key][1] != entry.slug:
                problems.append(Problem(path, entry.line, f"alias '{alias}' also names the entity on "
                                        f"line {alias_lines[key][0]}",
                                        "an alias may name one entity only: remove one of them"))
            alias_lines.setdefault(key, (entry.line, entry.slug))
        entries.append(entry)
    if problems:
        raise DigestError(problems)
    return entries


def _registry_entry(path: Path, node, data, problems: list[Problem]) -> RegistryEntry | None:
    """One item of the registry: `node` gives the lines, `data` the values (yaml_input)."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line, "an entity must be a mapping",
                                "write `- name: ...` with `type:` and `aliases:` keys"))
        return None
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:  # keys are plain scalars: yaml_input refuses others
        key = key_node.value
        lines[key] = key_node.start_mark.line + 1
        if key not in _REGISTRY_KEYS:
            problems.append(Problem(path, lines[key], f"unknown key '{key}'",
                                    f"use {', '.join(sorted(_REGISTRY_KEYS))}"))
            continue
        # A single value is taken as written (`name: 1984`, `wikidata: Q5` stay text).
        values[key] = value_node.value if isinstance(value_node, yaml.ScalarNode) else data.get(key)
    bad = len(problems)
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(path, line, "entity without a `name`", "add `name: Canonical Name`"))
    kind = values.get("type", "")
    kind = kind.strip().lower() if isinstance(kind, str) else ""
    kind = _TYPE_SYNONYMS.get(kind, kind)
    if kind not in TYPES:
        problems.append(Problem(path, lines.get("type", line),
                                f"type '{yaml_input.shown(values.get('type', ''))}' is not one of {', '.join(TYPES)}",
                                "set `type:` to person, organisation or place"))
    aliases = values.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(Problem(path, lines.get("aliases", line), "`aliases` must be a list of names",
                                "write `aliases: [Name one, Имя два]`"))
        aliases = []
    wikidata = values.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA.fullmatch(wikidata)):
        problems.append(Problem(path, lines["wikidata"], f"wikidata '{yaml_input.shown(wikidata)}' is not a Wikidata id",
                                "write the item id, e.g. `wikidata: Q7747`"))
    slug = values.get("slug") or make_slug(name if isinstance(name, str) else "")
    if not isinstance(slug, str):
        problems.append(Problem(path, lines.get("slug", line), "`slug` must be text", "write `slug: a-slug`"))
        slug = make_slug(name if isinstance(name, str) else "")
    if slug != make_slug(slug):
        # The slug is the entity page's address (entities/<slug>/): anything else could
        # leave that folder ('../') or carry markup into URLs.
        problems.append(Problem(path, lines.get("slug", line), f"slug {slug!r} is not a slug",
                                f"write it in lower case with hyphens, e.g. `slug: {make_slug(slug)}`"))
    if len(problems) > bad:
        return None
    return RegistryEntry(slug, name.strip(), kind, tuple(a.strip() for a in aliases),
                         str(wikidata) if wikidata else None, line)


def _alias_key(alias: str) -> str:
    return " ".join(_fold(t) for t in _TOKEN.findall(alias))


# -- keys -------------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"['’]s$")
_NOT_KEY = re.compile(r"[^a-z0-9]")
_VOWELS = re.compile(r"[aeiouh]")
_REPEATS = re.compile(r"(.)\1+")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”«»()\[\]—–-]")


# _fold and _skeleton are pure and called for every word of every article: memoised.
@functools.lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """One Latin, lower-case key per word, whatever its script: Лавров -> lavrov."""
    return _NOT_KEY.sub("", anyascii(_POSSESSIVE.sub("", word)).lower())


_SKELETON_RULES = (("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"),
                   ("ck", "k"), ("ts", "c"), ("tz", "c"), ("w", "v"), ("q", "k"), ("x", "ks"),
                   ("c", "k"), ("y", "i"))


@functools.lru_cache(maxsize=1 << 16)
def _skeleton(key: str) -> str:
    """First letter + consonants of a folded word, so transliterations meet:
    kerri/kerry -> kr, moskva/moscow -> mskv, dzhon/john -> jn, frantsiya/france -> frnk."""
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    if not key:
        return key
    return _REPEATS.sub(r"\1", key[0] + _VOWELS.sub("", key[1:]))


def _name_key(words: tuple[str, ...]) -> str:
    skeleton = " ".join(_skeleton(w) for w in words)
    return skeleton if len(skeleton.replace(" ", "")) >= 3 else " ".join(words)


# -- extraction -------------------------------------------------------------------------------

def _is_capitalised(word: str) -> bool:
    if word[0].isupper():
        return True
    head, _, tail = word.partition("-")
    return bool(tail) and tail[0].isupper() and len(head) <= 3


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int
    keys: set[str]
    capitalised: bool  # starts with a capital, or after a short prefix: "al-Assad"


@dataclass(slots=True)
class _Candidate:
    field: str
    paragraph: int
    start: int
    end: int
    text: str
    name: str  # normalised (nominative for Russian)
    words: tuple[str, ...]  # folded keys of the name's words
    type: str | None
    entry: int | None = None  # registry index
    article: str = ""
    spelled: bool = True  # `name` is a form seen in text, not one built from lemmas
    weak: bool = False  # one capitalised word opening a sentence: kept only if named elsewhere

    def __reduce__(self):
        # Pickled as its fields: fork_map's workers send ~30 per article and the cache keeps
        # them; the default (a dict per object) took ~0.6 s at 1,000 articles, this ~0.2 s.
        return _Candidate, (self.field, self.paragraph, self.start, self.end, self.text, self.name,
                            self.words, self.type, self.entry, self.article, self.spelled, self.weak)


class RussianNLP:
    """natasha's models, loaded on first use, and a lemma cache. One object can serve many
    runs (pass it to `link`, e.g. across `mkdocs serve` rebuilds); nothing is global."""

    def __init__(self):
        self._vocab = None
        self._ner = None
        self.lemmas: dict[str, str] = {}

    def morph_vocab(self):
        if self._vocab is None:
            import natasha  # loaded only when Cyrillic text or aliases appear

            with warnings.catch_warnings():
                # pymorphy2 finds its dictionaries through pkg_resources, whose deprecation
                # warning every build would print otherwise: it is theirs, nothing to fix here.
                warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
                self._vocab = natasha.MorphVocab()
        return self._vocab

    def load(self) -> None:
        """Load both models now: before forking workers, so that each does not load its own."""
        self.morph_vocab()
        self._ner_models()

    def _ner_models(self):
        if self._ner is None:
            import natasha

            self._ner = (natasha.Segmenter(), natasha.NewsNERTagger(natasha.NewsEmbedding()))
        return self._ner

    def ner(self, text: str):
        """natasha Doc of the text, segmented and NER-tagged."""
        import natasha

        segmenter, tagger = self._ner_models()
        doc = natasha.Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return doc


class MentionFinder:
    """Finds entity mentions in one text at a time (`candidates`). Holds the loaded natasha
    models and a lemma cache for one run of the stage (no module-level state); the NER
    benchmark uses it directly."""

    def __init__(self, registry: list[RegistryEntry], words: dict | None = None,
                 surname_similarity: float = 88, nlp: RussianNLP | None = None):
        words = words or word_lists()
        self.registry = registry
        names = words["names"]
        self.connectors = set(names["connectors"])
        self.particles = set(names["particles"])
        self.titles = set(names["person_titles"])
        self.org_words = set(names["organisation_words"])
        self.place_words = set(names["place_words"])
        self.not_names = set(names["not_names"])
        self.not_names_anywhere = set(names["not_names_anywhere"])
        self.surname_similarity = surname_similarity
        self.nlp = nlp or RussianNLP()
        self._lemmas = self.nlp.lemmas
        self._keys: dict[str, tuple[set[str], bool]] = {}  # word -> (its keys, capitalised), this run
        self._aliases: dict[str, list[tuple[tuple[str, ...], int, bool]]] = defaultdict(list)
        self._alias_names: dict[tuple[str, ...], int] = {}
        self._surnames: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for index, entry in enumerate(registry):
            for alias in (entry.name, *entry.aliases):
                tokens = _TOKEN.findall(alias)
                if not tokens:
                    continue
                keys = tuple(self._lemma_key(t) for t in tokens)
                letters = [c for c in alias if c.isalpha()]
                exact_case = all(c.isupper() for c in letters) or (len(tokens) == 1 and len(alias) <= 3)
                self._aliases[keys[0]].append((keys, index, exact_case))
                self._alias_names[keys] = index
                self._alias_names[tuple(_fold(t) for t in tokens)] = index
                if entry.type == "person" and len(tokens) >= 2:
                    first, last = _fold(tokens[0]), _fold(tokens[-1])
                    self._surnames[_skeleton(last)[:1]].append((last, _skeleton(first)[:1], index))

    # words and keys
    def _lemma(self, word: str) -> str:
        """pymorphy's lemma of a Cyrillic word (ИГ and other acronyms stay as they are:
        their guessed lemmas are other words)."""
        lemma = self._lemmas.get(word)
        if lemma is None:
            if not _CYRILLIC.search(word) or (word.isupper() and len(word) <= 5):
                lemma = word.lower()
            else:
                lemma = self.nlp.morph_vocab().parse(word)[0].normal_form
            self._lemmas[word] = lemma
        return lemma

    def _nominative(self, words: list[str]) -> bool:
        for word in words:
            if not word.isupper():
                case = self.nlp.morph_vocab().parse(word)[0].tag.case
                if case not in (None, "nomn"):
                    return False
        return True

    def _lemma_key(self, word: str) -> str:
        return _fold(self._lemma(word))

    def _tokens(self, text: str) -> list[_Token]:
        tokens = []
        known_words = self._keys  # a local name: this loop runs for every word of every article
        for match in _TOKEN.finditer(text):
            word = match.group()
            known = known_words.get(word) or self._word_keys(word)
            start, end = match.span()
            tokens.append(_Token(word, start, end, *known))
        return tokens

    def _word_keys(self, word: str) -> tuple[set[str], bool]:
        keys = {_fold(word)}
        if _CYRILLIC.search(word):
            keys.add(self._lemma_key(word))
        head, _, tail = word.partition("-")
        if tail and head.lower() in self.particles:
            keys.add(_fold(tail))
        keys.discard("")
        known = self._keys[word] = (keys, _is_capitalised(word))
        return known

    # the three finders
    def candidates(self, text: str, language: str, field: str, paragraph: int,
                   registry_only: bool = False) -> list[_Candidate]:
        tokens = self._tokens(text)
        found = self._registry_matches(text, tokens, field, paragraph)
        if registry_only:
            return found
        if _natasha_reads(language, text):
            others = self._russian(text, field, paragraph)
        elif not _CYRILLIC.search(text):
            others = self._proper_nouns(text, tokens, field, paragraph)
        else:
            others = []
        for cand in others:
            inside = [f for f in found if f.start < cand.end and cand.start < f.end]
            if not inside:
                cand.entry = self._registry_lookup(cand)
                found.append(cand)
            elif (len(inside) == 1 and cand.type == "person" and inside[0].start >= cand.start
                  and inside[0].end <= cand.end and self.registry[inside[0].entry].type == "person"):
                # "Сергей Лавров" around a registry match of "Лавров": link the whole name.
                inside[0].start, inside[0].end, inside[0].text = cand.start, cand.end, cand.text
        return sorted(found, key=lambda c: c.start)

    def _registry_matches(self, text: str, tokens: list[_Token], field: str,
                          paragraph: int) -> list[_Candidate]:
        found = []
        if not self._aliases:
            return found
        i = 0
        while i < len(tokens):
            best: tuple[int, int] | None = None
            for key in tokens[i].keys:
                for keys, index, exact_case in self._aliases.get(key, ()):
                    n = len(keys)
                    if i + n > len(tokens) or (best and n <= best[0]):
                        continue
                    span = tokens[i:i + n]
                    if not all(keys[j] in span[j].keys for j in range(1, n)):
                        continue
                    if any(len(text[a.end:b.start]) > 2 for a, b in zip(span, span[1:])):
                        continue
                    if exact_case and not all(t.text.isupper() for t in span):
                        continue
                    if not exact_case and not span[0].text[0].isupper():
                        continue
                    best = (n, index)
            if best:
                n, index = best
                start, end = tokens[i].start, tokens[i + n - 1].end
                surface = _POSSESSIVE.sub("", text[start:end])
                end = start + len(surface)
                entry = self.registry[index]
                found.append(_Candidate(field, paragraph, start, end, surface, surface,
                                        tuple(_fold(t) for t in _TOKEN.findall(surface)), entry.type, index))
                i += n
            else:
                i += 1
        return found

    def _registry_lookup(self, cand: _Candidate) -> int | None:
        """A name found by NER or rules that the registry knows under a listed alias, or a
        person whose surname (and first initial) matches a registered person."""
        index = self._alias_names.get(cand.words)
        if index is not None:
            return index
        lemmas = tuple(self._lemma_key(w) for w in _TOKEN.findall(cand.name))
        if lemmas in self._alias_names:
            return self._alias_names[lemmas]
        if cand.type not in ("person", None) or len(cand.words) < 2:
            return None
        last, initial = cand.words[-1], _skeleton(cand.words[0])[:1]
        for surname, first, index in self._surnames.get(_skeleton(last)[:1], ()):
            from rapidfuzz import fuzz  # here: a registry without people never needs it

            if first == initial and fuzz.ratio(surname, last) >= self.surname_similarity:
                return index
        return None

    def _russian(self, text: str, field: str, paragraph: int) -> list[_Candidate]:
        """natasha's NER spans. Each word is normalised by its pymorphy lemma rather than by
        natasha's morphology tagger, which would triple the time for the same keys."""
        doc = self.nlp.ner(text)
        found = []
        for span in doc.spans:
            surface = _TOKEN.findall(span.text)
            lemmas = [self._lemma(w) for w in surface]
            words = tuple(_fold(w) for w in lemmas)
            if not words or not all(words):
                continue
            spelled = self._nominative(surface)
            name = span.text if spelled else " ".join(
                l.upper() if w.isupper() else l.capitalize() for w, l in zip(surface, lemmas))
            found.append(_Candidate(field, paragraph, span.start, span.stop, span.text, name,
                                    words, _NATASHA_TYPES.get(span.type), spelled=spelled))
        return found

    def _proper_nouns(self, text: str, tokens: list[_Token], field: str,
                      paragraph: int) -> list[_Candidate]:
        """Runs of capitalised words, trimmed of titles and sentence openers, typed by cues."""
        capitalised_inside = {t.text for i, t in enumerate(tokens)
                              if t.capitalised and not self._sentence_start(text, tokens, i)}
        found = []
        runs: list[list[int]] = []
        run: list[int] = []
        for i, token in enumerate(tokens):
            joined = run and len(text[tokens[run[-1]].end:token.start].strip()) == 0
            if token.capitalised and not token.text.isdigit():
                if run and not joined:
                    runs.append(run)
                    run = []
                run.append(i)
            elif (run and joined and token.text.lower() in self.connectors
                  and i + 1 < len(tokens) and tokens[i + 1].capitalised
                  and not text[token.end:tokens[i + 1].start].strip()):
                run.append(i)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        for run in runs:
            cand = self._trim_run(text, tokens, run, capitalised_inside, field, paragraph)
            if cand:
                found.append(cand)
        return found

    def _trim_run(self, text, tokens, run, capitalised_inside, field, paragraph) -> _Candidate | None:
        words = [tokens[i].text.lower() for i in run]
        kind = None
        titles = [k for k, w in enumerate(words) if w in self.titles]
        if titles:
            run, words = run[titles[-1] + 1:], words[titles[-1] + 1:]
            kind = "person"
        while words and (words[0] in self.connectors or (
                words[0] in self.not_names and (not kind or len(words) > 1)
                and (words[0] in self.not_names_anywhere or tokens[run[0]].text not in capitalised_inside))):
            run, words = run[1:], words[1:]
        while words and words[-1] in self.connectors:
            run, words = run[:-1], words[:-1]
        if not run:
            return None
        first = tokens[run[0]]
        if len(run) == 1 and words[0] in self.not_names:
            return None
        weak = len(run) == 1 and self._sentence_start(text, tokens, run[0]) and first.text not in capitalised_inside
        start, end = first.start, tokens[run[-1]].end
        surface = _POSSESSIVE.sub("", text[start:end])
        end = start + len(surface)
        folded = tuple(_fold(w) for w in _TOKEN.findall(surface))
        if not all(folded):
            return None
        if kind is None:
            if any(w in self.org_words for w in words):
                kind = "organisation"
            elif any(w in self.place_words for w in words):
                kind = "place"
            elif len(run) == 1 and first.text.isupper() and len(first.text) >= 2:
                kind = "organisation"
        return _Candidate(field, paragraph, start, end, surface, surface, folded, kind, weak=weak)

    @staticmethod
    def _sentence_start(text: str, tokens: list[_Token], i: int) -> bool:
        before = text[tokens[i - 1].end:tokens[i].start] if i else text[:tokens[i].start]
        return i == 0 or bool(_SENTENCE_BREAK.search(before))


# -- assembly ---------------------------------------------------------------------------------

CANDIDATES_VERSION = 5  # bump when MentionFinder changes what it finds: old cache entries then miss


def find_entities(articles: list[Article], settings: Settings,
                  registry: list[RegistryEntry] | None = None, nlp: RussianNLP | None = None,
                  cache: Cache | None = None, words: dict | None = None) -> EntityIndex:
    """Entities of all articles: registry matches, natasha spans (Russian), proper nouns
    (Latin script), grouped into one identity across scripts and inflections. `words`:
    word_lists(), when the caller has read them already."""
    section = settings.section("link")
    registry = list(registry or [])
    words = words or word_lists()
    extractor = MentionFinder(registry, words, section["surname_similarity"], nlp)
    cache = cache or Cache(None)

    def mentions_of(article: Article) -> list[_Candidate]:
        found = extractor.candidates(article.title, article.language, "title", 0, registry_only=True)
        for i, paragraph in enumerate(article.paragraphs):
            found += extractor.candidates(paragraph, article.language, "paragraphs", i)
        for i, paragraph in enumerate(article.translation.paragraphs if article.translation else ()):
            found += extractor.candidates(paragraph, "en", "translation", i)
        for cand in found:
            cand.article = article.slug
        return found

    # An article's mentions depend on its text, language, the registry and the word lists.
    context = Cache.key(CANDIDATES_VERSION, registry, words, section["surname_similarity"])

    def mentions_of_all(todo: list[Article]) -> list[list[_Candidate]]:
        if any(_natasha_reads(a.language, " ".join(a.paragraphs)) for a in todo):
            extractor.nlp.load()  # once, before the workers fork
        return fork_map(mentions_of, todo)

    mentions = cache.each("entities", articles, lambda a: Cache.key(
        context, a.language, a.title, a.paragraphs, a.translation.paragraphs if a.translation else None),
        mentions_of_all, lambda found: isinstance(found, list) and Cache.all_of(_Candidate, found))
    candidates: list[_Candidate] = []
    for article, found in zip(articles, mentions):
        for cand in found:
            if cand.article != article.slug:  # cached for the same text under another name
                cand = copy.copy(cand)  # the cached one stays as it is, for the next build
                cand.article = article.slug
            candidates.append(cand)
    groups = _drop_common_words(_group(candidates), articles)
    return _entities(groups, registry, section)


def _drop_common_words(groups: dict[tuple, list[_Candidate]], articles: list[Article]) -> dict:
    """One-word names whose usual form the digest writes in lower case at least as often
    ("Police said" and "the police", "Shares in BP rose" and "its shares", "Office"): words
    capitalised because they open a sentence or follow a title, not entities. Registered
    names, and people named in full anywhere, are other groups and always kept."""
    single = {key: Counter(c.text for c in members) for key, members in groups.items()
              if (key[0] == "name" or (key[0] == "person" and not key[2]))
              and all(len(c.words) == 1 for c in members)}
    usual = {key: forms.most_common(1)[0] for key, forms in single.items()}  # (form, mentions)
    wanted = {form.lower() for form, _ in usual.values()}
    lower = Counter(word for article in articles
                    for paragraph in (*article.paragraphs, *(article.translation.paragraphs
                                                              if article.translation else ()))
                    for word in _TOKEN.findall(paragraph) if word in wanted)
    common = {key for key, (form, mentions) in usual.items() if lower[form.lower()] >= mentions}
    return {key: members for key, members in groups.items() if key not in common}


def _natasha_reads(language: str, text: str) -> bool:
    """MentionFinder.candidates finds names in this text with natasha (Russian, or Cyrillic
    text of undetermined language)."""
    return language == "ru" or (language == "und" and bool(_CYRILLIC.search(text)))


def _group(candidates: list[_Candidate]) -> dict[tuple, list[_Candidate]]:
    """Group candidates into identities: registry entry; person by surname skeleton and first
    initial (a bare surname, typed or not, joins the full name in the same article, else the
    only person with that surname); anything else by the skeleton of its whole name."""
    groups: dict[tuple, list[_Candidate]] = defaultdict(list)
    pending: list[_Candidate] = []
    for cand in candidates:
        if cand.entry is not None:
            groups[("registry", cand.entry)].append(cand)
        elif cand.type == "person" and len(cand.words) >= 2:
            groups[_person_key(cand.words)].append(cand)
        else:
            pending.append(cand)
    people_by_article: dict[str, dict[str, tuple]] = defaultdict(dict)
    people_by_surname: dict[str, set[tuple]] = defaultdict(set)
    for key, members in groups.items():
        if key[0] == "person":
            people_by_surname[key[1]].add(key)
            for cand in members:
                people_by_article[cand.article][key[1]] = key
    for cand in sorted(pending, key=lambda c: c.weak):
        if cand.weak:
            # "Lavrov said ...": a sentence's first word is a name only if named elsewhere.
            key = people_by_article[cand.article].get(_skeleton(cand.words[0]))
            key = key or (("name", _name_key(cand.words)) if ("name", _name_key(cand.words)) in groups else None)
            if key:
                groups[key].append(cand)
            continue
        if len(cand.words) >= 2 and cand.type is None and _person_key(cand.words) in groups:
            groups[_person_key(cand.words)].append(cand)
            continue
        if len(cand.words) == 1 and cand.type in ("person", None):
            surname = _skeleton(cand.words[0])
            key = people_by_article[cand.article].get(surname)
            if key is None and len(people_by_surname.get(surname, ())) == 1:
                key = next(iter(people_by_surname[surname]))
            if key is None and cand.type == "person":
                key = ("person", surname, "")
            if key is not None:
                groups[key].append(cand)
                continue
        groups[("name", _name_key(cand.words))].append(cand)
    return groups


def _person_key(words: tuple[str, ...]) -> tuple:
    return ("person", _skeleton(words[-1]), _skeleton(words[0])[:1])


def _entities(groups: dict[tuple, list[_Candidate]], registry: list[RegistryEntry],
              section) -> EntityIndex:
    min_articles, min_mentions = section["entity_min_articles"], section["entity_min_mentions"]
    entities: list[Entity] = []
    by_article: dict[str, Counter] = defaultdict(Counter)
    used_slugs = {entry.slug for entry in registry}
    ordered = sorted(groups.items(), key=lambda item: (item[0][0] != "registry", -len(item[1]), str(item[0])))
    for key, members in ordered:
        per_article = Counter(c.article for c in members)
        if key[0] == "registry":
            entry = registry[key[1]]
            entity = Entity(entry.slug, entry.name, entry.type, list(entry.aliases), entry.wikidata, True)
        else:
            multiword = max(len(c.words) for c in members) >= 2
            if len(per_article) < min_articles and not (multiword and max(per_article.values()) >= min_mentions):
                continue
            kind = "person" if key[0] == "person" else _vote(members)
            name = _display_name(members, kind)
            slug = _unique_slug(make_slug(name), used_slugs)
            aliases = sorted({c.name for c in members} | {c.text for c in members} - {name})
            entity = Entity(slug, name, kind, aliases[:30])
        for cand in sorted(members, key=lambda c: (c.article, _FIELD_ORDER[c.field], c.paragraph, c.start)):
            entity.mentions.setdefault(cand.article, []).append(
                Mention(cand.field, cand.paragraph, cand.start, cand.end, cand.text))
        for article, count in per_article.items():
            by_article[article][entity.slug] += count
        entities.append(entity)
    return EntityIndex(entities, dict(by_article))


def _vote(members: list[_Candidate]) -> str:
    votes = Counter(c.type for c in members if c.type)
    return votes.most_common(1)[0][0] if votes else "other"


def _display_name(members: list[_Candidate], kind: str) -> str:
    """The most frequent form seen in text (Latin script first, full names first for people);
    a form built from lemmas only when no other exists."""
    spelled = [c for c in members if c.spelled] or members
    names = Counter(c.name for c in spelled)
    latin = [n for n in names if not _CYRILLIC.search(n)]
    pool = latin or list(names)
    if kind == "person":
        longest = max(len(_TOKEN.findall(n)) for n in pool)
        pool = [n for n in pool if len(_TOKEN.findall(n)) == longest]
    return max(pool, key=lambda n: (names[n], n))


def _unique_slug(slug: str, used: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}-{n}", n + 1
    used.add(candidate)
    return candidate


# -- for templates ----------------------------------------------------------------------------

def first_mentions(article_slug: str, field: str, entities: list[Entity]) -> dict[int, list[tuple[str, str]]]:
    """paragraph index -> [(mention text, entity slug)], in reading order: the first mention
    of each entity in this field ("paragraphs" or "translation"), the one a page links."""
    first: dict[str, Mention] = {}
    for entity in entities:
        mentions = [m for m in entity.mentions.get(article_slug, ()) if m.field == field]
        if mentions:
            first[entity.slug] = min(mentions, key=lambda m: (m.paragraph, m.start))
    links: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for slug, mention in sorted(first.items(), key=lambda item: (item[1].paragraph, item[1].start)):
        links[mention.paragraph].append((mention.text, slug))
    return dict(links)
