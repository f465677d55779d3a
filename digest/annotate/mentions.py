"""Entity mentions in one text at a time: the names of people, organisations and places,
with their type and their key words (digest/annotate/name_keys.py). digest/annotate/entities.py groups them.

Libraries, and why (each module says more):
- English (originals and every translation): spaCy's en_core_web_md NER
  (digest/annotate/english_ner.py).
- Russian: natasha's NER and pymorphy's lemmas (digest/annotate/russian_ner.py).
- Other Latin-script languages have no model here, so proper-noun rules find candidates:
  runs of capitalised words, titles before people, organisation and place words
  (data/linking.yml). Their type comes from those cues, from the registry, or from the
  same name typed by a model in another article.
- The editors' registry (digest/annotate/entity_registry.py) wins over all of them.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections import defaultdict
from dataclasses import dataclass

import yaml

from .. import DATA_DIR
from .english_ner import english_names, english_reads, read_english
from .entity_registry import RegistryEntry
from .name_keys import CYRILLIC, POSSESSIVE, TOKEN, fold, skeleton
from .russian_ner import RussianNLP, natasha_reads

WORD_LISTS = DATA_DIR / "linking.yml"
CANDIDATES_VERSION = 15  # bump when MentionFinder changes what it finds: old cache entries then miss
# ... or this one alone when only what it finds in other languages than English changes (the
# capitalised-word rules): the cached names of an English digest stay valid.
OTHER_LANGUAGES_VERSION = 5
_NOUNS_CAPITALISED = {"de", "lb"}  # German and Luxembourgish write every noun with a capital
# Alone, a letter ("P", an initial or a list's item) or a Roman numeral ("II") names no one.
# Only outside English, where no model reads the text: in English spaCy decides.
_NO_NAME = re.compile(r"\w|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")


def word_lists() -> dict:
    """digest/data/linking.yml: names, cue words, stopwords and months. Read once with
    libyaml where present (the pure-Python parser took ~50 ms a read)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(WORD_LISTS.read_text(encoding="utf-8"), Loader=loader)

_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”«»()\[\]—–-]")


@functools.lru_cache(maxsize=None)
def _stop_words(language: str) -> frozenset[str]:
    """A language's function words, from spaCy's lists (~70 languages, installed with the
    English model): opening a sentence alone or before a connector ("Los vecinos", Portuguese
    "Sou", "Según el Kremlin") they are capitalised by position, not names; before another
    capitalised word they may begin one ("Estados Unidos", "Los Angeles": both in Spanish's
    list). linking.yml's not_names are English."""
    if not language.isalpha():
        return frozenset()
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(getattr(module, "STOP_WORDS", ()))


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
    # Its initials may spell an acronym ("United Nations", "UN"); not a German run of capitalised
    # nouns ("Etwas Ungeheuerliches" is no EU).
    spells: bool = True

    def __reduce__(self):
        # Pickled as its fields: fork_map's workers send ~30 per article and the cache keeps
        # them; the default (a dict per object) took ~0.6 s at 1,000 articles, this ~0.2 s.
        return _Candidate, (self.field, self.paragraph, self.start, self.end, self.text, self.name,
                            self.words, self.type, self.entry, self.article, self.spelled, self.weak,
                            self.spells)


