"""`digest inspect FILE... [--json]`: argparse glue over digest/inspect.py.

`digest.cli.main` calls `add_subcommands(subparsers)`; the handler is `args.func(args)` and returns
the exit code (0, or 1 with the problem on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..annotate.entities import RussianNLP
from ..errors import DigestError
from ..inspect import inspect_file, render_text
from ..settings import load_settings


def add_subcommands(subparsers) -> None:
    parser = subparsers.add_parser(
        "inspect", help="show what the build does to articles",
        description="Run cleaning, language identification, summarizing and entity finding on "
                    "article files (or raw article texts) and show for each the detected language "
                    "and confidence, the cleaned paragraphs, each removed line with the rule that "
                    "removed it, the 'See also' headlines kept aside, the summary and every entity "
                    "mention. A file that cannot be read is reported and the others go on (exit 1).")
    parser.add_argument("files", type=Path, nargs="+", metavar="FILE", help="article files, or raw article texts")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object per line, per file: the stable form (docs/inspect-json.md)")
    parser.add_argument("--settings", type=Path, help="a settings file overriding the defaults")
    parser.set_defaults(func=inspect_command)


def inspect_command(args) -> int:
    try:
        settings = load_settings(args.settings)
    except DigestError as error:
        print(error, file=sys.stderr)
        return 1
    nlp = RussianNLP()  # natasha's models, loaded once for all the files
    failed = 0
    for number, path in enumerate(args.files):
        try:
            record = inspect_file(path, settings, nlp)
        except DigestError as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(("\n" if number else "") + render_text(record), end="", flush=True)
    return 1 if failed else 0
