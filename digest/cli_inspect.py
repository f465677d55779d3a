"""`digest inspect FILE [--json]`: argparse glue over inspect.py.

`digest.cli` calls `add_subcommands(subparsers)`; the handler is `args.func(args)` and returns
the exit code (0, or 1 with the problem on stderr).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import DigestError
from .inspect import inspect_file, render_text
from .settings import load_settings


def add_subcommands(subparsers) -> None:
    parser = subparsers.add_parser(
        "inspect", help="show what the build does to one article",
        description="Run cleaning, language identification and summarizing on one article file "
                    "(or raw article text) and show the detected language and confidence, the "
                    "cleaned paragraphs, each removed line with the rule that removed it, the "
                    "'See also' headlines kept aside, and the summary.")
    parser.add_argument("file", type=Path, metavar="FILE", help="an article file, or raw article text")
    parser.add_argument("--json", action="store_true", help="print the stable JSON form (docs/inspect-json.md)")
    parser.add_argument("--settings", type=Path, help="a settings file overriding the defaults")
    parser.set_defaults(func=inspect_command)


def inspect_command(args) -> int:
    try:
        record = inspect_file(args.file, load_settings(args.settings))
    except DigestError as error:
        print(error, file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        print(render_text(record), end="")
    return 0
