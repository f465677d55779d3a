"""English named entities: candidate taggers side by side on two outside-written sets.

    uv run python benchmarks/ner.py [--sets conll-testa,uner-dev] [--limit N]

Sets (../shared/data/ner): CoNLL-2003 English testa and testb (Reuters news, 1996) and
Universal NER English-EWT dev and test (web text: reviews, answers, email). Gold mentions
are the PER / ORG / LOC spans; a prediction that is exactly a gold MISC span (CoNLL's
nationalities, events, works) counts neither way, since the digest has no such type.
Exact spans; typed F1 per type and over the three; untyped F1 (span right, any type).

Candidates, each over the same sentences in one run:
- rules: the digest's proper-noun rules alone (capitalised runs typed by cue words), the
  English finder before spaCy;
- spacy: spaCy's English NER alone, the installed en_core_web_md (PERSON -> person; ORG -> organisation;
  GPE, LOC, FAC -> place; other labels dropped);
- digest: what the digest makes of English text, no registry: digest.annotate.mentions finds the
  mentions (spaCy), digest.annotate.entities groups them within each document and types each group
  by vote, so that one name has one type ("Lavrov said" read as an organisation joins
  Sergei Lavrov named earlier).

`--model DIR` runs spacy and digest with another spaCy pipeline folder instead (the folder
holding its config.cfg, e.g. an unpacked en_core_web_sm 3.8.0 wheel), to compare models. One
run each (2026-12), typed F1 of `digest`, testa / testb / uner-dev / uner-test:
en_core_web_sm 3.8.0 0.689 / 0.641 / 0.602 / 0.563; en_core_web_md 3.7.1 (the dependency)
0.708 / 0.647 / 0.668 / 0.653; en_core_web_md 3.8.0 (PyPI's copy needs Python 3.12)
0.718 / 0.646 / 0.640 / 0.646.

Baselines from the literature (../shared/data/README.md): CoNLL-2003 testb, official
baseline F1 59.6, Stanford NER 85.5 (with MISC); UNER EWT test, XLM-R-large 86.0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.annotate import english_ner  # noqa: E402
from digest.annotate.identities import group, vote  # noqa: E402
from digest.annotate.mentions import MentionFinder, word_lists  # noqa: E402

NER = REPO.parent / "shared" / "data" / "ner"
SETS = {
    "conll-testa": NER / "conll2003-en" / "eng.testa",
    "conll-testb": NER / "conll2003-en" / "eng.testb",
    "uner-dev": NER / "uner-english-ewt" / "en_ewt-ud-dev.iob2",
    "uner-test": NER / "uner-english-ewt" / "en_ewt-ud-test.iob2",
}
TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place", "MISC": "misc"}
KINDS = ("person", "organisation", "place")
SPACY_TYPES = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place",
               "FAC": "place"}


def read_sentences(path: Path) -> list[tuple[int, str, set[tuple[int, int, str]]]]:
    """(document number, text, gold spans) per sentence: tokens joined by spaces, spans as
    character offsets.
    CoNLL's IOB1 (I- continues a run of its type, B- splits two) and UNER's BIO2 both read
    as: B- starts a mention, I- continues one of its type or starts one."""
    conll = path.name.startswith("eng.")
    sentences, tokens, tags = [], [], []
    document = 0

    def close():
        if tokens:
            text, spans, start, kind, offset = "", set(), None, None, 0
            for token, tag in zip(tokens, tags):
                prefix, _, label = tag.partition("-")
                if start is not None and (prefix != "I" or TYPES.get(label) != kind):
                    spans.add((start, offset - 1, kind))
                    start = None
                if prefix in ("B", "I") and start is None and label in TYPES:
                    start, kind = offset, TYPES[label]
                text += token + " "
                offset = len(text)
            if start is not None:
                spans.add((start, offset - 1, kind))
            sentences.append((document, text.rstrip(), spans))
        tokens.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            close()
            document += line.startswith("-DOCSTART-")
            continue
        if line.startswith("#"):
            document += line.startswith("# newdoc")
            continue
        fields = line.split(" ") if conll else line.split("\t")
        token, tag = (fields[0], fields[-1]) if conll else (fields[1], fields[2])
        tokens.append(token)
        tags.append(tag)
    close()
    return sentences


def rules(finder: MentionFinder, texts: list[str]) -> list[set]:
    out = []
    for text in texts:
        tokens = finder._tokens(text)
        out.append({(c.start, c.end, c.type) for c in finder._proper_nouns(text, tokens, "paragraphs", 0)})
    return out


def spacy_alone(texts: list[str]) -> list[set]:
    nlp = english_ner.english_nlp()
    return [{(e.start_char, e.end_char, SPACY_TYPES[e.label_]) for e in doc.ents if e.label_ in SPACY_TYPES}
            for doc in nlp.pipe(texts, batch_size=256)]


def digest_now(finder: MentionFinder, documents: list[int], texts: list[str]) -> list[set]:
    candidates = []
    for i, (document, text) in enumerate(zip(documents, texts)):
        for cand in finder.candidates(text, "en", "paragraphs", i):
            cand.article = str(document)
            candidates.append(cand)
    found = [set() for _ in texts]
    particles = set(word_lists()["grouping"]["surname_particles"])
    for key, members in group(candidates, particles=particles).items():
        one_word = max(len(c.words) for c in members) < 2
        kind = "person" if key[0] == "person" else vote(members, one_word=one_word)
        for cand in members:
            found[cand.paragraph].add((cand.start, cand.end, kind))
    return found


def score(gold: list[set], found: list[set]) -> dict:
    counts = Counter()
    for g, f in zip(gold, found):
        misc = {(a, b) for a, b, k in g if k == "misc"}
        g = {m for m in g if m[2] != "misc"}
        f = {m for m in f if (m[0], m[1]) not in misc}
        for kind in KINDS:
            gk, fk = {m for m in g if m[2] == kind}, {m for m in f if m[2] == kind}
            counts[kind, "tp"] += len(gk & fk)
            counts[kind, "fp"] += len(fk - gk)
            counts[kind, "fn"] += len(gk - fk)
        gs, fs = {m[:2] for m in g}, {m[:2] for m in f}
        counts["untyped", "tp"] += len(gs & fs)
        counts["untyped", "fp"] += len(fs - gs)
        counts["untyped", "fn"] += len(gs - fs)
    result = {}
    for kind in (*KINDS, "typed", "untyped"):
        kinds = KINDS if kind == "typed" else (kind,)
        tp, fp, fn = (sum(counts[k, x] for k in kinds) for x in ("tp", "fp", "fn"))
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        result[kind] = 2 * p * r / (p + r) if p + r else 0.0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--limit", type=int, default=0, help="first N sentences of each set")
    parser.add_argument("--model", help="a spaCy pipeline folder (with config.cfg) in place of the installed model")
    args = parser.parse_args()
    if args.model:
        model = english_ner.load_english(args.model)
        english_ner.english_nlp = lambda: model
    finder = MentionFinder([])
    systems = {"rules": lambda d, t: rules(finder, t), "spacy": lambda d, t: spacy_alone(t),
               "digest": lambda d, t: digest_now(finder, d, t)}
    print(f"{'set':<12} {'system':<7} {'person':>7} {'org':>7} {'place':>7} {'typed':>7} "
          f"{'untyped':>8} {'ms/sent':>8}")
    for name in args.sets.split(","):
        if not SETS[name].exists():
            print(f"{name}: missing {SETS[name]}")
            continue
        sentences = read_sentences(SETS[name])
        if args.limit:
            sentences = sentences[:args.limit]
        documents = [s[0] for s in sentences]
        texts, gold = [s[1] for s in sentences], [s[2] for s in sentences]
        for system, run in systems.items():
            started = time.perf_counter()
            found = run(documents, texts)
            ms = (time.perf_counter() - started) * 1000 / len(texts)
            f1 = score(gold, found)
            print(f"{name:<12} {system:<7} {f1['person']:7.3f} {f1['organisation']:7.3f} "
                  f"{f1['place']:7.3f} {f1['typed']:7.3f} {f1['untyped']:8.3f} {ms:8.2f}")


if __name__ == "__main__":
    main()
