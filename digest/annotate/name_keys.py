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


def _respelled(key: str) -> str:
    """A folded word with transliterations' letter groups made one (kh -> h, ts -> c, c -> k)."""
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    return key


@functools.lru_cache(maxsize=1 << 16)
def skeleton(key: str) -> str:
    """First letter + consonants of a folded word, so transliterations meet:
    kerri/kerry -> kr, moskva/moscow -> mskv, dzhon/john -> jn, frantsiya/france -> frnk."""
    key = _respelled(key)
    if not key:
        return key
    return _REPEATS.sub(r"\1", key[0] + _VOWELS.sub("", key[1:]))


def name_key(words: tuple[str, ...]) -> str:
    joined = " ".join(skeleton(w) for w in words)
    return joined if len(joined.replace(" ", "")) >= 3 else " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def vowel_pattern(key: str) -> str:
    """A folded word's consonants in order with each run of vowels as "V", a final one
    dropped: where the vowels stand, which its skeleton forgets. lavrov and lavrovu ->
    lVvrVv; bankia -> bVnk, babenko -> bVbVnk (one skeleton, bnk)."""
    pattern = _REPEATS.sub(r"\1", _VOWEL_RUNS.sub("V", _respelled(key)))
    return pattern.rstrip("V") or pattern


_VOWEL_RUNS = re.compile(r"[aeiouh]+")


def alike_across_scripts(key: str, other: str) -> bool:
    """Two folded words of two scripts are one name's: the same vowel pattern, but for a
    case ending of up to two letters on one (zelensky, zelenskogo; kerry, kerri)."""
    short, long = sorted((vowel_pattern(key), vowel_pattern(other)), key=len)
    return long.startswith(short) and len(long) - len(short) <= 2

