"""ROUGE-1/2/L of our summarizer against position baselines and TextRank, on three sets.

    uv run --extra test python benchmarks/summarize.py [--set bbc|cnndm|xsum] [--layout given|sentences]
                                                       [--limit N] [--split all|dev|test] [--settings FILE]
                                                       [--no-clean]

Sets: bbc, the BBC News Summary set (extractive references: sentences of the article, picked
by an algorithm that favours central sentences); cnndm and xsum, the CNN/DailyMail and XSum
articles of ../shared/data/summarization/frank-cnndm-xsum (human-written references: CNN's
highlights, XSum's one-sentence summary; its articles come as one paragraph). `--layout
sentences` gives every sentence its own paragraph instead.

Every system gets the same budget (the `summarize` settings: ≤ 3 sentences, ≤ 75 words) and
the same sentences (the same splitter over the same paragraphs). Lead-3 takes the first three
sentences, cut at the word budget; lead-words the first 75 words whatever the sentences (the
strongest position baseline at this length). TextRank ranks sentences by PageRank over a sentence graph
weighted by word overlap normalised by log lengths (Mihalcea & Tarau 2004), then fills the
budget best-first like ours. lead-same: the article's first words, as many as our summary has
(the baseline at equal length, article by article). ROUGE F1 (and recall) with rouge-score,
Porter stemming.
`--split dev` is every fifth article (what the weights were tuned on), `test` the rest.
Each article's paragraphs are cleaned first as the build cleans them (digest/intake/clean.py:
XSum's texts open with BBC's share widget, "Share this withEmail...Copy this link", in 61 of
251), for every system alike; `--no-clean` reads them as the set gives them.
Exits with a message when the set is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from digest.sentences import SentenceSplitter
from digest.settings import load_settings
from digest.annotate.summarize import count_words, summarize_text
from digest.intake.clean import clean_article, load_rules
from digest.model import Article

SUMMARIZATION = Path(__file__).resolve().parents[2] / "shared" / "data" / "summarization"
DATA = SUMMARIZATION / "bbc-news-summary" / "BBC News Summary"
FRANK = SUMMARIZATION / "frank-cnndm-xsum"


def load_frank(name: str, limit: int | None) -> list[tuple[list[str], str]]:
    rows = [json.loads(line) for line in (FRANK / f"{name}_test.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [([p.strip() for p in row["text"].split("\n") if p.strip()], row["summary"]) for row in rows]
    return pairs[:limit] if limit else pairs


def load(limit: int | None, split: str) -> list[tuple[list[str], str]]:
    pairs = []
    for index, path in enumerate(sorted((DATA / "News Articles").glob("*/*.txt"))):
        if (split == "dev" and index % 5) or (split == "test" and not index % 5):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        _title, _, body = text.partition("\n")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        summary = (DATA / "Summaries" / path.parent.name / path.name).read_text(encoding="utf-8", errors="replace")
        # The references glue sentences together ("...time.She said"): put the space back.
        summary = re.sub(r"([.!?][\"”']?)(?=[A-Z\"“])", r"\1 ", summary)
        pairs.append((paragraphs, summary))
        if limit and len(pairs) >= limit:
            break
    return pairs


def cleaned(paragraphs: list[str], rules) -> list[str]:
    """The paragraphs as the build's clean stage leaves them."""
    article = Article(path=Path("a.md"), rel_path="a.md", slug="a", title="", source="", published=dt.datetime(2020, 1, 1),
                      has_time=False, body="\n\n".join(paragraphs), body_line=1, language="en")
    return clean_article(article, rules).paragraphs


def fill_budget(sentences: list[str], order: list[int], max_sentences: int, max_words: int) -> str:
    chosen, used = [], 0
    for index in order:
        length = count_words(sentences[index])
        if used + length <= max_words:
            chosen.append(index)
            used += length
        if len(chosen) == max_sentences:
            break
    return " ".join(sentences[i] for i in sorted(chosen))


def lead(sentences: list[str], max_sentences: int, max_words: int) -> str:
    words = " ".join(sentences[:max_sentences]).split()
    return " ".join(words[:max_words])


