"""Feature vectors of articles for the link stage (digest/annotate/link.py): sparse, in channels.

- words: Snowball stems (snowballstemmer: pure Python, the Snowball project's own port, many
  languages) of its English text (translation or original) and, for other languages, of
  its original text, one channel per language;
- entities: the entity identities of digest.annotate.entities, the same in every script;
- numbers: numbers and day-month dates, normalised (1,500 = 1 500; Dec. 14 = 14 декабря);
- names: character 4-grams of the original text's capitalised words and numbers, transliterated
  (anyascii): Лавров and Lavrov, Роскачество and Roskachestvo share most of theirs. The scorer
  uses it only for a pair with no language in common (a Russian article without a translation
  and an English one), and only when it raises the pair's score: it carries what entity
  matching misses (Роскачество), where entity matching, which knows inflection, is the
  stronger; capitalised words only keep the channel about as small as the words one (all
  words: ~5x the features for +0.01).
- sounds: the same over every word, only in a digest holding an article without English text
  (no translation model for its language), kept to the grams such articles have, and used only
  as `names` is. It carries posts with few names: on all 227 WMT22 ru-en documents, social
  posts included, accuracy@1 0.868 -> 0.890, as the character-4-gram TF-IDF over the whole
  text (the benchmark's baseline) gets.
Weights are (1 + log tf) * idf, each channel l2-normalised, kept as arrays (Doc). An article's word, number and name
counts depend on its text alone and are cached between builds.
"""

from __future__ import annotations

import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import snowballstemmer
from anyascii import anyascii

from ..cache import Cache
from ..model import Article
from ..parallel import fork_map
from .entities import EntityIndex
from .name_keys import CYRILLIC

if TYPE_CHECKING:  # numpy is imported where vectors are made: a rebuild answered by the cache never needs it
    import numpy as np

ENTITIES, NUMBERS, NAMES, SOUNDS = "entities", "numbers", "names", "sounds"
_STEMMERS = {"en": "english", "ru": "russian", "de": "german", "fr": "french", "es": "spanish",
             "it": "italian", "pt": "portuguese", "nl": "dutch", "sv": "swedish", "no": "norwegian",
             "da": "danish", "fi": "finnish", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
             "ar": "arabic", "el": "greek", "uk": "ukrainian", "id": "indonesian", "ga": "irish",
             "lt": "lithuanian", "ne": "nepali", "sr": "serbian", "ta": "tamil", "hy": "armenian",
             "eu": "basque", "ca": "catalan", "yi": "yiddish", "hi": "hindi", "et": "estonian"}
WORD = re.compile(r"[^\W\d_]{2,}")
# Not after a letter and a hyphen: "COVID-19", "F-16", "Су-35" are names, not figures (a
# figure every article of a season shares would be "same figures" for any two of them).
_NUMBER = re.compile(r"(?<![\w.,])(?<![^\W\d_]-)\d+(?:[,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_DOTTED_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](?:19|20)\d\d\b")


@dataclass
class Doc:
    """An article's feature vectors: per channel, the numbers of its features in the channel's
    vocabulary (int32) and their weights (float64), in the order its text first has them.
    Arrays rather than a dict of feature -> weight: ~12 bytes a feature rather than ~100,
    which at 100,000 articles is ~2 GB of the build's memory."""
    article: Article
    vectors: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # number feature -> shown form
    # channel -> the feature each number stands for: one list shared by every Doc of a digest
    vocabulary: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def weights(self, channel: str) -> dict[str, float]:
        """feature -> weight in one channel, made on demand (for a pair or a story, not for all)."""
        if channel not in self.vectors:
            return {}
        ids, values = self.vectors[channel]
        names = self.vocabulary[channel]
        return {names[k]: w for k, w in zip(ids.tolist(), values.tolist())}



# -- features ---------------------------------------------------------------------------------

class Terms:
    """Stems per language, cached for one run."""

    def __init__(self, stopwords: dict[str, list[str]]):
        self.stopwords = {lang: set(ws) for lang, ws in stopwords.items()}
        self._stemmers: dict[str, object] = {}
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, text: str, language: str) -> list[str]:
        stop = self.stopwords.get(language, set())
        if language in ("zh", "ja", "ko"):
            chars = [c for c in text if c.isalpha()]
            return [a + b for a, b in zip(chars, chars[1:])]
        stemmer = self._stemmer(language)
        result = []
        for word in WORD.findall(text.lower().replace("ё", "е")):
            if word in stop:
                continue
            key = (language, word)
            stem = self._cache.get(key)
            if stem is None:
                stem = stemmer.stemWord(word) if stemmer else word
                self._cache[key] = stem
            result.append(stem)
        return result

    def _stemmer(self, language: str):
        if language not in self._stemmers:
            name = _STEMMERS.get(language)
            self._stemmers[language] = snowballstemmer.stemmer(name) if name in snowballstemmer.algorithms() else None
        return self._stemmers[language]


