"""`digest models …` and `digest translate`: argparse glue over translation/models.py and
translation/translate.py.

`digest.cli.main` calls `add_subcommands(subparsers)`; each subcommand stores its handler as
`args.func`, which takes the parsed arguments and returns the exit code.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..annotate.entity_registry import load_registry
from ..errors import DigestError
from ..settings import load_settings
from ..translation import models
from ..translation.decoding import DecodingOptions, resolve_device
from ..translation.store import TranslationStore
from ..translation.translate import SKIP_LANGUAGES, Progress, translate

DEFAULT_DOCS_DIR = "site_src"


def add_subcommands(subparsers) -> None:
    models_dir_help = (f"folder of installed models (default: ${models.ENV_VAR}, "
                       f"else {models.default_models_dir()})")
    parser = subparsers.add_parser("models", help="list and install translation models")
    commands = parser.add_subparsers(dest="models_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="installed models: pair, version, path")
    listing.add_argument("--models-dir", help=models_dir_help)
    listing.set_defaults(func=models_list)

    install = commands.add_parser("install", help="download LANG→English from the Argos index")
    install.add_argument("lang", metavar="LANG", help="ISO 639-1 code of the source language, e.g. ru")
    install.add_argument("--models-dir", help=models_dir_help)
    install.set_defaults(func=models_install)

    install_file = commands.add_parser("install-file", help="install a downloaded .argosmodel file")
    install_file.add_argument("path", metavar="PATH", type=Path, help="the .argosmodel file")
    install_file.add_argument("--models-dir", help=models_dir_help)
    install_file.set_defaults(func=models_install_file)

    fill = subparsers.add_parser("translate", help="fill the translation store ahead of a build")
    fill.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                      help="article files or folders (default: every article)")
    fill.add_argument("--docs-dir", type=Path, default=Path(DEFAULT_DOCS_DIR),
                      help=f"the site's docs dir (default: {DEFAULT_DOCS_DIR})")
    fill.add_argument("--settings", type=Path, help="a settings file overriding the defaults")
    fill.add_argument("--models-dir", help=models_dir_help)
    fill.add_argument("--device", choices=("auto", "cpu", "cuda"),
                      help="where CTranslate2 runs the models: auto (a GPU when it sees one, else the CPU; "
                           "the default, settings translate.device), cpu or cuda")
    fill.add_argument("--scheduler", metavar="ADDRESS",
                      help="decode on a Dask cluster: the address of its scheduler (e.g. tcp://10.0.0.5:8786), "
                           "started with `dask scheduler`, its workers with `dask worker ADDRESS`; needs "
                           "pip install 'digest[cluster]' here and on the workers. Translations are written "
                           "here as they arrive")
    fill.set_defaults(func=translate_command)


def _fail(error: DigestError) -> int:
    print(error, file=sys.stderr)
    return 1


def _describe(package: models.ModelPackage) -> str:
    return f"{package.name} {package.version} ({package.from_name} → {package.to_name})"


def models_list(args: argparse.Namespace) -> int:
    root = models.resolve_models_dir(args.models_dir)
    try:
        models.check_models_dir(root)
    except DigestError as error:
        return _fail(error)
    packages = models.list_models(root)
    if not packages:
        print(f"no translation models in {root}; install one with "
              f"`digest models install LANG` or `digest models install-file PATH.argosmodel`")
        return 0
    for package in packages:
        print(f"{package.pair:10} {package.version:8} {package.path}")
    return 0


def _report_install(result: tuple[models.ModelPackage, list[models.ModelPackage]]) -> int:
    installed, replaced = result
    print(f"installed {_describe(installed)} into {installed.path}")
    for old in replaced:
        if old.path != installed.path or old.version != installed.version:
            print(f"replaced {old.name} {old.version}")
    return 0


def models_install(args: argparse.Namespace) -> int:
    if not re.fullmatch(r"[a-z]{2,3}", args.lang):
        print(f"{args.lang}: not a language code — give an ISO 639-1 code such as ru or zh",
              file=sys.stderr)
        return 2
    try:
        return _report_install(models.install_from_index(args.lang, models.resolve_models_dir(args.models_dir)))
    except DigestError as error:
        return _fail(error)


def models_install_file(args: argparse.Namespace) -> int:
    try:
        return _report_install(models.install_file(args.path, models.resolve_models_dir(args.models_dir)))
    except DigestError as error:
        return _fail(error)


def _prepared_articles(docs_dir: Path, settings):
    """Articles as the build sees them just before translation (same text, same hashes)."""
    from .. import pipeline

    return pipeline.prepare(docs_dir, settings)


def _selected(articles, paths: list[Path]):
    if not paths:
        return articles
    wanted = [p.resolve() for p in paths]
    return [a for a in articles
            if any(a.path.resolve() == w or w in a.path.resolve().parents for w in wanted)]


class ProgressLine:
    """Articles and sentences done, rate and time left, on stderr (one line, redrawn on a tty)."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.redraw = stream.isatty()

    def __call__(self, p: Progress) -> None:
        rate = p.sentences_done / p.seconds if p.seconds > 0 else 0.0
        left = (p.sentences_total - p.sentences_done) / rate if rate else 0.0
        line = (f"{p.articles_done}/{p.articles_total} articles, {p.sentences_done}/"
                f"{p.sentences_total} sentences, {rate:.1f} sentences/s, {left:.0f} s left")
        end = "\n" if not self.redraw or p.sentences_done == p.sentences_total else ""
        print(("\r" if self.redraw else "") + line, end=end, file=self.stream, flush=True)


