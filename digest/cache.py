"""A content-keyed cache of stage results, so rebuilds redo only what changed.

Keys are hashes of everything a result depends on (the stage's version, the input text,
the settings it reads); values are pickled. One file per stage under `cache_dir` (default
`.cache/digest`, git-ignored). `save()` keeps only the entries this build used, so the
cache never outgrows the digest, and the plugin calls it in on_post_build: a failed build
never writes it. The cache is local to a machine and never committed (unlike the
translation store, which is content).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.digest.cache")


class Cache:
    """`cache.get(stage, key)` / `cache.put(stage, key, value)`; `Cache(None)` caches nothing."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder else None
        self._stored: dict[str, dict] = {}
        self._used: dict[str, dict] = {}
        self._changed: set[str] = set()  # stages with entries put this build

    @staticmethod
    def key(*parts: Any) -> str:
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def get(self, stage: str, key: str) -> Any | None:
        if self.folder is None:
            return None
        if stage not in self._stored:
            self._stored[stage] = self._load(stage)
        value = self._stored[stage].get(key)
        if value is not None:
            self._used.setdefault(stage, {})[key] = value
        return value

    def put(self, stage: str, key: str, value: Any) -> None:
        if self.folder is not None:
            self._used.setdefault(stage, {})[key] = value
            self._changed.add(stage)

    def each(self, stage: str, items: list, key_of: Callable[[Any], str],
             compute: Callable[[list], list]) -> list:
        """The value of each item: cached under key_of(item), else from `compute`, which gets
        every missing item at once (so it can spread them over processes) and returns their
        values. Without a folder nothing is hashed: `compute` gets every item."""
        if self.folder is None:
            return compute(list(items))
        keys = [key_of(item) for item in items]
        values = [self.get(stage, key) for key in keys]
        missing = [i for i, value in enumerate(values) if value is None]
        for i, value in zip(missing, compute([items[i] for i in missing])):
            values[i] = value
            self.put(stage, keys[i], value)
        return values

    def save(self) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for stage, entries in self._used.items():
            if stage not in self._changed and entries.keys() == self._stored.get(stage, {}).keys():
                continue  # the file already holds exactly these entries
            handle, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{stage}.", suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                pickle.dump(entries, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, self.folder / f"{stage}.pickle")

    def _load(self, stage: str) -> dict:
        path = self.folder / f"{stage}.pickle"
        if not path.exists():
            return {}
        try:
            with path.open("rb") as stream:
                entries = pickle.load(stream)
            return entries if isinstance(entries, dict) else {}
        except Exception as exc:  # a damaged cache is only slower, never wrong
            log.info("%s: unreadable cache (%s); recomputing", path, exc)
            return {}