def textrank(sentences: list[str], max_sentences: int, max_words: int) -> str:
    bags = [set(re.findall(r"\w+", s.lower())) for s in sentences]
    n = len(sentences)
    weights = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            denominator = math.log(len(bags[i]) + 1) + math.log(len(bags[j]) + 1)
            if denominator:
                weights[i, j] = weights[j, i] = len(bags[i] & bags[j]) / denominator
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.divide(weights, sums, out=np.full_like(weights, 1.0 / max(n, 1)), where=sums > 0)
    rank = np.full(n, 1.0 / max(n, 1))
    for _ in range(50):
        rank = 0.15 / n + 0.85 * transition.T @ rank
    order = sorted(range(n), key=lambda i: (-rank[i], i))
    return fill_budget(sentences, order, max_sentences, max_words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["bbc", "cnndm", "xsum"], default="bbc")
    parser.add_argument("--layout", choices=["given", "sentences"], default="given",
                        help="paragraphs as the set gives them, or one sentence a paragraph")
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--split", choices=["all", "dev", "test"], default="all", help="BBC only")
    parser.add_argument("--settings", help="a settings file overlaid on the defaults (to tune)")
    parser.add_argument("--no-clean", action="store_true", help="paragraphs as the set gives them, not cleaned")
    args = parser.parse_args()
    source = DATA if args.set == "bbc" else FRANK
    if not source.exists():
        print(f"skipped: {source} is absent (the benchmark reads ../shared/data)")
        return 0
    settings = load_settings(args.settings)
    options = settings.section("summarize")
    max_sentences, max_words = options["max_sentences"], options["max_words"]
    pairs = load(args.limit, args.split) if args.set == "bbc" else load_frank(args.set, args.limit)
    splitter = SentenceSplitter("en")
    if not args.no_clean:
        rules = load_rules(settings)
        pairs = [(cleaned(paragraphs, rules), reference) for paragraphs, reference in pairs]
    if args.layout == "sentences":
        pairs = [([s for p in paragraphs for s in splitter.split(p)], reference) for paragraphs, reference in pairs]
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {"lead-3": [], "lead-words": [], "lead-same": [], "textrank": [], "digest": []}
    empty = 0
    words = {name: [] for name in systems}
    for paragraphs, reference in pairs:
        sentences = [s for p in paragraphs for s in splitter.split(p)]
        ours = summarize_text(paragraphs, "en", settings)
        empty += not ours
        outputs = {"lead-3": lead(sentences, max_sentences, max_words),
                   "lead-words": lead(sentences, len(sentences), max_words),
                   "lead-same": lead(sentences, len(sentences), count_words(ours)),
                   "textrank": textrank(sentences, max_sentences, max_words), "digest": ours}
        for name, output in outputs.items():
            assert count_words(output) <= max_words, (name, output)
            systems[name].append(scorer.score(reference, output))
            words[name].append(count_words(output))
    name = {"bbc": f"BBC News Summary ({args.split})", "cnndm": "CNN/DailyMail (FRANK sample)",
            "xsum": "XSum (FRANK sample)"}[args.set]
    print(f"{name}, {len(pairs)} articles, paragraphs {args.layout}, budget ≤ {max_sentences} sentences, "
          f"≤ {max_words} words; ROUGE F1 (recall) ×100; empty digest summaries: {empty}")
    print(f"{'system':10} {'ROUGE-1':>14} {'ROUGE-2':>14} {'ROUGE-L':>14} {'words':>6}")
    lengths = {name: sum(values) / len(values) for name, values in words.items()}
    for name, scores in systems.items():
        cells = []
        for key in ("rouge1", "rouge2", "rougeL"):
            f1 = 100 * sum(s[key].fmeasure for s in scores) / len(scores)
            recall = 100 * sum(s[key].recall for s in scores) / len(scores)
            cells.append(f"{f1:6.2f} ({recall:5.2f})")
        print(f"{name:10} " + " ".join(f"{c:>14}" for c in cells) + f" {lengths[name]:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
