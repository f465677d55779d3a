"""The editors' entity registry (site_src/entities.yml): canonical name, type, aliases in
any script (ISIS / ИГИЛ / Daesh / «Исламское государство»), Wikidata id. Read with the strict
YAML loader; every problem is reported as `path:line: what — fix`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import yaml_input
from ..errors import DigestError, Problem
from ..intake.articles import make_slug
from .name_keys import TOKEN, fold

TYPES = ("person", "organisation", "place")
_TYPE_SYNONYMS = {"organization": "organisation", "org": "organisation", "location": "place",
                  "loc": "place", "per": "person", "people": "person"}
_REGISTRY_KEYS = {"name", "type", "aliases", "wikidata", "slug", "description"}
_WIKIDATA = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class RegistryEntry:
    """One entity the editors declared in the registry file."""

    slug: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    line: int = 0
    description: str = ""  # one line for readers, shown on the entity's page



def load_registry(path: Path | str | None) -> list[RegistryEntry]:
    """Read and validate the editors' registry; a missing file is an empty registry.

    Raises DigestError listing every problem as `path:line: what — fix`."""
    if path is None or not (Path(path).exists() or Path(path).is_symlink()):
        return []
    path = Path(path)
    document = yaml_input.load_file(path)  # DigestError for a folder, a link, bad bytes or YAML
    root = document.node
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise DigestError(Problem(path, root.start_mark.line + 1, "the registry must be a list",
                                  "write one `- name: ...` item per entity"))
    problems: list[Problem] = []
    entries: list[RegistryEntry] = []
    alias_lines: dict[str, tuple[int, str]] = {}
    slugs: dict[str, int] = {}
    for node, data in zip(root.value, document.data):
        entry = _registry_entry(path, node, data, problems)
        if entry is None:
            continue
        if entry.slug in slugs:
            problems.append(Problem(path, entry.line, f"slug '{entry.slug}' is also used on line "
                                    f"{slugs[entry.slug]}", "give each entity its own name or slug"))
        slugs.setdefault(entry.slug, entry.line)
        for alias in {entry.name, *entry.aliases}:
            key = _alias_key(alias)
            if key in alias_lines and alias_lines[key][1] != entry.slug:
                problems.append(Problem(path, entry.line, f"alias '{alias}' also names the entity on "
                                        f"line {alias_lines[key][0]}",
                                        "an alias may name one entity only: remove one of them"))
            alias_lines.setdefault(key, (entry.line, entry.slug))
        entries.append(entry)
    if problems:
        raise DigestError(problems)
    return entries


def _registry_entry(path: Path, node, data, problems: list[Problem]) -> RegistryEntry | None:
    """One item of the registry: `node` gives the lines, `data` the values (yaml_input)."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line, "an entity must be a mapping",
                                "write `- name: ...` with `type:` and `aliases:` keys"))
        return None
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:  # keys are plain scalars: yaml_input refuses others
        key = key_node.value
        lines[key] = key_node.start_mark.line + 1
        if key not in _REGISTRY_KEYS:
            problems.append(Problem(path, lines[key], f"unknown key '{key}'",
                                    f"use {', '.join(sorted(_REGISTRY_KEYS))}"))
            continue
        # A single value is taken as written (`name: 1984`, `wikidata: Q5` stay text).
        values[key] = value_node.value if isinstance(value_node, yaml.ScalarNode) else data.get(key)
    bad = len(problems)
    name = values.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(path, line, "entity without a `name`", "add `name: Canonical Name`"))
    kind = values.get("type", "")
    kind = kind.strip().lower() if isinstance(kind, str) else ""
    kind = _TYPE_SYNONYMS.get(kind, kind)
    if kind not in TYPES:
        problems.append(Problem(path, lines.get("type", line),
                                f"type '{yaml_input.shown(values.get('type', ''))}' is not one of {', '.join(TYPES)}",
                                "set `type:` to person, organisation or place"))
    aliases = values.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(Problem(path, lines.get("aliases", line), "`aliases` must be a list of names",
                                "write `aliases: [Name one, Имя два]`"))
        aliases = []
    wikidata = values.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA.fullmatch(wikidata)):
        problems.append(Problem(path, lines["wikidata"], f"wikidata '{yaml_input.shown(wikidata)}' is not a Wikidata id",
                                "write the item id, e.g. `wikidata: Q7747`"))
    description = values.get("description", "")
    if not isinstance(description, str):
        problems.append(Problem(path, lines["description"], "`description` must be one line of text",
                                "write `description: Russia's foreign minister since 2004`"))
        description = ""
    slug = values.get("slug") or make_slug(name if isinstance(name, str) else "")
    if not isinstance(slug, str):
        problems.append(Problem(path, lines.get("slug", line), "`slug` must be text", "write `slug: a-slug`"))
        slug = make_slug(name if isinstance(name, str) else "")
    if slug != make_slug(slug):
        # The slug is the entity page's address (entities/<slug>/): anything else could
        # leave that folder ('../') or carry markup into URLs.
        problems.append(Problem(path, lines.get("slug", line), f"slug {slug!r} is not a slug",
                                f"write it in lower case with hyphens, e.g. `slug: {make_slug(slug)}`"))
    if len(problems) > bad:
        return None
    return RegistryEntry(slug, name.strip(), kind, tuple(a.strip() for a in aliases),
                         str(wikidata) if wikidata else None, line, " ".join(description.split()))


def _alias_key(alias: str) -> str:
    return " ".join(fold(t) for t in TOKEN.findall(alias))