class Numbers:
    def __init__(self, months: dict[str, dict[str, int]]):
        en = "|".join(sorted(months["en"], key=len, reverse=True))
        ru = "|".join(sorted(months["ru"], key=len, reverse=True))
        self.months = months
        self._en_day_month = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?((?i:{en}))\b\.?")
        # Any capitalised word before a day number, then a month-name lookup: an alternation
        # of month names tried at every word boundary made this the stage's slowest regex.
        self._en_month_day = re.compile(r"\b([A-Z][A-Za-z]{2,8})\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b")
        self._ru_day_month = re.compile(rf"\b(\d{{1,2}})\s+({ru})[а-яё]{{0,2}}\b", re.IGNORECASE)

    def __call__(self, text: str, language: str) -> list[tuple[str, str]]:
        """(feature, shown form) for each number and date in the text."""
        found = []
        for match in _NUMBER.finditer(text):
            value = self._number(match.group(), language)
            if value and not (len(value) == 1 and value.isdigit()):
                found.append((f"n:{value}", value))
        for day, month in self._dates(text):
            if 1 <= month <= 12 and 1 <= day <= 31:
                found.append((f"d:{month:02d}-{day:02d}", f"--{month:02d}-{day:02d}"))
        return found

    @staticmethod
    def _number(raw: str, language: str) -> str:
        text = re.sub(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))", "", raw)
        text = text.replace(" ", "").replace(",", ".")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text

    def dates(self, text: str) -> set[tuple[int, int]]:
        """The (month, day) of each date the text names ("8 ноября", "December 14")."""
        return {(month, day) for day, month in self._dates(text) if 1 <= month <= 12 and 1 <= day <= 31}

    def _dates(self, text: str):
        en, ru = self.months["en"], self.months["ru"]
        for match in self._en_day_month.finditer(text):
            if match.group(2)[0].isupper():
                yield int(match.group(1)), en[match.group(2).lower()]
        for match in self._en_month_day.finditer(text):
            month = en.get(match.group(1).lower())
            if month:
                yield int(match.group(2)), month
        if CYRILLIC.search(text):  # a scan of the text saved where there is no Russian month
            for match in self._ru_day_month.finditer(text):
                yield int(match.group(1)), ru[match.group(2).lower()]
        for match in _DOTTED_DATE.finditer(text):
            yield int(match.group(1)), int(match.group(2))


FEATURES_VERSION = 3  # bump when _text_features changes: old cache entries then miss


def _shared(counts: dict) -> dict[str, int]:
    """Counts as the cache keeps them: a plain dict whose feature strings are one object each
    for the whole digest. Workers' results arrive with a string object per article, and
    pickle writes a Counter through a temporary dict copy; its memo keeps every one until the
    stage's file is written (10,000 articles' word and number counts: 276 MB while writing,
    13 MB so)."""
    return {sys.intern(f): n for f, n in counts.items()}


def _cached_features(found) -> bool:
    """A features cache entry as _text_features makes it: ({channel: {feature: count}}, labels)."""
    return (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict)
            and isinstance(found[1], dict) and all(isinstance(v, dict) for v in found[0].values()))


def _text_features(article: Article, terms: Terms, numbers: Numbers, title_weight: int):
    """Word and number counts of one article, and the shown form of each number: they
    depend on its text alone, so they are cached between builds."""
    channels: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, str] = {}
    english = article.english_paragraphs
    if english:
        channels["en"].update(terms(" ".join([article.english_title] * title_weight + english), "en"))
    language = article.language
    if language not in ("en", "und") or (language == "und" and not english):
        channels[language].update(terms(" ".join([article.title] * title_weight + article.paragraphs), language))
    # An English original is its own English text: its numbers are read once.
    texts = [(article.paragraphs, language)] + ([(english, "en")] if english is not article.paragraphs else [])
    for paragraphs, lang in texts:
        for feature, shown in numbers(" ".join(paragraphs), lang):
            channels[NUMBERS][feature] += 1
            labels[feature] = shown
    # A translation repeats the original's numbers: each counts once per article.
    channels[NUMBERS] = Counter(dict.fromkeys(channels[NUMBERS], 1))
    channels[NAMES] = _name_grams([article.title, *article.paragraphs])
    return dict(channels), labels


_NAME_WORD = re.compile(r"\w+")


def _name_grams(texts: list[str], every_word: bool = False) -> Counter:
    """Character 4-grams of the capitalised words and numbers (or of every word),
    transliterated, inside space-padded words (" lav", "lavr", "avro", "vrov", "rov "). A text
    without capitals (Arabic, Devanagari, Chinese) has no names: its numbers alone would make
    any two such texts sharing a figure alike ("40" joined an Arabic and a Hindi story)."""
    grams = Counter()
    words = Counter(_NAME_WORD.findall(" ".join(texts)))
    if not every_word and not any(word[0].isupper() for word in words):
        return grams
    for word, count in words.items():
        if every_word or word[0].isupper() or word[0].isdigit():
            padded = f" {anyascii(word).lower()} "
            for i in range(max(len(padded) - 3, 1)):
                grams[padded[i:i + 4]] += count
    return grams


