"""Files that editors and contributors write (front matter, registries, settings), read strictly.

`read_text` reads one as UTF-8 or says which encoding it looks like; `load_file` reads a
whole YAML file; `parse` parses YAML text.

PyYAML's safe loader refuses `!!python/...` tags, but it still builds some values itself and
fails on them with bare Python errors: `2015-02-30` or `2015-01-01 10:00+25:00` raise
ValueError, a number of 5,000 digits hits Python's integer-conversion limit, a list as a key
raises TypeError, a duplicated key silently keeps the last value, and `"\\0"` puts a NUL in the
text. This loader (a subclass of PyYAML's, its C parser when installed) gives each of them a
defined outcome instead:

- a scalar that looks like a date or a number but is not a valid one stays text: the field's
  own check then says what is wrong with it (`'published' is not a real date`);
- a key that is a list or mapping, a key given twice, and any tag PyYAML does not build safely
  are `InputError`s with the line;
- control characters (NUL, BEL, …; not tab or newline) are dropped from strings and the lines
  they were on are kept in `Document.control_lines`, for a warning.
"""

from __future__ import annotations

import os
import re
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DigestError, Problem

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab and newline
_MERGE = "tag:yaml.org,2002:merge"


class InputError(Exception):
    """A YAML problem at `line` (1-based, in the YAML text given), with how to fix it."""

    def __init__(self, line: int, message: str, fix: str):
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


class StrictLoader(_Base):
    def __init__(self, stream, first_line: int = 1):
        super().__init__(stream)
        self.control_lines: list[int] = []
        self.offset = first_line - 1  # the file line of the text's first line, less one

    def line(self, node) -> int:
        return node.start_mark.line + 1 + self.offset

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, _ in node.value:
                line = self.line(key_node)
                if key_node.tag == _MERGE:
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError(line, "a key is a list or a mapping",
                                     "write each entry as `name: value`, with a plain name")
                if key_node.value in seen:
                    raise InputError(line, f"'{key_node.value}' is given twice (also on line "
                                     f"{seen[key_node.value]})", "keep one of the two lines")
                seen[key_node.value] = line
        return super().construct_mapping(node, deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):  # 2015-02-30, hour 25, offset +25:00
            return self.construct_yaml_str(node)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            return self.construct_yaml_str(node)

    def construct_yaml_str(self, node):
        value = super().construct_yaml_str(node)
        if CONTROL.search(value):
            self.control_lines.append(self.line(node))
            value = CONTROL.sub("", value)
        return value

    def construct_undefined(self, node):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise InputError(self.line(node), f"the tag '{tag}' is not allowed here",
                         "remove the tag and write a plain value")


for _tag, _method in (("timestamp", StrictLoader.construct_yaml_timestamp),
                      ("int", StrictLoader.construct_yaml_int),
                      ("str", StrictLoader.construct_yaml_str)):
    StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _method)
StrictLoader.add_constructor(None, StrictLoader.construct_undefined)


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it, short: a list built from YAML aliases can stand for
    billions of items (`a: &a [x, x]`, `b: &b [*a, *a]`, …), and str() would print them all."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    short = reprlib.Repr()
    short.maxlevel, short.maxlist, short.maxdict, short.maxstring, short.maxother = 2, 4, 4, limit, limit
    return short.repr(value)


@dataclass
class Document:
    node: yaml.Node | None  # the composed tree: its marks give each value's line
    data: Any
    control_lines: list[int] = field(default_factory=list)
    text: str = ""  # the YAML text it was parsed from


def parse(text: str, first_line: int = 1) -> Document:
    """The document's node tree and its values; raises InputError. Lines are counted from
    `first_line` (front matter starts on line 2 of its file)."""
    loader = StrictLoader(text, first_line)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return Document(node, data, sorted(set(loader.control_lines)), text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        fix = ("indent with spaces: YAML takes no tab characters there" if "tab character" in reason
               else "fix the YAML syntax (quote values that contain ': ' or start with a quote)")
        raise InputError(mark.line + first_line if mark else first_line, f"malformed YAML: {reason}", fix) from None
    except RecursionError:  # thousands of nested brackets
        raise InputError(first_line, "malformed YAML: nested too deeply", "write plain values") from None
    finally:
        loader.dispose()


def not_utf8(shown: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """The problem of a file that is not UTF-8: its line, the encoding it looks like
    (charset-normalizer) and the iconv command that converts it."""
    from charset_normalizer import from_bytes  # only a file that is not UTF-8 needs it

    line = raw[:exc.start].count(b"\n") + 1
    guess = from_bytes(raw).best()
    looks = f"it looks like {guess.encoding}" if guess else "its encoding is unknown"
    fix = (f"convert it: iconv -f {guess.encoding} -t utf-8 '{shown}' -o '{shown}.utf8' && mv '{shown}.utf8' '{shown}'"
           if guess else "save it as UTF-8")
    return Problem(shown, line, f"file is not UTF-8 ({looks})", fix)


def read_text(path: Path, shown: str | None = None) -> str:
    """A file editors write, as text; DigestError (`path:line`) when it is a folder, a
    symbolic link, unreadable or not UTF-8."""
    shown = shown or str(path)
    if path.is_symlink():
        raise DigestError(Problem(shown, 1, f"a symbolic link (to {os.readlink(path)}): the digest reads "
                                  "only files in the repository", "replace the link with the file itself"))
    if path.is_dir():
        raise DigestError(Problem(shown, 1, "a folder, where a file is expected",
                                  "remove or rename the folder; the file is optional"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DigestError(Problem(shown, 1, f"cannot read the file: {exc.strerror}",
                                  "check that it is a readable file")) from None
    try:
        return raw.decode("utf-8").replace("\r\n", "\n").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise DigestError(not_utf8(shown, raw, exc)) from None


def load_file(path: Path, shown: str | None = None) -> Document:
    """A whole YAML file; DigestError with `path:line` for any problem, control characters
    included (a registry or settings file has no reason to hold them)."""
    shown = shown or str(path)
    try:
        document = parse(read_text(path, shown))
    except InputError as exc:
        raise DigestError(Problem(shown, exc.line, exc.message, exc.fix)) from None
    if document.control_lines:
        raise DigestError(Problem(shown, document.control_lines[0], "control characters (such as NUL) in a value",
                                  "remove the escape (\\0, \\x07, …) from the value"))
    return document
