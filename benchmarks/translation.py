"""Translation throughput and quality on WMT22 zh->en, in one run, against two baselines.

    uv run --extra test python benchmarks/translation.py [--limit 400] [--beam 4] [--threads 2]
        [--rounds 2] [--chunk-sentences 256] [--length-penalty 0.2] [--skip-argos]

Prints sentences/s (source segments per second) of
  1. our pipeline: digest.translation.translate.translate() over articles of ~20 segments (title +
     paragraphs), from sentence splitting to the written translation store;
  2. argostranslate's own translate() applied article by article (argostranslate 1.11
     in a separate venv, see below);
  3. raw CTranslate2 translate_batch on pre-tokenized segments, same beam, threads and
     batch size: the ceiling;
and chrF / BLEU (sacrebleu) of 1 and 2 against references A and B, then checks the bar:
pipeline >= 0.9x ceiling, >= 2x argostranslate, chrF at most 0.5 below argostranslate's.

The argostranslate baseline needs stanza and torch, so it runs in a throwaway venv
(default .cache/venv-argos, git-ignored), created on first use with:
    python -m venv .cache/venv-argos
    .cache/venv-argos/bin/pip install torch==2.13.0        # CPU wheel from /opt/wheels
    .cache/venv-argos/bin/pip install argostranslate==1.11.0 sacrebleu
    .cache/venv-argos/bin/pip install --no-deps stanza==1.1.1
(why stanza 1.1.1: see benchmarks/argos_baseline.py). Data and model are read from
../shared; the script stops with a message when they are absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data" / "mt" / "wmt22-zh-en"
PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
ARGOS_VENV = REPO / ".cache" / "venv-argos"
ARTICLE_SIZE = 20


def read_lines(name: str, limit: int) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").split("\n")[:limit]


def ensure_argos_venv(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if python.exists():
        return python
    print(f"creating the argostranslate baseline venv in {venv} (once, ~1 min)", file=sys.stderr)
    pip = [str(python), "-m", "pip", "install", "-q"]
    for command in ([sys.executable, "-m", "venv", str(venv)],
                    pip + ["torch==2.13.0"],
                    pip + ["argostranslate==1.11.0"],
                    pip + ["--no-deps", "stanza==1.1.1"]):
        subprocess.run(command, check=True)
    return python


def run_pipeline(articles, models_dir: Path, settings) -> tuple[list[str], float]:
    from digest.model import Article
    from digest.translation.store import TranslationStore
    from digest.translation.translate import translate

    records = [Article(path=Path(f"wmt/{i}.md"), rel_path=f"wmt/{i}.md", slug=str(i),
                       title=lines[0], source="WMT22", published=dt.datetime(2022, 1, 1),
                       has_time=False, body="\n\n".join(lines[1:]), body_line=1,
                       language="zh", paragraphs=lines[1:])
               for i, lines in enumerate(articles)]
    with tempfile.TemporaryDirectory() as store_dir:
        started = time.perf_counter()
        translate(records, settings, TranslationStore(store_dir), models_dir)
        seconds = time.perf_counter() - started
    english = []
    for record in records:
        assert len(record.translation.paragraphs) == len(record.paragraphs)
        english += [record.translation.title, *record.translation.paragraphs]
    return english, seconds


def run_ceiling(lines, package, beam: int, threads: int, batch: int) -> float:
    import ctranslate2
    import sentencepiece

    pieces = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    tokens = pieces.encode(lines, out_type=str)
    translator = ctranslate2.Translator(str(package.model_dir), device="cpu", inter_threads=1,
                                        intra_threads=threads)
    started = time.perf_counter()
    translator.translate_batch(tokens, beam_size=beam, max_batch_size=batch, length_penalty=0.2,
                               replace_unknowns=True)
    return time.perf_counter() - started


def run_argos(articles, models_dir: Path, venv: Path, beam: int, threads: int) -> tuple[list[str], float]:
    python = ensure_argos_venv(venv)
    home = Path(tempfile.mkdtemp(prefix="argos-home-"))
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(models_dir), "ARGOS_BEAM_SIZE": str(beam),
           "ARGOS_INTRA_THREADS": str(threads), "ARGOS_DEVICE_TYPE": "cpu",
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_CACHE_HOME": str(home / "cache")}
    job = json.dumps({"articles": articles})
    done = subprocess.run([str(python), str(Path(__file__).with_name("argos_baseline.py"))],
                          input=job, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.exit(f"argostranslate baseline failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout)
    return result["lines"], result["seconds"]


def scores(hypotheses: list[str], references: dict[str, list[str]]) -> str:
    import sacrebleu

    parts = []
    for name, ref in references.items():
        chrf = sacrebleu.corpus_chrf(hypotheses, [ref]).score
        bleu = sacrebleu.corpus_bleu(hypotheses, [ref]).score
        parts.append(f"ref {name}: chrF {chrf:5.2f} BLEU {bleu:5.2f}")
    return "; ".join(parts)


def mean_chrf(hypotheses, references) -> float:
    import sacrebleu

    return sum(sacrebleu.corpus_chrf(hypotheses, [r]).score for r in references.values()) / len(references)


def main() -> int:
    sys.path.insert(0, str(REPO))
    import sacrebleu  # noqa: F401  (fail now, not after minutes of translating)
    from digest.translation.models import install_file
    from digest.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=400,
                        help="first N segments of the 1875 (default 400; 1875 takes ~15 min)")
    parser.add_argument("--beam", type=int, help="beam size (default: settings translate.beam_size)")
    parser.add_argument("--threads", type=int,
                        help="CPU threads (default: settings translate.threads, 0 = all cores)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="runs of the pipeline and the ceiling, alternated; the best counts")
    parser.add_argument("--chunk-sentences", type=int,
                        help="sentences per chunk (default: settings translate.chunk_sentences)")
    parser.add_argument("--length-penalty", type=float,
                        help="the pipeline's length penalty (default: settings translate.length_penalty)")
    parser.add_argument("--argos-venv", type=Path, default=ARGOS_VENV)
    parser.add_argument("--skip-argos", action="store_true", help="only the pipeline and the ceiling")
    args = parser.parse_args()
    if not (DATA.exists() and PACKAGE.exists()):
        print(f"skipped: {DATA} or {PACKAGE} is absent (../shared is not mounted)")
        return 0

    defaults = load_settings()
    conf = dict(defaults.section("translate"))
    beam = args.beam or conf["beam_size"]
    threads = args.threads or conf["threads"] or len(os.sched_getaffinity(0))
    settings_file = Path(tempfile.mkstemp(suffix=".yml")[1])
    chunk = args.chunk_sentences or conf["chunk_sentences"]
    penalty = conf["length_penalty"] if args.length_penalty is None else args.length_penalty
    settings_file.write_text(json.dumps({"translate": {"beam_size": beam, "threads": threads,
                                                       "chunk_sentences": chunk, "length_penalty": penalty}}))
    settings = load_settings(settings_file)

    source = [line for line in read_lines("generaltest2022.zh-en.src.zh", args.limit)]
    keep = [i for i, line in enumerate(source) if line.strip()]
    source = [source[i] for i in keep]
    references = {name: [read_lines(f"generaltest2022.zh-en.ref.{name}.en", args.limit)[i] for i in keep]
                  for name in ("A", "B")}
    articles = [source[i:i + ARTICLE_SIZE] for i in range(0, len(source), ARTICLE_SIZE)]
    models_dir = Path(tempfile.mkdtemp(prefix="digest-models-"))
    package, _ = install_file(PACKAGE, models_dir)
    print(f"{len(source)} segments of WMT22 zh-en in {len(articles)} articles; beam {beam}, "
          f"length penalty {penalty} (the pipeline's), "
          f"{threads} threads, batch {conf['max_batch_size']}, chunks of {chunk} sentences")

    os.environ.pop("DIGEST_MODELS_DIR", None)
    # Other work on the machine slows whichever runs at that moment: alternate the two
    # and keep each one's best round.
    pipeline_s = ceiling_s = float("inf")
    for _ in range(args.rounds):
        pipeline_lines, seconds = run_pipeline(articles, models_dir, settings)
        pipeline_s = min(pipeline_s, seconds)
        ceiling_s = min(ceiling_s, run_ceiling(source, package, beam, threads, conf["max_batch_size"]))
    rate = {"pipeline": len(source) / pipeline_s, "ceiling": len(source) / ceiling_s}
    print(f"pipeline (digest.translation.translate)      {rate['pipeline']:6.2f} sentences/s")
    print(f"CTranslate2 ceiling              {rate['ceiling']:6.2f} sentences/s")
    if not args.skip_argos:
        argos_lines, argos_s = run_argos(articles, models_dir, args.argos_venv, beam, threads)
        rate["argos"] = len(source) / argos_s
        print(f"argostranslate translate()       {rate['argos']:6.2f} sentences/s")
    print(f"quality pipeline:       {scores(pipeline_lines, references)}")
    if not args.skip_argos:
        print(f"quality argostranslate: {scores(argos_lines, references)}")

    checks = [("pipeline >= 0.9x ceiling", rate["pipeline"] / rate["ceiling"], 0.9)]
    if not args.skip_argos:
        chrf_gap = mean_chrf(pipeline_lines, references) - mean_chrf(argos_lines, references)
        checks += [("pipeline >= 2x argostranslate", rate["pipeline"] / rate["argos"], 2.0),
                   ("chrF gap to argostranslate >= -0.5", chrf_gap, -0.5)]
    failed = False
    for name, value, bar in checks:
        ok = value >= bar
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
