"""`digest`: the command line. Parses arguments and calls the library; nothing else."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .. import pipeline
from ..errors import DigestError
from ..intake import batch
from ..intake.articles import ARTICLES_DIR
from ..intake.importer import AddOptions, add_article
from ..intake.language import LanguageDetector
from ..intake.sources import load_sources
from ..settings import load_settings
from ..translation import models
from . import inspect, links, translate


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs-dir", type=Path, default=Path("site_src"),
                        help="the site's docs_dir, holding articles/ (default: site_src)")
    parser.add_argument("--settings", type=Path, default=None,
                        help="a YAML file overriding digest's settings, as the plugin's `settings` option")


def cmd_add(args) -> int:
    settings = load_settings(args.settings)
    if not args.docs_dir.is_dir():
        print(f"{args.docs_dir}:0: the docs dir is not a folder — give the folder that holds articles/ "
              "(--docs-dir)", file=sys.stderr)
        return 1
    detect_language = LanguageDetector.from_settings(settings).detect
    options = AddOptions(title=args.title, source=args.source, url=args.url,
                         published=args.published, language=args.language)
    sources = load_sources(pipeline.sources_file(args.docs_dir, settings))  # DigestError: main prints it
    items, problems = batch.expand(args.files, options, settings, sources, batch.Network(settings, not args.no_fetch))
    for problem in problems:
        print(problem, file=sys.stderr)
    outcome: dict[str, list[str]] = {"imported": [], "duplicate": [], "needs input": [], "failed": []}
    for number, item in enumerate(items, 1):
        prefix = f"[{number}/{len(items)}] " if len(items) > 1 else ""
        try:
            target, notes = add_article(item.raw, args.docs_dir, settings, item.options, detect_language,
                                        inferred=item.inferred, where=item.where, sources=sources)
        except DigestError as exc:
            print(f"{prefix}{exc}", file=sys.stderr)
            text = str(exc)
            kind = ("duplicate" if "already in the digest" in text
                    else "needs input" if re.search(r"pass --|: pass |save the page", text) else "failed")
            outcome[kind].append(item.label)
            continue
        except OSError as exc:
            print(f"{prefix}{item.label}:1: cannot read it: {exc.strerror}", file=sys.stderr)
            outcome["failed"].append(item.label)
            continue
        outcome["imported"].append(item.label)
        print(f"{prefix}added {target}")
        for note in notes:
            print(f"  {note}")
    if len(items) > 1 or problems:
        print(f"{len(outcome['imported'])} imported, {len(outcome['duplicate'])} refused as already in the digest, "
              f"{len(outcome['needs input'])} need input (the flags to pass are above), "
              f"{len(outcome['failed']) + len(problems)} failed", file=sys.stderr)
        if outcome["needs input"]:
            # A flag given with a folder sets every file in it: the pages already added would
            # come in again under another --source, as syndicated copies of themselves.
            print("add those again one by one with their flags (digest add --source NAME page.html), or list "
                  "them in a manifest (.csv: file, title, source, published, language per row): a flag given "
                  "with a folder applies to every file in it", file=sys.stderr)
    elif len(outcome["imported"]) < len(items):
        print("1 of 1 file(s) not added", file=sys.stderr)
    return 1 if problems or len(outcome["imported"]) < len(items) or not items else 0


def cmd_check(args) -> int:
    settings = load_settings(args.settings)
    digest, problems = pipeline.check(args.docs_dir, settings)
    for problem in problems:
        label = "" if problem.severity == "error" else "warning: "
        print(f"{label}{problem}")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{len(digest.articles)} article(s) checked: {errors} error(s), {warnings} warning(s)",
          file=sys.stderr)
    if not (Path(args.docs_dir) / ARTICLES_DIR).is_dir():
        # An empty digest is valid (its site says "No articles yet"); a mistyped folder is likelier.
        print(f"{args.docs_dir} holds no {ARTICLES_DIR}/ folder: is it the digest's docs dir? (mkdocs.yml's "
              "docs_dir; `digest add` creates articles/ there)", file=sys.stderr)
    return 1 if errors or (args.strict and warnings) else 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Keep a multilingual news digest "
                                     "as article files and publish it with `mkdocs build`.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", help="import raw article text into an article file",
                              description="Import raw article text (headline first, then the body), a saved "
                                          "article page (.html), an article's address, a folder, a manifest "
                                          "or a feed into "
                                          "site_src/articles/YYYY/MM/<slug>.md. Infers the headline, the "
                                          "dateline and the publication where the text states them; says "
                                          "what it could not infer and which option supplies it.")
    add.add_argument("files", nargs="+", metavar="FILE",
                     help="raw text (headline first), a saved .html page, an http(s) address, a folder of "
                          "them, a manifest (.csv or .jsonl: file or url, title, source, published, language "
                          "per row) or an RSS/Atom feed (file or address)")
    add.add_argument("--no-fetch", action="store_true",
                     help="never fetch a feed entry's full page: use the feed's own content")
    add.add_argument("--title", help="the headline (default: the text's first line; a page's own headline)")
    add.add_argument("--source", help="the publication (default: from the dateline or a 'Source:' line; a "
                                      "page's site name, else the end of its <title>, else its address)")
    add.add_argument("--url", help="the article's original address")
    add.add_argument("--published", help="publication date, YYYY-MM-DD or 'YYYY-MM-DD HH:MM' "
                                         "(default: from the dateline)")
    add.add_argument("--language", help="ISO 639-1 code (default: detected at build time)")
    _common(add)
    add.set_defaults(func=cmd_add)

    check = commands.add_parser("check", help="validate every article; report all problems",
                                description="Validate every article and print each problem as "
                                            "path:line: problem — how to fix. Exit 1 on errors.")
    check.add_argument("--strict", action="store_true", help="also fail on warnings")
    _common(check)
    check.set_defaults(func=cmd_check)
    translate.add_subcommands(commands)
    inspect.add_subcommands(commands)
    links.add_subcommands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if getattr(args, "models_dir", None):  # the flag wins over the environment, as --help says
        os.environ[models.ENV_VAR] = args.models_dir
    try:
        return args.func(args)
    except DigestError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
