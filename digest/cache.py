"""A content-keyed cache of stage results, so rebuilds redo only what changed.

Keys are hashes of everything a result depends on (the stage's version, the input text,
the settings it reads); values are pickled. One file per stage under `cache_dir` (default
`.cache/digest`, git-ignored), holding only the entries this build used, so the cache never
outgrows the digest. A per-article stage (`each`) writes its file as soon as it has every
article's value and lets go of its entries: pickling them all at the end of the build, on
top of everything the build holds, was its peak memory (pickle's memo costs ~100 bytes an
object). The whole build's result (`put`) is written by `save()`, which the plugin calls
once the site is written: a failed build never writes it. The cache is local to a machine
and never committed (unlike the translation store, which is content).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import write_atomic

log = logging.getLogger("mkdocs.plugins.digest.cache")


class Cache:
    """`cache.get(stage, key)` / `cache.put(stage, key, value)`; `Cache(None)` caches nothing."""

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder else None
        self._stored: dict[str, dict] = {}
        self._used: dict[str, dict] = {}
        self._changed: set[str] = set()  # stages with entries put this build
        self._written: set[str] = set()  # per-article stages already written and let go (each)
        self._warned = False  # one warning for a cache that cannot be written, not one a stage

    @staticmethod
    def all_of(kind: type, items: Any) -> bool:
        """True when `items` is a list, tuple or set of `kind`: a check for `valid`."""
        return isinstance(items, (list, tuple, set)) and all(isinstance(item, kind) for item in items)

    @staticmethod
    def key(*parts: Any) -> str:
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def get(self, stage: str, key: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
        """The cached value, or None; a value `valid` refuses (a cache written by other code,
        or damaged) is a miss, not a crash later on."""
        if self.folder is None:
            return None
        if stage not in self._stored:
            if self._single_key(stage) not in (None, key):
                return None  # the whole build's result, for other inputs: not worth reading
            self._stored[stage] = self._load(stage)
        value = self._stored[stage].get(key)
        if value is not None and valid is not None and not valid(value):
            return None
        if value is not None:
            self._used.setdefault(stage, {})[key] = value
        return value

    def put(self, stage: str, key: str, value: Any) -> None:
        if self.folder is not None:
            self._used.setdefault(stage, {})[key] = value
            self._changed.add(stage)

    def each(self, stage: str, items: list, key_of: Callable[[Any], str],
             compute: Callable[[list], list], valid: Callable[[Any], bool] | None = None) -> list:
        """The value of each item: cached under key_of(item), else from `compute`, which gets
        every missing item at once (so it can spread them over processes) and returns their
        values (each one `valid` accepts). Without a folder nothing is hashed: `compute` gets every item.
        A stage calls it once a build: its file is then written and its entries let go."""
        if self.folder is None:
            return compute(list(items))
        if stage in self._written:
            raise RuntimeError(f"cache stage {stage!r} was already written this build: call each() once per stage")
        keys = [key_of(item) for item in items]
        values = [self.get(stage, key, valid) for key in keys]
        missing = [i for i, value in enumerate(values) if value is None]
        for i, value in zip(missing, compute([items[i] for i in missing])):
            values[i] = value
            self.put(stage, keys[i], value)
        self._save_stage(stage)
        self._stored.pop(stage, None)
        self._used.pop(stage, None)
        self._written.add(stage)
        return values

    def save(self) -> None:
        """Write what this build used. A cache that cannot be written is only a warning:
        the next build is slower, not wrong."""
        for stage in list(self._used):
            self._save_stage(stage)

    def _save_stage(self, stage: str) -> None:
        if self.folder is None:
            return
        entries = self._used.get(stage, {})
        if stage not in self._changed and entries.keys() == self._stored.get(stage, {}).keys():
            return  # the file already holds exactly these entries
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(self.folder / f"{stage}.pickle",  # streamed: ~1 GB at 100,000 articles
                         functools.partial(pickle.dump, entries, protocol=pickle.HIGHEST_PROTOCOL),
                         fsync=False)
            # A stage of one entry (the whole build's result: ~1 GB at 100,000 articles)
            # names its key beside it, so that a build whose inputs changed skips reading it.
            key_file = self.folder / f"{stage}.key"
            if len(entries) == 1:
                write_atomic(key_file, next(iter(entries)).encode(), fsync=False)
            else:
                key_file.unlink(missing_ok=True)
        except OSError as exc:
            if not self._warned:
                log.warning("%s: cannot write the build cache (%s) — remove it or make it a writable "
                            "folder (`rm -rf %s`); builds work without it, only slower",
                            self.folder, exc.strerror, self.folder)
            self._warned = True

    def clear(self) -> None:
        """Delete the stored entries (after a build failed in a way the cache may have caused)."""
        if self.folder is not None and self.folder.is_dir():
            for path in (*self.folder.glob("*.pickle"), *self.folder.glob("*.key")):
                path.unlink(missing_ok=True)
        self._stored, self._used, self._changed = {}, {}, set()

    def _single_key(self, stage: str) -> str | None:
        """The key of a stage saved with one entry, or None (many entries, or unknown)."""
        try:
            return (self.folder / f"{stage}.key").read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

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
