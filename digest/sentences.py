"""Sentence splitting without run-time downloads.

sentencex (Wikimedia's rule-based segmenter: ~300 languages, abbreviation lists for each,
all in the wheel). Chosen over pysbd, which split the same sentences ~600x slower (6 s
against 0.01 s for 300 BBC articles), and over stanza/spaCy/MiniSBD, whose models
download at run time.
"""

from __future__ import annotations

from sentencex import segment


class SentenceSplitter:
    """Splits text into sentences for one language."""

    def __init__(self, language: str):
        # "und" (undetermined) gets the language-neutral rules of English.
        self.language = language if language and language != "und" else "en"

    def split(self, text: str) -> list[str]:
        text = text.strip()
        if not text:
            return []
        sentences: list[str] = []
        for piece in (s.strip() for s in segment(self.language, text)):
            if sentences and piece[:1].islower():
                # No sentence opens in lower case: sentencex ended one at an ordinal's full
                # stop ("25. aprīlī", "25. kwietnia": dates in Latvian, Polish, Czech ...).
                sentences[-1] = f"{sentences[-1]} {piece}"
            elif piece:
                sentences.append(piece)
        return sentences


def split_sentences(text: str, language: str) -> list[str]:
    return SentenceSplitter(language).split(text)
