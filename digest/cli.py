"""`digest`: the command line. Parses arguments and calls the library; nothing else."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import cli_inspect, cli_links, cli_translate, models, pipeline
from .errors import DigestError
from .importer import AddOptions, add_article
from .language import LanguageDetector
from .settings import load_settings


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
    detector = LanguageDetector.from_settings(settings)
    detect_language = detector.detect
    options = AddOptions(title=args.title, source=args.source, url=args.url,
                         published=args.published, language=args.language)
    failed = 0
    for raw_path in args.files:
        try:
            target, notes = add_article(raw_path, args.docs_dir, settings, options, detect_language)
        except DigestError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        except OSError as exc:
            print(f"{raw_path}:1: cannot read it: {exc.strerror}", file=sys.stderr)
            failed += 1
            continue
        print(f"added {target}")
        for note in notes:
            print(f"  {note}")
    if failed:
        print(f"{failed} of {len(args.files)} file(s) not added", file=sys.stderr)
    return 1 if failed else 0


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
    return 1 if errors or (args.strict and warnings) else 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digest", description="Keep a multilingual news digest "
                                     "as article files and publish it with `mkdocs build`.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add = commands.add_parser("add", help="import raw article text into an article file",
                              description="Import raw article text (headline first, then the body), a saved "
                                          "article page (.html) or an article's address into "
                                          "site_src/articles/YYYY/MM/<slug>.md. Infers the headline, the "
                                          "dateline and the publication where the text states them; says "
                                          "what it could not infer and which option supplies it.")
    add.add_argument("files", nargs="+", metavar="FILE",
                     help="raw text (headline first), a saved .html page, or an http(s) address")
    add.add_argument("--title", help="the headline (default: the text's first line)")
    add.add_argument("--source", help="the publication (default: from the dateline or a 'Source:' line)")
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
    cli_translate.add_subcommands(commands)
    cli_inspect.add_subcommands(commands)
    cli_links.add_subcommands(commands)
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