class MentionFinder:
    """Finds entity mentions in one text at a time (`candidates`). Holds the loaded natasha
    models and a lemma cache for one run of the stage (no module-level state); the NER
    benchmark uses it directly."""

    def __init__(self, registry: list[RegistryEntry], words: dict | None = None,
                 surname_similarity: float = 88, nlp: RussianNLP | None = None,
                 english_model: bool = True):
        words = words or word_lists()
        self.english_model = english_model  # False: English names by the proper-noun rules alone
        self._english_read: dict[str, list] = {}  # text -> spaCy's entities, from read_english
        self.registry = registry
        names = words["names"]
        self.connectors = set(names["connectors"])
        self.particles = set(names["particles"])
        self.titles = set(names["person_titles"])
        self.org_words = set(names["organisation_words"])
        self.place_words = set(names["place_words"])
        self.generic_bodies = set(names["generic_bodies"])
        self.not_names = set(names["not_names"])
        self.not_names_anywhere = set(names["not_names_anywhere"])
        self.surname_similarity = surname_similarity
        self.nlp = nlp or RussianNLP()
        self._keys: dict[str, tuple[set[str], bool]] = {}  # word -> (its keys, capitalised), this run
        self._aliases: dict[str, list[tuple[tuple[str, ...], int, bool]]] = defaultdict(list)
        self._alias_names: dict[tuple[str, ...], int] = {}
        self._surnames: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for index, entry in enumerate(registry):
            for alias in (entry.name, *entry.aliases):
                tokens = TOKEN.findall(alias)
                if not tokens:
                    continue
                keys = tuple(self._lemma_key(t) for t in tokens)
                letters = [c for c in alias if c.isalpha()]
                exact_case = all(c.isupper() for c in letters) or (len(tokens) == 1 and len(alias) <= 3)
                self._aliases[keys[0]].append((keys, index, exact_case))
                self._alias_names[keys] = index
                self._alias_names[tuple(fold(t) for t in tokens)] = index
                if entry.type == "person" and len(tokens) >= 2:
                    first, last = fold(tokens[0]), fold(tokens[-1])
                    self._surnames[skeleton(last)[:1]].append((last, skeleton(first)[:1], index))

    # words and keys
    def _lemma_key(self, word: str) -> str:
        return fold(self.nlp.lemma(word))

    def _tokens(self, text: str) -> list[_Token]:
        tokens = []
        known_words = self._keys  # a local name: this loop runs for every word of every article
        for match in TOKEN.finditer(text):
            word = match.group()
            known = known_words.get(word) or self._word_keys(word)
            start, end = match.span()
            tokens.append(_Token(word, start, end, *known))
        return tokens

    def _word_keys(self, word: str) -> tuple[set[str], bool]:
        keys = {fold(word)}
        if CYRILLIC.search(word):
            keys.add(self._lemma_key(word))
        head, _, tail = word.partition("-")
        if tail and head.lower() in self.particles:
            keys.add(fold(tail))
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
        if natasha_reads(language, text):
            others = self._russian(text, field, paragraph)
        elif self.english_model and english_reads(language, text):
            others = self._english(text, field, paragraph)
        elif not CYRILLIC.search(text):
            others = self._proper_nouns(text, tokens, field, paragraph, english=language == "en",
                                        nouns_capitalised=language in _NOUNS_CAPITALISED,
                                        openers=frozenset() if language == "en" else _stop_words(language))
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
                surface = POSSESSIVE.sub("", text[start:end])
                end = start + len(surface)
                entry = self.registry[index]
                found.append(_Candidate(field, paragraph, start, end, surface, surface,
                                        tuple(fold(t) for t in TOKEN.findall(surface)), entry.type, index))
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
        lemmas = tuple(self._lemma_key(w) for w in TOKEN.findall(cand.name))
        if lemmas in self._alias_names:
            return self._alias_names[lemmas]
        if cand.type not in ("person", None) or len(cand.words) < 2:
            return None
        last, initial = cand.words[-1], skeleton(cand.words[0])[:1]
        for surname, first, index in self._surnames.get(skeleton(last)[:1], ()):
            from rapidfuzz import fuzz  # here: a registry without people never needs it

            if first == initial and fuzz.ratio(surname, last) >= self.surname_similarity:
                return index
        return None

    def _russian(self, text: str, field: str, paragraph: int) -> list[_Candidate]:
        return [_Candidate(field, paragraph, start, stop, piece, name, words, kind, spelled=spelled)
                for start, stop, piece, name, words, kind, spelled in self.nlp.names(text)]

    def read_english(self, texts: list[str]) -> None:
        """Run spaCy over many texts at once (an article's paragraphs); `candidates` then
        uses the result."""
        if self.english_model:
            self._english_read = read_english(texts)

    def _english(self, text: str, field: str, paragraph: int) -> list[_Candidate]:
        # A quote's editorial insertion, "Mike [Ruddock]", names Mike Ruddock.
        return [_Candidate(field, paragraph, start, start + len(surface), surface,
                           surface.replace("[", "").replace("]", ""), words, kind)
                for start, surface, words, kind in english_names(text, self._english_read.get(text), self.titles,
                                                                 self.generic_bodies)]

    def _proper_nouns(self, text: str, tokens: list[_Token], field: str, paragraph: int,
                      english: bool = True, nouns_capitalised: bool = False,
                      openers: frozenset[str] = frozenset()) -> list[_Candidate]:
        """Runs of capitalised words, trimmed of titles and sentence openers (English
        not_names, the language's function words `openers`), typed by cues.
        The person titles are English words: in other languages they are false friends
        ("Mayor de Castelló", Spanish "main"; "Hospital General de Castellón"). In a language
        that capitalises every noun (German), one capitalised word is no evidence of a name
        ("Kollegen"): only a run of them, or an acronym."""
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
            cand = self._trim_run(text, tokens, run, capitalised_inside, field, paragraph, english, openers)
            if cand and nouns_capitalised:
                if len(cand.words) == 1 and not cand.text.isupper():
                    continue
                cand.spells = False
            if cand:
                found.append(cand)
        return found

    def _trim_run(self, text, tokens, run, capitalised_inside, field, paragraph, english,
                  openers=frozenset()) -> _Candidate | None:
        words = [tokens[i].text.lower() for i in run]
        kind = None
        titles = [k for k, w in enumerate(words) if w in self.titles] if english else []
        if titles:
            run, words = run[titles[-1] + 1:], words[titles[-1] + 1:]
            kind = "person"
        while words and (words[0] in self.connectors or (
                words[0] in self.not_names and (not kind or len(words) > 1)
                and (words[0] in self.not_names_anywhere or tokens[run[0]].text not in capitalised_inside))
                or (words[0] in openers and tokens[run[0]].text not in capitalised_inside
                    and (len(words) == 1 or words[1] in self.connectors))):
            run, words = run[1:], words[1:]
        while words and words[-1] in self.connectors:
            run, words = run[:-1], words[:-1]
        if not run:
            return None
        first = tokens[run[0]]
        if len(run) == 1 and (words[0] in self.not_names or (not english and _NO_NAME.fullmatch(first.text))):
            return None
        weak = len(run) == 1 and self._sentence_start(text, tokens, run[0]) and first.text not in capitalised_inside
        start, end = first.start, tokens[run[-1]].end
        surface = POSSESSIVE.sub("", text[start:end])
        end = start + len(surface)
        folded = tuple(fold(w) for w in TOKEN.findall(surface))
        if not all(folded) or (len(folded) == 1 and folded[0] in self.generic_bodies):
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