def translate_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.settings)
        if args.device:
            settings = settings.overridden("translate", device=args.device)
        conf = settings.section("translate")
        if not args.scheduler:  # a cluster's workers resolve the device each for itself
            device, compute_type = resolve_device(conf["device"], conf["compute_type"])
        articles, problems = _prepared_articles(args.docs_dir, settings)
    except DigestError as error:
        return _fail(error)
    errors = [p for p in problems if p.severity == "error"]
    for problem in errors:
        print(problem, file=sys.stderr)
    chosen = _selected(articles, args.paths)
    if args.paths and not chosen:
        print(f"{' '.join(map(str, args.paths))}:0: no article file matches — give article files or "
              f"folders under {args.docs_dir / 'articles'}", file=sys.stderr)
        return 1
    store = TranslationStore(args.docs_dir / settings.section("translate")["store_dir"])
    failures: list = []
    client = None
    try:
        models.check_models_dir(models.resolve_models_dir(args.models_dir))
        registry = load_registry(args.docs_dir / settings.section("link")["registry_file"])
        runner = None
        if args.scheduler:
            from ..translation.cluster import ClusterRunner, connect
            client = connect(args.scheduler)
            runner = ClusterRunner(client, DecodingOptions.from_settings(conf), conf["device"], conf["compute_type"])
            print(f"translating {runner.where}")
        else:
            print(f"translating on {device.upper() if device == 'cuda' else 'the CPU'} (compute type {compute_type})"
                  + (": CTranslate2 sees no GPU" if device == "cpu" and conf["device"] == "auto" else ""))
        translate(chosen, settings, store, args.models_dir, progress=ProgressLine(), failures=failures,
                  registry=registry, runner=runner)
    except DigestError as error:
        return _fail(error)
    finally:
        if client is not None:
            client.close()
    foreign = [a for a in chosen if a.language not in SKIP_LANGUAGES]
    missing = [a for a in foreign if a.translation is None]
    print(f"{len(foreign) - len(missing)} of {len(foreign)} non-English articles have English "
          f"text in {store.root}" + (f"; {len(missing)} lack a model" if missing else ""))
    return 1 if errors or failures else 0
