"""translate(): English for every non-English article, from the store or from an Argos model.

Libraries: CTranslate2 runs the package's model and SentencePiece (the package's own
`sentencepiece.model`) turns text into pieces and back, exactly as argostranslate does,
but without its stanza sentence splitter (torch) and its one-paragraph-at-a-time calls:
the sentences of pending articles go to `translate_batch` in chunks of a few hundred,
each sorted by length so batches carry little padding. Sentences are split by
`digest.sentences` (rule-based for each language, Russian and Chinese included; no downloads).

Decoding follows argostranslate 1.11's `apply_packaged_translation`: beam search (with a
length penalty of 1.0, not its 0.2: +1.1 chrF on WMT22 zh, settings.yml), `replace_unknowns`, the package's `target_prefix` forced and then
removed, pieces joined by SentencePiece with `▁` read as a space. One deliberate
difference: argostranslate also turns every `_` into a space; we keep underscores.

Paragraphs keep their number and shape: each line's Markdown prefix (`> `, `- `, `1. `,
`## `) is kept verbatim and only the text after it is translated.

Names the editors' registry knows come out under its English form (`translate.keep_names`):
a sentence naming one (拉夫罗夫, Лаврова) whose translation does not carry the English name
or one of its Latin aliases is translated again with the name written in English in the
source, which the model copies. Only those sentences: protecting every name costs fluency
(on the 102 WMT22 zh sentences naming 16 well-known entities, protecting all of them gave
names 88/92 right and chrF 50.6; plain decoding 77/92 and 51.2; translating again only the
misses 91/92 and 51.4 — benchmarks/translation_names.py). The store keeps translations made
before a name entered the registry: delete an article's file under the store to redo it.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from babel import Locale

from ..errors import DigestError, Problem
from ..intake.articles import by_first_file, how_many, shown_path
from ..model import Article, Translation
from ..sentences import SentenceSplitter
from ..settings import Settings
from .decoding import NO_SPACE_LANGUAGES, Decoder, DecodingOptions, NameGuard, resolve_device
from .models import ModelPackage, find_model, install_command, list_models, resolve_models_dir
from .store import Lookup, TranslationStore, text_hash

log = logging.getLogger("mkdocs.plugins.digest.translation.translate")

SKIP_LANGUAGES = ("en", "und")  # English needs nothing; "und" cannot pick a model
# Quote markers, then an optional list or heading marker, at the start of a line.
_LINE_PREFIX = re.compile(r"^(?P<quote>[ \t]*(?:>[ \t]?)*)(?P<marker>(?:[-*+]|\d{1,9}[.)]|#{1,6})[ \t]+)?")


@dataclass
class Progress:
    """Handed to the `progress` callback every `progress_every` sentences and at the end."""

    articles_done: int
    articles_total: int
    sentences_done: int
    sentences_total: int
    seconds: float


@dataclass
class _Unit:
    """One line-level piece of a paragraph: a kept Markdown prefix and its sentences."""

    prefix: str
    quote: str
    text: str
    sentences: list[int] = field(default_factory=list)  # indices into the sentence list


@dataclass
class _Job:
    article: Article
    source_hash: str
    blocks: list[list[_Unit]]  # [title, paragraph 1, ...]
    remaining: int = 0


def source_text(article: Article) -> tuple[str, list[str]]:
    """The title and paragraphs that get translated (cleaned paragraphs once cleaning ran)."""
    paragraphs = article.paragraphs or [p.strip() for p in re.split(r"\n\s*\n", article.body)
                                        if p.strip()]
    return article.title.strip(), paragraphs


def language_label(code: str) -> str:
    return Locale("en").languages.get(code, code)


def missing_model_notice(lang: str) -> tuple[str, str]:
    """(pair, command) for the page notice, e.g. ("Russian → English", "digest models install ru")."""
    return f"{language_label(lang)} → English", install_command(lang)


def provenance(translation: Translation) -> str:
    """The line shown under a translated article."""
    text = (f"Machine-translated from {language_label(translation.source_language)} with Argos "
            f"Translate ({translation.model} {translation.model_version})")
    if translation.edited:
        text += "; reviewed by an editor"
    if translation.stale:
        text += "; the original has changed since"
    return text


def untranslated_problems(articles: list[Article], models_dir=None) -> list[Problem]:
    """Warnings for `digest check`: non-English articles left without English text, telling
    a translation that is only pending (the model is installed: run `digest translate`)
    from one that needs a model first."""
    root = resolve_models_dir(models_dir)
    installed = {p.from_code for p in list_models(root) if p.to_code == "en"}
    problems = []
    untranslated = [a for a in articles if a.language not in SKIP_LANGUAGES and a.translation is None]
    for article in sorted((a for a in untranslated if a.language in installed), key=lambda a: str(a.path)):
        path, label = shown_path(article.path), language_label(article.language)
        problems.append(Problem(path, 1, f"no English translation ({label}) yet: the model is installed",
                                f"run `digest translate {path}` and commit the file it writes "
                                "under the translation store", severity="warning"))
    # One warning a language without a model: the fix is one model.
    waiting = by_first_file([a for a in untranslated if a.language not in installed], lambda a: a.language)
    for language, group in waiting.items():
        path, label = shown_path(group[0].path), language_label(language)
        problems.append(Problem(path, 1, f"no English translation ({label}) and no {label} → English "
                                f"model in {root}{how_many(group)}", f"install it with `{install_command(language)}`, "
                                f"then run `digest translate`", severity="warning"))
    return problems


def from_store(articles: list[Article], store: TranslationStore) -> dict[str, list[tuple[Article, str, Lookup]]]:
    """Fill `article.translation` from the store alone (no model: what `digest check` needs).

    Returns the articles the store cannot serve, by language, for `translate()`; raises
    DigestError, after looking up every article, for entries in places it must not touch.
    """
    pending: dict[str, list[tuple[Article, str, Lookup]]] = defaultdict(list)
    refused: list[Problem] = []
    for article in articles:
        if article.language in SKIP_LANGUAGES:
            article.translation = None
            continue
        title, paragraphs = source_text(article)
        source_hash = text_hash(title, paragraphs)
        try:
            found = store.lookup(article, source_hash)
        except DigestError as exc:  # never read or written: a link or a folder in its place
            refused += exc.problems
            article.translation = None
            continue
        article.translation = found.translation if found.status in ("current", "stale") else None
        if article.translation is None:
            pending[article.language].append((article, source_hash, found))
    if refused:
        raise DigestError(list(dict.fromkeys(refused)))  # a folder link refuses many articles once
    return pending


def translate(articles: list[Article], settings: Settings, store: TranslationStore,
              models_dir=None, progress: Callable[[Progress], None] | None = None,
              failures: list[Problem] | None = None, registry: list | None = None,
              runner=None) -> list[Article]:
    """Fill `article.translation` from the store, translating what it lacks or has outdated.
    A package that does not load is logged (and added to `failures`): its articles stay
    untranslated, the other languages are translated. `registry`: the editors' entities
    (entity_registry.load_registry), whose English names translations keep. `runner`
    decodes the chunks: LocalRunner (the default) or cluster.ClusterRunner."""
    pending = from_store(articles, store)
    root = resolve_models_dir(models_dir)
    work: list[tuple[ModelPackage, list[tuple[Article, str, Lookup]]]] = []
    for lang in sorted(pending):
        package = find_model(root, lang)
        if package:
            work.append((package, pending[lang]))
            continue
        for article, _, found in pending[lang]:
            if found.status == "outdated":  # better an old English text than none
                found.translation.stale = True
                article.translation = found.translation
        pair, command = missing_model_notice(lang)
        log.warning("no %s translation model in %s: %d article(s) stay untranslated — run `%s`",
                    pair, root, len(pending[lang]), command)
    if work:
        batch = _Batch(settings, store, work, progress,
                       registry if settings.section("translate")["keep_names"] else None, runner)
        batch.run()
        if failures is not None:
            failures += batch.failures
    return articles


class _Batch:
    """All pending articles of one `translate()` call, translated language by language."""

    def __init__(self, settings, store, work, progress, registry=None, runner=None):
        self.conf = settings.section("translate")
        self.registry = registry or []
        self.runner = runner or LocalRunner(DecodingOptions.from_settings(self.conf),
                                            resolve_device(self.conf["device"], self.conf["compute_type"]))
        self.store = store
        self.work = work
        self.progress = progress
        self.started = time.monotonic()
        self.articles_total = sum(len(items) for _, items in work)
        self.articles_done = 0
        self.sentences_done = 0
        self.prepared = [(package, self._prepare(package.from_code, items))
                         for package, items in work]
        self.sentences_total = sum(len(sents) for _, (_, sents) in self.prepared)
        self.failures: list[Problem] = []  # packages that do not load
        log.info("translating %s", self.runner.where)

    def run(self) -> None:
        for package, (jobs, sentences) in self.prepared:
            self._translate(package, jobs, sentences)

    def _prepare(self, lang: str, items) -> tuple[list[_Job], list[str]]:
        splitter = SentenceSplitter(lang)
        joiner = "" if lang in NO_SPACE_LANGUAGES else " "
        sentences: list[str] = []
        jobs = []
        for article, source_hash, _ in items:
            title, paragraphs = source_text(article)
            blocks = [_units(text, joiner) for text in [title, *paragraphs]]
            for unit in (u for block in blocks for u in block):
                for sentence in splitter.split(unit.text):
                    unit.sentences.append(len(sentences))
                    sentences.append(sentence)
            job = _Job(article, source_hash, blocks)
            job.remaining = sum(len(u.sentences) for block in blocks for u in block)
            jobs.append(job)
        return jobs, sentences

    def _translate(self, package: ModelPackage, jobs: list[_Job], sentences: list[str]) -> None:
        for job in jobs:
            if job.remaining == 0:  # nothing to translate (empty title and body)
                self._finish(package, job, [])
        # The articles go in chunks of about `chunk_sentences` sentences, each chunk sorted
        # shortest first so each batch holds similar lengths (one translate_batch call a
        # chunk). An article is stored as soon as its chunk is done: a `digest translate`
        # killed midway keeps the articles of every finished chunk.
        english = [""] * len(sentences)
        try:
            lengths = piece_lengths(package, sentences)
            plan = []  # (sentence indexes in decoding order, their jobs)
            for chunk in _chunks(jobs, self.conf["chunk_sentences"]):
                owner = {i: job for job in chunk for block in job.blocks for unit in block for i in unit.sentences}
                if owner:
                    plan.append((sorted(owner, key=lambda i: (lengths[i], i)), owner))
            chunks = [[sentences[i] for i in order] for order, _ in plan]
            for k, translated in self.runner.english(package, chunks, self.registry):
                order, owner = plan[k]
                for i, text in zip(order, translated):
                    english[i] = text
                for i in order:
                    job = owner[i]
                    job.remaining -= 1
                    if job.remaining == 0:
                        self._finish(package, job, english)
                    self.sentences_done += 1
                    if (self.sentences_done % self.conf["progress_every"] == 0
                            or self.sentences_done == self.sentences_total):
                        self._report()
        except PackageError as exc:
            # A damaged package: its articles stay untranslated, the other languages go on.
            self.failures.append(Problem(
                package.path, 0, f"the {package.pair} model does not load ({exc}): "
                f"{sum(1 for job in jobs if job.remaining)} article(s) stay untranslated",
                f"reinstall it: `digest models install-file PATH.argosmodel` or `{install_command(package.from_code)}`"))
            log.warning(str(self.failures[-1]))

    def _finish(self, package: ModelPackage, job: _Job, english: list[str]) -> None:
        texts = ["\n".join(u.prefix + " ".join(english[i] for i in u.sentences) for u in block)
                 for block in job.blocks]
        translation = Translation(title=texts[0], paragraphs=texts[1:], model=package.name,
                                  model_version=package.version,
                                  source_language=package.from_code)
        # Saved as each article completes: an interrupted `digest translate` keeps its work.
        self.store.save(job.article, translation, job.source_hash)
        job.article.translation = translation
        self.articles_done += 1

    def _report(self) -> None:
        if self.progress:
            self.progress(Progress(self.articles_done, self.articles_total, self.sentences_done,
                                   self.sentences_total, time.monotonic() - self.started))


def _chunks(jobs: list[_Job], size: int) -> list[list[_Job]]:
    """Consecutive jobs in groups of at least `size` sentences (the last one may be smaller)."""
    chunks: list[list[_Job]] = [[]]
    count = 0
    for job in jobs:
        if count >= size:
            chunks.append([])
            count = 0
        chunks[-1].append(job)
        count += job.remaining
    return chunks


def _units(text: str, joiner: str) -> list[_Unit]:
    """Split a paragraph into lines worth translating, keeping each Markdown prefix."""
    units: list[_Unit] = []
    for line in text.split("\n"):
        match = _LINE_PREFIX.match(line)
        quote, marker = match["quote"], match["marker"] or ""
        rest = line[match.end():].strip()
        if not marker and units and units[-1].quote.strip() == quote.strip():
            # A wrapped line continues the item or sentence above it.
            units[-1].text = joiner.join(filter(None, [units[-1].text, rest]))
        else:
            units.append(_Unit(prefix=quote + marker, quote=quote, text=rest))
    return units


class PackageError(Exception):
    """A package's models do not load (the message says why)."""