def has_english(article: Article) -> bool:
    """The article has English text (it is English, or translated): every other article's
    English text can be compared with it word by word."""
    return article.language == "en" or bool(article.english_paragraphs)


def _sounds(articles: list[Article], cache: Cache) -> list[dict[str, int] | None]:
    """The sounds channel's counts, only in a digest holding an article without English text,
    and only of the 4-grams such an article has: no other gram can be shared by a pair that
    uses the channel (one article without English text), so the digest's other articles keep
    a few of their grams rather than all (at 10,000 articles, all doubled the link stage's
    peak memory)."""
    without = [a for a in articles if not has_english(a)]
    if not without:
        return [None] * len(articles)

    def spelling(article: Article) -> dict[str, int]:
        return _name_grams([article.title, *article.paragraphs], every_word=True)

    def text_key(article: Article) -> str:
        return Cache.key(FEATURES_VERSION, article.title, article.paragraphs)

    # Their own grams cached too: in a digest of untranslated articles (a language without a
    # model), that is every article, and a rebuild would otherwise spell them all again.
    own = cache.each("spellings", without, text_key,
                     lambda todo: [_shared(c) for c in fork_map(spelling, todo, label="spelling features")],
                     lambda found: isinstance(found, dict))
    theirs = frozenset().union(*own)
    context = Cache.key(FEATURES_VERSION, sorted(theirs))
    def kept_spelling(article: Article) -> dict[str, int]:
        return {g: n for g, n in spelling(article).items() if g in theirs}

    return cache.each("sounds", articles, lambda a: Cache.key(context, text_key(a)),
                      lambda todo: [_shared(c) for c in fork_map(kept_spelling, todo, label="spelling features")],
                      lambda found: isinstance(found, dict))


def features(articles: list[Article], index: EntityIndex, words: dict, section,
              cache: Cache | None = None) -> list[Doc]:
    import numpy as np

    terms = Terms(words["stopwords"])
    numbers = Numbers(words["months"])
    cache = cache or Cache(None)
    # What Terms and Numbers read: a change to the other word lists keeps the counts.
    context = Cache.key(FEATURES_VERSION, words["stopwords"], words["months"], section["title_weight"])

    def key_of(a: Article) -> str:
        return Cache.key(context, a.language, a.title, a.paragraphs, a.english_title, a.english_paragraphs)

    def features_of_all(todo: list[Article]) -> list:
        found = fork_map(lambda a: _text_features(a, terms, numbers, section["title_weight"]), todo,
                         label="word and number features")
        return [({c: _shared(counts) for c, counts in channels.items()}, _shared(labels)) for channels, labels in found]

    per_article = cache.each("features", articles, key_of, features_of_all, _cached_features)
    sounds = _sounds(articles, cache)
    counts: list[dict[str, dict[str, int]] | None] = []
    docs = []
    for article, (text_channels, labels), spelling in zip(articles, per_article, sounds):
        if spelling:
            text_channels = {**text_channels, SOUNDS: spelling}
        # One string object per feature for the whole digest (entries read from the cache
        # share them within their file only): each article's own copies were ~40% of the stage's memory.
        for channel, found in text_channels.items():
            text_channels[channel] = _shared(found)
        doc = Doc(article, labels=labels)
        channels = {c: v for c, v in text_channels.items() if v}
        if entities := index.by_article.get(article.slug):
            channels[ENTITIES] = entities
        counts.append(channels)
        docs.append(doc)
    del per_article, sounds  # the counts are in `counts` now, each let go once its vector exists
    df: dict[str, Counter] = defaultdict(Counter)
    for doc_counts in counts:
        for channel, found in doc_counts.items():
            df[channel].update(found.keys())
    n = len(articles)
    numbering: dict[str, dict[str, int]] = defaultdict(dict)
    vocabulary: dict[str, list[str]] = defaultdict(list)
    for k, doc in enumerate(docs):
        for channel, found in counts[k].items():
            weights = {f: (1 + math.log(c)) * math.log((n + 1) / df[channel][f]) for f, c in found.items() if c > 0}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            if not norm:
                continue
            numbers, names = numbering[channel], vocabulary[channel]
            for f in weights:
                if f not in numbers:
                    numbers[f] = len(names)
                    names.append(f)
            doc.vectors[channel] = (np.fromiter(map(numbers.__getitem__, weights), dtype=np.int32, count=len(weights)),
                                    np.fromiter((w / norm for w in weights.values()), dtype=np.float64,
                                                count=len(weights)))
        doc.vocabulary = vocabulary
        counts[k] = None
    return docs
