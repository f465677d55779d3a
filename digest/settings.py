"""Packaged defaults (digest/data/settings.yml) overlaid key by key with a site's own file."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import yaml

from . import DATA_DIR, yaml_input
from .errors import DigestError, Problem

DEFAULTS = DATA_DIR / "settings.yml"


@dataclass(frozen=True)
class Settings:
    """Read-only settings: `settings.section("translate")["beam_size"]`."""

    sections: MappingProxyType

    def section(self, name: str) -> MappingProxyType:
        return self.sections.get(name, MappingProxyType({}))

    def overridden(self, name: str, **values) -> "Settings":
        """These settings with some values of one section replaced (a command-line flag, a
        plugin option)."""
        section = MappingProxyType({**self.section(name), **values})
        return Settings(MappingProxyType({**self.sections, name: section}))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _expected(default: Any) -> tuple[tuple[type, ...], str]:
    """The types a site's value may have where the default is `default`, and their name."""
    if isinstance(default, bool):
        return (bool,), "true or false"
    if isinstance(default, (int, float)):
        return ((int,), "a whole number") if isinstance(default, int) else ((int, float), "a number")
    if isinstance(default, str):
        return (str,), "text"
    if isinstance(default, list):
        return (list,), "a list"
    return (dict,), "a group of settings"


def _overlay(base: dict, user: Any, node, path: Path, prefix: str = "") -> dict:
    """`base` with the site's values; every value checked against the default's type, at
    its line (`node` is the site file's YAML node for `user`)."""
    line = node.start_mark.line + 1 if node is not None else 1
    if not isinstance(user, dict):
        raise DigestError(Problem(path, line, f"{prefix.rstrip('.') or 'the settings file'} must be a group "
                                  "of `key: value` lines", f"known keys here: {', '.join(sorted(base))}"))
    nodes = {key.value: (key, value) for key, value in node.value} if isinstance(node, yaml.MappingNode) else {}
    merged = dict(base)
    for key, value in user.items():
        key_node, value_node = nodes.get(str(key), (None, None))
        key_line = key_node.start_mark.line + 1 if key_node is not None else line
        if key not in base:
            raise DigestError(Problem(path, key_line, f"unknown setting '{prefix}{key}'",
                                      f"known keys here: {', '.join(sorted(base))}"))
        default = base[key]
        if isinstance(default, dict):
            merged[key] = _overlay(default, value, value_node, path, f"{prefix}{key}.")
            continue
        types, name = _expected(default)
        if isinstance(value, dt.date) and isinstance(default, str):
            value = value.isoformat()  # YAML reads an unquoted 2019-01-01 as a date
        wrong = not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
        if not wrong and isinstance(value, (int, float)) and not isinstance(value, bool):
            wrong = not math.isfinite(value) or value < 0
            name = f"{name} of 0 or more"
        if not wrong and isinstance(value, list):
            wrong = not all(isinstance(item, str) for item in value)
            name = "a list of text values"
        if wrong:
            raise DigestError(Problem(path, key_line, f"'{prefix}{key}' must be {name}, not {yaml_input.shown(value, 40)!r}",
                                      f"the default is {key}: {default!r}"))
        merged[key] = value
    return merged


def load_settings(user_file: Path | str | None = None) -> Settings:
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8")) or {}
    if user_file:
        path = Path(user_file)
        document = yaml_input.load_file(path)  # DigestError with path:line
        if document.node is not None:
            data = _overlay(data, document.data, document.node, path)
            for section, key in _INSIDE_DOCS_DIR:
                value = PurePosixPath(data[section][key])
                if value.is_absolute() or ".." in value.parts or not value.parts:
                    raise DigestError(Problem(path, 1, f"'{section}.{key}' must name a path inside the docs "
                                              f"dir, not {str(value)!r}", f"the default is {key}: "
                                              f"{yaml.safe_load(DEFAULTS.read_text())[section][key]}"))
            for key in ("published_from", "published_until"):
                if published_bound(data["articles"][key]) is False:
                    raise DigestError(Problem(path, _line(document.node, "articles", key), f"'articles.{key}' must "
                                              f"be a date (YYYY-MM-DD), not "
                                              f"{data['articles'][key]!r}", f"write it as {key}: 2019-01-01, "
                                              "or leave it empty for no bound"))
    return Settings(_freeze(data))


def _line(node, *keys: str) -> int:
    """The line of a key in a YAML mapping node, section by section (1 when not found)."""
    line = 1
    for key in keys:
        found = next(((k, v) for k, v in getattr(node, "value", ()) if isinstance(node, yaml.MappingNode)
                      and getattr(k, "value", None) == key), None)
        if found is None:
            return line
        line, node = found[0].start_mark.line + 1, found[1]
    return line


def published_bound(value: str) -> dt.date | None | bool:
    """A `published_from` / `published_until` value as a date; None when empty, False when
    it is no date."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return False


# Paths the digest reads and writes under the docs dir: a site's value stays inside it.
_INSIDE_DOCS_DIR = (("translate", "store_dir"), ("link", "registry_file"), ("articles", "sources_file"))
