"""Name keys: one Latin, lower-case key per word whatever its script (anyascii), and a
consonant skeleton of it so that transliterations meet (Kerri/Kerry, Moskva/Moscow,
Sergei/Sergey)."""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

TOKEN = re.compile(r"\w+(?:[-'’]\w+)*")
CYRILLIC = re.compile("[а-яёА-ЯЁ]")
POSSESSIVE = re.compile(r"['’]s$")
_NOT_KEY = re.compile(r"[^a-z0-9]")
_VOWELS = re.compile(r"[aeiouh]")
_REPEATS = re.compile(r"(.)\1+")


# fold and skeleton are pure and called for every word of every article: memoised.
@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """One Latin, lower-case key per word, whatever its script: Лавров -> lavrov."""
    return _NOT_KEY.sub("", anyascii(POSSESSIVE.sub("", word)).lower())


_SKELETON_RULES = (("shch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"),
                   ("ck", "k"), ("ts", "c"), ("tz", "c"), ("w", "v"), ("q", "k"), ("x", "ks"),
                   ("c", "k"), ("y", "i"))


@functools.lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """First letter + consonants of a folded word, so transliterations meet:
    kerri/kerry -> kr, moskva/moscow -> mskv, dzhon/john -> jn, frantsiya/france -> frnk."""
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    if not key:
        return key
    return _REPEATS.sub(r"\1", key[0] + _VOWELS.sub("", key[1:]))


def name_key(words: tuple[str, ...]) -> str:
    joined = " ".join(skeleton(w) for w in words)
    return joined if len(joined.replace(" ", "")) >= 3 else " ".join(words)