def piece_lengths(package: ModelPackage, sentences: list[str]) -> list[int]:
    """Each sentence's length in the package's SentencePiece pieces: chunks are decoded
    shortest first, and the order is the same wherever they are decoded."""
    import sentencepiece

    if not sentences:
        return []
    try:
        pieces = sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    except (RuntimeError, ValueError, OSError) as exc:
        raise PackageError(str(exc).splitlines()[0][:200]) from None
    return [len(tokens) for tokens in pieces.encode(sentences, out_type=str)]


class LocalRunner:
    """Decodes the chunks on this machine, in order, with each package loaded once. A Dask
    cluster runs them on its workers instead (cluster.ClusterRunner, same interface)."""

    def __init__(self, options: DecodingOptions, device: tuple[str, str]):
        self.options = options
        self.device = device  # resolve_device's (device, compute type)
        self.where = f"on {device[0]} (compute type {device[1]})"
        self.decoders: dict[str, Decoder] = {}

    def english(self, package: ModelPackage, chunks: list[list[str]], registry: list):
        """(chunk index, its English) for each chunk, as each is done."""
        decoder = self._decoder(package)
        guard = NameGuard(registry, package.from_code) if registry else None
        for k, chunk in enumerate(chunks):
            yield k, decoder.english(chunk, guard)

    def _decoder(self, package: ModelPackage) -> Decoder:
        key = str(package.path)
        if key not in self.decoders:
            try:
                self.decoders[key] = Decoder(package.model_dir, package.sentencepiece_model, package.target_prefix,
                                             self.options, self.device)
            except (RuntimeError, ValueError, OSError) as exc:
                raise PackageError(str(exc).splitlines()[0][:200]) from None
        return self.decoders[key]

