"""Russian names: natasha's NER and pymorphy's morphology.

Why natasha: NER and morphology whose weights ship inside its wheel (numpy only: no torch,
no downloads); spans come typed PER/ORG/LOC, and its pymorphy dictionary lemmatises them
(Лаврова -> Лавров, Исламским -> исламский), so inflected forms share one key. Each word is
normalised by its pymorphy lemma rather than by natasha's morphology tagger, which would
triple the time for the same keys.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator

from .name_keys import CYRILLIC, TOKEN, fold
from .spans import bracketed_parts, has_capital

_NATASHA_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}


def natasha_reads(language: str, text: str) -> bool:
    """natasha finds the names in this text (Russian, or Cyrillic text of undetermined language)."""
    return language == "ru" or (language == "und" and bool(CYRILLIC.search(text)))


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

    def lemma(self, word: str) -> str:
        """pymorphy's lemma of a Cyrillic word (ИГ and other acronyms stay as they are:
        their guessed lemmas are other words); any other word in lower case."""
        lemma = self.lemmas.get(word)
        if lemma is None:
            if not CYRILLIC.search(word) or (word.isupper() and len(word) <= 5):
                lemma = word.lower()
            else:
                lemma = self.morph_vocab().parse(word)[0].normal_form
            self.lemmas[word] = lemma
        return lemma

    def _gender(self, words: list[str], kind: str | None) -> str | None:
        """A person's gender by the first name ("Ольга"), which decides how a surname parses:
        pymorphy's first parse of "Зинякова" is the masculine Зиняков's genitive."""
        if kind != "person" or len(words) < 2:
            return None
        return next((p.tag.gender for p in self.morph_vocab().parse(words[0]) if "Name" in p.tag and p.tag.gender),
                    None)

    def _parse(self, word: str, gender: str | None):
        parses = self.morph_vocab().parse(word)
        return next((p for p in parses if gender and p.tag.gender == gender), parses[0])

    def nominative(self, words: list[str], kind: str | None = None) -> bool:
        """Every word (but an acronym) is in the nominative, or of no case."""
        gender = self._gender(words, kind)
        for word in words:
            if not _as_written(word):
                case = self._parse(word, gender).tag.case
                if case not in (None, "nomn"):
                    return False
        return True

    def nominative_name(self, words: list[str], kind: str | None) -> str:
        """A name seen only in another case, put in the nominative as Russian names it: a
        person's every word ("Марии Захаровой" -> "Мария Захарова"), otherwise the words up to
        the head noun, the rest as written ("Министерства иностранных дел" -> "Министерство
        иностранных дел", "Соединённых Штатов Америки" -> "Соединённые Штаты Америки").
        pymorphy inflects each keeping its gender and number, where its lemma would not
        ("Государственный Дума", "Соединить Штат")."""
        named, head_seen = [], False
        gender = self._gender(words, kind)
        for word in words:
            if head_seen or _as_written(word) or not CYRILLIC.search(word):
                named.append(word)
                continue
            parse = self._parse(word, gender)
            form = parse.inflect({"Nom"})
            named.append(_cased_like(form.word if form else parse.normal_form, word))
            head_seen = kind != "person" and parse.tag.POS == "NOUN"
        return " ".join(named)

    def names(self, text: str) -> Iterator[tuple[int, int, str, str, tuple[str, ...], str | None, bool]]:
        """(start, stop, surface, name, folded lemmas, type, spelled) of natasha's names in
        `text`: `name` is the surface when it is in the nominative (`spelled`), else the
        nominative built from the lemmas."""
        for span in self.ner(text).spans:
            for start, stop in bracketed_parts(text, span.start, span.stop):
                piece = text[start:stop]
                surface = TOKEN.findall(piece)
                words = tuple(fold(self.lemma(w)) for w in surface)
                if not words or not all(words) or not has_capital(piece):
                    continue
                kind = _NATASHA_TYPES.get(span.type)
                spelled = self.nominative(surface, kind)
                name = piece if spelled else self.nominative_name(surface, kind)
                yield start, stop, piece, name, words, kind, spelled


def _as_written(word: str) -> bool:
    """An acronym, whatever its case ("ФСБ", "СПбГУ"): pymorphy's guesses at it are other words."""
    return word.isupper() or (sum(c.isupper() for c in word) > 1 and "-" not in word)


def _cased_like(form: str, written: str) -> str:
    """pymorphy's form in the written word's capitals, part by part: "санкт-петербург" of
    "Санкт-Петербурге" is "Санкт-Петербург", "ростов-на-дону" "Ростов-на-Дону"."""
    parts, written_parts = form.split("-"), written.split("-")
    if len(parts) != len(written_parts):
        return form.capitalize() if written[:1].isupper() else form
    return "-".join(part.capitalize() if old[:1].isupper() else part for part, old in zip(parts, written_parts))
