"""Sentence splitting without run-time downloads.

razdel (rule-based, from the natasha project) for Russian; pysbd (rule-based, 22
languages including zh, ja, ar) for everything else. Both ship their rules in the wheel,
unlike stanza/spaCy/MiniSBD models that download at run time.
"""

from __future__ import annotations

import pysbd
import razdel

_PYSBD_LANGUAGES = {"en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl",
                    "fa", "nl", "da", "fr", "my", "el", "it", "ja", "de", "kk", "sk"}


class SentenceSplitter:
    """Splits text into sentences for one language; build one per language and reuse it."""

    def __init__(self, language: str):
        self.language = language
        self._pysbd = None
        if language != "ru":
            lang = language if language in _PYSBD_LANGUAGES else "en"
            self._pysbd = pysbd.Segmenter(language=lang, clean=False)

    def split(self, text: str) -> list[str]:
        text = text.strip()
        if not text:
            return []
        if self._pysbd is None:
            sentences = [s.text for s in razdel.sentenize(text)]
        else:
            sentences = self._pysbd.segment(text)
        return [s.strip() for s in sentences if s.strip()]


def split_sentences(text: str, language: str) -> list[str]:
    return SentenceSplitter(language).split(text)
