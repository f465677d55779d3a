"""Sentences into English with one installed package: what `digest translate` runs on this
machine and what each worker of a Dask cluster runs (digest/translation/cluster.py), so both give the
same text for the same chunk.

`Decoder` loads the package's CTranslate2 model and SentencePiece model once; `english()`
decodes one chunk of sentences (already sorted by length by the caller) in one
`translate_batch` call, then translates again, with the names written in English, the
sentences whose registered names were lost (`NameGuard`, see translate.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..errors import DigestError, Problem

NO_SPACE_LANGUAGES = ("zh", "ja", "th")  # wrapped lines join without a space


@dataclass(frozen=True)
class DecodingOptions:
    """The decoding settings (settings.yml, translate:) a chunk is decoded with."""

    beam_size: int
    length_penalty: float
    max_batch_size: int
    max_input_length: int
    threads: int  # 0: every core the process may use

    @classmethod
    def from_settings(cls, conf) -> DecodingOptions:
        return cls(conf["beam_size"], conf["length_penalty"], conf["max_batch_size"], conf["max_input_length"],
                   conf["threads"])


class Decoder:
    """One package's models, loaded once. Raises RuntimeError, ValueError or OSError when they
    do not load (a damaged package)."""

    def __init__(self, model_dir, sentencepiece_model, target_prefix: str, options: DecodingOptions,
                 device: tuple[str, str]):
        import ctranslate2  # heavy imports only when something is translated
        import sentencepiece

        self.pieces = sentencepiece.SentencePieceProcessor(model_file=str(sentencepiece_model))
        self.options = options
        self.prefix = target_prefix
        self.translator = ctranslate2.Translator(
            str(model_dir), device=device[0], compute_type=device[1], inter_threads=1,
            intra_threads=options.threads or len(os.sched_getaffinity(0)))

    def english(self, sentences: list[str], guard: NameGuard | None = None) -> list[str]:
        """The English of each sentence, in one batch call (so the result does not depend on
        which machine decodes the chunk)."""
        if not sentences:
            return []
        english = [self._text(r.hypotheses[0]) for r in self._decode(self.pieces.encode(sentences, out_type=str))]
        stuck = [i for i, sentence in enumerate(sentences) if repeats_itself(english[i], sentence)]
        if stuck:  # the model looping on a word: that sentence again, a repeat penalised
            retried = self._decode(self.pieces.encode([sentences[i] for i in stuck], out_type=str),
                                   repetition_penalty=_REPETITION_PENALTY)
            for i, result in zip(stuck, retried):
                english[i] = self._text(result.hypotheses[0])
        if guard:  # a registered name lost: that sentence again, the name given in English
            again = [i for i, sentence in enumerate(sentences) if guard.lost(sentence, english[i])]
            if again:
                retried = self._decode(self.pieces.encode([guard.protect(sentences[i]) for i in again], out_type=str))
                for i, result in zip(again, retried):
                    english[i] = self._text(result.hypotheses[0])
        return english

    def _decode(self, batch: list[list[str]], repetition_penalty: float = 1.0):
        o = self.options
        return self.translator.translate_batch(
            batch, target_prefix=[[self.prefix]] * len(batch) if self.prefix else None,
            beam_size=o.beam_size, length_penalty=o.length_penalty, max_batch_size=o.max_batch_size,
            batch_type="examples", max_input_length=o.max_input_length, replace_unknowns=True,
            repetition_penalty=repetition_penalty)

    def _text(self, tokens: list[str]) -> str:
        if self.prefix and tokens[:1] == [self.prefix]:
            tokens = tokens[1:]
        return joined_apostrophes(self.pieces.decode(tokens).replace("▁", " ").strip())


# A model sometimes loops on a word ("Zheng Zheng Zheng Zheng ...", "Zi Zi Zi ... " for one
# Chinese name: 5 of 60 translated Chinese pages). Such a sentence is decoded again with
# CTranslate2's repetition penalty (1.0 is none); a repeat the source holds ("哈哈哈哈" ->
# "Ha ha ha ha") is left alone.
_REPETITION_PENALTY = 1.5
_LOOP = re.compile(r"\b(\w+)(?:\W+\1\b){3,}", re.IGNORECASE)
_SOURCE_LOOP = re.compile(r"(\w)\1{3,}|\b(\w+)(?:\W+\2\b){3,}")


def repeats_itself(english: str, source: str) -> bool:
    """The English says one word four times running where the source repeats nothing."""
    return bool(_LOOP.search(english)) and not _SOURCE_LOOP.search(source)


# OPUS-MT models (the Argos zh->en package) were trained on tokenised English and write an
# apostrophe with a space on each side: "People ' s Court", "farmers ' interests", "coup d '
# état" (59 times in the Chinese web pages' translations). Joined back as English writes them;
# a quotation mark between spaces ("the so-called ' reform '") is left alone.
_CONTRACTION = re.compile(r"(?<=\w) ' (?=(?:s|t|re|ve|ll|d|m)\b)")
_PLURAL_POSSESSIVE = re.compile(r"(?<=\ws) ' (?=\w)")
_ELISION = re.compile(r"(?<=\b[dlDL]) ' (?=\w)")


def joined_apostrophes(english: str) -> str:
    """ "People ' s" -> "People's", "farmers ' interests" -> "farmers' interests", "d ' état"
    -> "d'état"."""
    if " ' " not in english:
        return english
    english = _CONTRACTION.sub("'", english)
    english = _PLURAL_POSSESSIVE.sub("' ", english)
    return _ELISION.sub("'", english)


def resolve_device(requested: str, compute_type: str = "auto") -> tuple[str, str]:
    """(device, compute type) for CTranslate2: `auto` is a GPU when CTranslate2 sees one, else
    the CPU. Raises DigestError for an unknown device or `cuda` without a GPU."""
    import ctranslate2

    if requested not in ("auto", "cpu", "cuda"):
        raise DigestError(Problem("translate.device", 0, f"{requested!r} is not one of auto, cpu, cuda",
                                  "set `device: auto` (or pass --device auto)"))
    gpus = ctranslate2.get_cuda_device_count()
    if requested == "cuda" and not gpus:
        raise DigestError(Problem("translate.device", 0, "cuda: CTranslate2 sees no GPU on this machine",
                                  "use --device auto (a GPU when there is one) or --device cpu"))
    device = "cuda" if requested == "cuda" or (requested == "auto" and gpus) else "cpu"
    if compute_type == "auto":
        compute_type = "int8_float16" if device == "cuda" else "auto"
    return device, compute_type


class NameGuard:
    """The registry's names in one source language: where a sentence names one, whether a
    translation kept its English form, and the sentence with the names written in English."""

    def __init__(self, registry: list, language: str):
        from ..annotate.mentions import MentionFinder  # the registry matcher: inflected forms, any script

        self.language = language
        self.registry = [e for e in registry if _latin_forms(e)]
        self.finder = MentionFinder(self.registry) if self.registry else None
        self.english = {i: _latin_forms(e) for i, e in enumerate(self.registry)}
        # Scripts without spaces between words: aliases are found as substrings.
        self.substrings = sorted(((alias, i) for i, e in enumerate(self.registry) for alias in e.aliases
                                  if _CJK.search(alias)), key=lambda item: -len(item[0]))

    def names(self, sentence: str) -> list[tuple[int, int, int]]:
        """(start, end, registry index) of each registered name in the sentence."""
        if not self.finder:
            return []
        if self.language in NO_SPACE_LANGUAGES:
            found, taken = [], set()
            for alias, index in self.substrings:
                for match in re.finditer(re.escape(alias), sentence):
                    span = set(range(*match.span()))
                    if not span & taken:
                        taken |= span
                        found.append((match.start(), match.end(), index))
            return sorted(found)
        return [(c.start, c.end, c.entry) for c in self.finder.candidates(sentence, self.language, "paragraphs", 0,
                                                                         registry_only=True)]

    def lost(self, sentence: str, english: str) -> bool:
        """The sentence names a registered entity whose English forms its translation lacks."""
        return any(not any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", english, re.IGNORECASE)
                           for form in self.english[index])
                   for _, _, index in self.names(sentence))

    def protect(self, sentence: str) -> str:
        """The sentence with each registered name replaced by its English name."""
        spaced = self.language in NO_SPACE_LANGUAGES
        for start, end, index in reversed(self.names(sentence)):
            name = self.registry[index].name if _latin(self.registry[index].name) else self.english[index][0]
            sentence = sentence[:start] + (f" {name} " if spaced else name) + sentence[end:]
        return sentence


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


def _latin_forms(entry) -> list[str]:
    """The entry's English forms: its name and aliases in Latin script, longest first."""
    return sorted({f for f in (entry.name, *entry.aliases) if _latin(f)}, key=lambda f: -len(f))
