"""Near-duplicate texts: the same article twice, or a syndicated copy of it.

Two texts are near-duplicates when their sets of word 5-grams ("shingles") overlap by at
least `near_duplicate_jaccard` (Jaccard). Used by load_articles (duplicates in the digest)
and the importer (an article already in the digest).

Comparing every pair is quadratic. MinHash with banding (locality-sensitive hashing, as in
Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3) proposes only the pairs
likely to be that close, in time linear in the number of texts: each text gets BANDS x ROWS
minimum hashes, and two texts are proposed when all ROWS hashes of one band agree. With 20
bands of 5 rows a pair at Jaccard 0.8 is proposed with probability 1 - (1 - 0.8^5)^20 >
0.9995, one at 0.5 with 0.47, one at 0.3 with 0.05. The share of equal hashes estimates the
Jaccard (standard error <= 0.05): a proposed pair is compared exactly unless that estimate
is more than ESTIMATE_MARGIN below the threshold. Only the sketches (800 bytes a text) are
kept between builds; a text's shingle set (~35 KB in memory) is made only while it is in a
proposed pair. Hand-written over numpy rather than datasketch, which would bring scipy
(~40 MB) for these few lines.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict

from ..cache import Cache
from ..settings import Settings

BANDS, ROWS = 20, 5
ESTIMATE_MARGIN = 0.2  # four standard errors of the estimate at Jaccard 0.5
SKETCH_VERSION = 1  # bump when shingles() or _sketch() change: old cache entries then miss


def normalized_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"\w+", text)


def text_fingerprint(text: str) -> str:
    return hashlib.sha256(" ".join(normalized_words(text)).encode()).hexdigest()


def shingles(text: str, size: int) -> set[int]:
    # Each word is hashed once; a shingle is the hash of its words' hashes (tuples of ints
    # hash the same in every run, unlike str hashes, so a text always gives the same set).
    hashes = [zlib.crc32(word.encode()) for word in normalized_words(text)]
    if len(hashes) < size:
        return {hash(tuple(hashes))} if hashes else set()
    return {hash(shingle) for shingle in zip(*(hashes[i:] for i in range(size)))}


@functools.cache
def _seeds():
    import numpy as np  # here: a build answered by the cache never needs it

    return np.random.default_rng(20151201).integers(0, 2**63, size=BANDS * ROWS, dtype=np.int64).view(np.uint64)


def _sketch(text: str, size: int) -> bytes:
    """BANDS x ROWS minimum hashes of the text's shingles, one per seed: splitmix64's mixer
    over shingle XOR seed orders the shingles at random, differently for each seed."""
    import numpy as np

    values = shingles(text, size)
    if not values:
        return b""
    mixed = np.fromiter(values, dtype=np.int64, count=len(values)).view(np.uint64)[None, :] ^ _seeds()[:, None]
    with np.errstate(over="ignore"):  # the mixer multiplies modulo 2^64 on purpose
        mixed = (mixed ^ (mixed >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        mixed = (mixed ^ (mixed >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        mixed ^= mixed >> np.uint64(31)
    return mixed.min(axis=1).tobytes()


def near_duplicates(bodies: dict[str, str], settings: Settings,
                    cache: Cache | None = None) -> list[tuple[str, str, float]]:
    """Pairs of keys (each pair once, sorted) whose texts share at least
    `near_duplicate_jaccard` of their word shingles, with that share."""
    import numpy as np

    cfg = settings.section("articles")
    threshold = cfg.get("near_duplicate_jaccard", 0.8)
    size = cfg.get("shingle_words", 5)
    sketches = (cache or Cache(None)).each(
        "sketches", list(bodies.values()), lambda text: Cache.key(SKETCH_VERSION, size, text),
        lambda todo: [_sketch(text, size) for text in todo], lambda found: isinstance(found, bytes))
    hashes = {key: np.frombuffer(sketch, dtype=np.uint64) for key, sketch in zip(bodies, sketches) if sketch}
    width = 8 * ROWS  # bytes of one band
    buckets: dict[tuple[int, bytes], list[str]] = defaultdict(list)
    for key, sketch in zip(bodies, sketches):
        for band in range(BANDS if sketch else 0):
            buckets[band, sketch[band * width:(band + 1) * width]].append(key)
    candidates = {tuple(sorted((a, b))) for keys in buckets.values() if len(keys) > 1
                  for i, a in enumerate(keys) for b in keys[i + 1:]}
    sets: dict[str, set[int]] = {}
    pairs = []
    for a, b in sorted(candidates):
        if np.mean(hashes[a] == hashes[b]) < threshold - ESTIMATE_MARGIN:
            continue
        for key in (a, b):
            if key not in sets:
                sets[key] = shingles(bodies[key], size)
        union = len(sets[a] | sets[b])
        jaccard = len(sets[a] & sets[b]) / union if union else 1.0
        if jaccard >= threshold:
            pairs.append((a, b, jaccard))
    return pairs
