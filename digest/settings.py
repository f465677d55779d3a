"""Packaged defaults (digest/data/settings.yml) overlaid key by key with a site's own file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .errors import DigestError, Problem

DEFAULTS = Path(__file__).parent / "data" / "settings.yml"


@dataclass(frozen=True)
class Settings:
    """Read-only settings: `settings.section("translate")["beam_size"]`."""

    sections: MappingProxyType

    def section(self, name: str) -> MappingProxyType:
        return self.sections.get(name, MappingProxyType({}))


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _overlay(base: dict, user: dict, path: Path, prefix: str = "") -> dict:
    merged = dict(base)
    for key, value in user.items():
        if key not in base:
            raise DigestError(Problem(path, 1, f"unknown setting '{prefix}{key}'",
                                      f"known keys here: {', '.join(sorted(base))}"))
        if isinstance(base[key], dict) and isinstance(value, dict):
            merged[key] = _overlay(base[key], value, path, f"{prefix}{key}.")
        else:
            merged[key] = value
    return merged


def load_settings(user_file: Path | str | None = None) -> Settings:
    data = yaml.safe_load(DEFAULTS.read_text(encoding="utf-8")) or {}
    if user_file:
        path = Path(user_file)
        try:
            user = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1
            raise DigestError(Problem(path, line, f"malformed YAML: {exc}", "fix the YAML syntax")) from exc
        data = _overlay(data, user, path)
    return Settings(_freeze(data))
