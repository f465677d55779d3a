"""Near-duplicate texts: the same article twice, or a syndicated copy of it.

Two texts are near-duplicates when their sets of word 5-grams ("shingles") overlap by at
least `near_duplicate_jaccard` (Jaccard). Used by load_articles (duplicates in the digest)
and the importer (an article already in the digest).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict

from .cache import Cache
from .settings import Settings


def normalized_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"\w+", text)


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(normalized_words(text)).encode()).hexdigest()


def shingles(text: str, size: int) -> set[int]:
    # Each word is hashed once; a shingle is the hash of its words' hashes (tuples of ints
    # hash the same in every run, unlike str hashes, and the sketch below must pick the
    # same shingles every time).
    hashes = [zlib.crc32(word.encode()) for word in normalized_words(text)]
    if len(hashes) < size:
        return {hash(tuple(hashes))} if hashes else set()
    return {hash(shingle) for shingle in zip(*(hashes[i:] for i in range(size)))}


SHINGLES_VERSION = 1  # bump when shingles() changes: old cache entries then miss


def near_duplicates(bodies: dict[str, str], settings: Settings,
                    cache: Cache | None = None) -> list[tuple[str, str, float]]:
    """Pairs of keys whose texts share most of their word shingles.

    Candidates come from a bottom-k sketch (MinHash-style): pairs that share none of their
    smallest shingle hashes are never compared, so the work stays near-linear.
    """
    cfg = settings.section("articles")
    threshold = cfg.get("near_duplicate_jaccard", 0.8)
    size = cfg.get("shingle_words", 5)
    found = (cache or Cache(None)).each("shingles", list(bodies.values()),
                                        lambda text: Cache.key(SHINGLES_VERSION, size, text),
                                        lambda todo: [shingles(text, size) for text in todo],
                                        lambda found: isinstance(found, set))
    sets = dict(zip(bodies, found))
    index: dict[int, list[str]] = defaultdict(list)
    for key, values in sets.items():
        for value in sorted(values)[:16]:
            index[value].append(key)
    candidates = {tuple(sorted((a, b))) for keys in index.values() if len(keys) < 50
                  for i, a in enumerate(keys) for b in keys[i + 1:]}
    pairs = []
    for a, b in sorted(candidates):
        union = len(sets[a] | sets[b])
        jaccard = len(sets[a] & sets[b]) / union if union else 1.0
        if jaccard >= threshold:
            pairs.append((a, b, jaccard))
    return pairs
