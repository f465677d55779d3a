"""The sources registry: the publications a digest meets, one identity each.

`digest/data/sources.yml` (packaged: wires, state media, broadcasters and papers) overlaid by
the site's own `site_src/sources.yml` (settings `articles.sources_file`), same format: a
`name` (what the site shows), `aliases` in any script, web `domains`, `country` (ISO 3166-1),
`language` (ISO 639-1), `kind`. It lets `digest add` tell a site name above a headline from
the headline itself and strip "-新华网" or "| BBC News" from a title, and the build publish
"新华社" and "Xinhua" under one source page, which shows the profile. A site entry whose name
or alias names a packaged entry replaces it.

Names are matched by a key that ignores case, spacing and punctuation in any script (NFKC,
casefold): "RIA Novosti", "ria-novosti" and "RIA  NOVOSTI" are one name. rapidfuzz suggests
the nearest alias for a source the registry does not know (`digest check`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale

from .. import DATA_DIR, yaml_input
from ..errors import DigestError, Problem
from .articles import language_names

PACKAGED = DATA_DIR / "sources.yml"
KINDS = ("wire", "newspaper", "broadcaster", "magazine", "online", "state-owned", "public")
_KEYS = {"name", "aliases", "domains", "country", "language", "kind"}
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}")


@dataclass(frozen=True)
class Source:
    name: str
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    kind: tuple[str, ...] = ()

    @property
    def country_name(self) -> str | None:
        return Locale("en").territories.get(self.country) if self.country else None


def name_key(name: str) -> str:
    """The key names are matched by: case, spacing and punctuation ignored, any script."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", name).casefold() if ch.isalnum())


class SourceRegistry:
    def __init__(self, sources: list[Source]):
        self.sources = sources
        self._by_key: dict[str, Source] = {}
        self._by_domain: dict[str, Source] = {}
        for source in sources:  # later entries (the site's) win a shared name
            for alias in (source.name, *source.aliases):
                self._by_key[name_key(alias)] = source
            for domain in source.domains:
                self._by_domain[domain] = source

    def named(self, text: str) -> Source | None:
        key = name_key(text)
        return self._by_key.get(key) if key else None

    def by_domain(self, host: str) -> Source | None:
        """The source of a web address's host: news.cn and english.news.cn are Xinhua."""
        parts = host.lower().rstrip(".").split(".")
        for i in range(len(parts) - 1):
            if found := self._by_domain.get(".".join(parts[i:])):
                return found
        return None

    def canonical(self, name: str) -> str:
        found = self.named(name)
        return found.name if found else name

    def nearest(self, name: str) -> str | None:
        """The registered name or alias closest to `name`, if one is close (a typo, a variant)."""
        from rapidfuzz import fuzz, process, utils  # imported where it is used

        names = [alias for source in self.sources for alias in (source.name, *source.aliases)]
        # Whole-string similarity: a typo or a variant ("Reuter", "Xinhau"), not a shared word.
        found = process.extractOne(name, names, scorer=fuzz.ratio, processor=utils.default_process,
                                   score_cutoff=80)
        return found[0] if found else None


def load_sources(site_file: Path | str | None = None) -> SourceRegistry:
    """The packaged registry overlaid by the site's file (absent: the packaged one alone).
    DigestError lists every problem of the site's file as `path:line: what — fix`."""
    sources = _read(PACKAGED)
    if site_file is not None and (Path(site_file).exists() or Path(site_file).is_symlink()):
        own = _read(Path(site_file))
        own_keys = {name_key(a) for s in own for a in (s.name, *s.aliases)}
        sources = [s for s in sources if not own_keys & {name_key(a) for a in (s.name, *s.aliases)}] + own
    return SourceRegistry(sources)


@functools.lru_cache(maxsize=8)
def _read_cached(path: str, mtime_ns: int) -> tuple[Source, ...]:
    return tuple(_parse(Path(path)))


def _read(path: Path) -> list[Source]:
    stat = path.lstat()
    return list(_read_cached(str(path), stat.st_mtime_ns))


def _parse(path: Path) -> list[Source]:
    document = yaml_input.load_file(path)
    if document.node is None:
        return []
    if not isinstance(document.node, yaml.SequenceNode):
        raise DigestError(Problem(path, 1, "the sources registry must be a list",
                                  "write one `- name: ...` item per publication"))
    problems: list[Problem] = []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for node, data in zip(document.node.value, document.data):
        line = node.start_mark.line + 1
        if not isinstance(data, dict):
            problems.append(Problem(path, line, "a source must be a mapping", "write `- name: ...`"))
            continue
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
        before = len(problems)

        def bad(key: str, message: str, fix: str) -> None:
            problems.append(Problem(path, lines.get(key, line), message, fix))

        for key in data:
            if key not in _KEYS:
                bad(key, f"unknown key '{key}'", f"use {', '.join(sorted(_KEYS))}")
        name = data.get("name")
        if not isinstance(name, str) or not name_key(name):
            bad("name", "a source without a `name`", "add `name: The Publication`")
        lists = {key: [data[key]] if isinstance(data.get(key), str) else data.get(key) or []
                 for key in ("aliases", "domains", "kind")}
        for key, values in lists.items():
            if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
                bad(key, f"`{key}` must be a list of names", f"write `{key}: [one, two]`")
                lists[key] = []
        for domain in lists["domains"]:
            if not _DOMAIN.fullmatch(domain):
                bad("domains", f"'{yaml_input.shown(domain)}' is not a domain name", "write it as example.com")
        for kind in lists["kind"]:
            if kind not in KINDS:
                bad("kind", f"kind '{yaml_input.shown(kind)}' is not one of {', '.join(KINDS)}",
                    "use those words (a list: `kind: [wire, state-owned]`)")
        country, language = data.get("country"), data.get("language")
        if country is not None and not (isinstance(country, str) and country in Locale("en").territories):
            bad("country", f"country '{yaml_input.shown(country)}' is not an ISO 3166-1 code",
                "write the two-letter code, e.g. `country: RU`")
        if language is not None and not (isinstance(language, str) and language in language_names()):
            bad("language", f"language '{yaml_input.shown(language)}' is not an ISO 639-1 code",
                "write the two-letter code, e.g. `language: ru`")
        if len(problems) > before:
            continue
        for alias in (name, *lists["aliases"]):
            key = name_key(alias)
            if key in seen and seen[key] != line:
                problems.append(Problem(path, line, f"'{alias}' also names the source on line {seen[key]}",
                                        "a name may belong to one source only: remove one of them"))
            seen.setdefault(key, line)
        sources.append(Source(" ".join(name.split()), tuple(a.strip() for a in lists["aliases"]),
                              tuple(d.lower() for d in lists["domains"]), country, language,
                              tuple(lists["kind"])))
    if problems:
        raise DigestError(sorted(problems, key=lambda problem: problem.line))  # in file order
    return sources
