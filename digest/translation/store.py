"""The translation store: one committed, reviewable Markdown file per translated article.

`<docs_dir>/translations/<article rel_path>` (same relative path as the article) holds YAML
front matter (source hash, model and version, date, `edited`) and then the English text:
the title as a `# ` line, then the paragraphs separated by blank lines, so a pull request
shows one changed paragraph as one changed block. This is content, not a cache: rebuilds
read it and need no model, and a person's edit is never overwritten.

Marking edits: an editor sets `edited: true`. Because that is easy to forget, the file
also records `machine_sha256`, the hash of the text as the machine wrote it; text that no
longer matches it counts as edited too (and the build says to set the flag).

Writes are atomic: a temporary file in the same folder, fsync, then `os.replace`, so a
killed build leaves the old file or the new one, never half of one. PyYAML reads and
writes the front matter (already a dependency).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import yaml_input
from ..atomic import write_atomic
from ..errors import DigestError, Problem
from ..model import Article, Translation
from .decoding import joined_apostrophes

log = logging.getLogger("mkdocs.plugins.digest.translation.store")
CONTROL = yaml_input.CONTROL

FENCE = "---"
HEADER = ("# Machine translation kept in the repository. To correct it, edit the English\n"
          "# below the front matter and set `edited: true`: it is then never overwritten.\n")


def text_hash(title: str, paragraphs: list[str]) -> str:
    """sha256 of a title and its paragraphs, as stored in `source_sha256`/`machine_sha256`."""
    joined = "\n\n".join([title.strip(), *(p.strip() for p in paragraphs)])
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass
class Lookup:
    """What the store holds for an article.

    status: "missing", "corrupt", "current" (source unchanged), "outdated" (source
    changed, machine text: retranslate) or "stale" (source changed, edited by a person:
    keep it, flagged stale).
    """

    status: str
    path: Path
    translation: Translation | None = None


class TranslationStore:
    """Reads and writes the store folder `root` (e.g. `site_src/translations`)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def path_for(self, article: Article) -> Path:
        return self.root / Path(article.rel_path).with_suffix(".md")

    def lookup(self, article: Article, source_hash: str) -> Lookup:
        """What the store holds; DigestError when the entry's place is one the store must not
        read or write (a symbolic link on the way to it, a folder where the file belongs)."""
        path = self.path_for(article)
        self._check_place(path)
        if not path.exists():
            return Lookup("missing", path)
        try:
            meta, translation = self._read(path, article.language)
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
            log.warning("%s: unreadable translation (%s); translating the article again",
                        path, str(exc).splitlines()[0])
            return Lookup("corrupt", path)
        if translation.edited and not meta.get("edited"):
            log.warning("%s: the translation was changed by hand but is not marked; set "
                        "`edited: true` in its front matter", path)
        if meta["source_sha256"] == source_hash:
            return Lookup("current", path, translation)
        if translation.edited:
            translation.stale = True
            log.warning("%s: %s changed since this edited translation was made; it is kept "
                        "— update the English, then set `source_sha256: %s`",
                        path, article.rel_path, source_hash)
            return Lookup("stale", path, translation)
        return Lookup("outdated", path, translation)

    def _check_place(self, path: Path) -> None:
        # A link committed in the store would make the build read, and write translations,
        # wherever it points: outside the repository.
        place = self.root
        for part in (None, *path.relative_to(self.root).parts):
            place = place / part if part else place
            if place.is_symlink():
                raise DigestError(Problem(place, 1, f"a symbolic link (to {os.readlink(place)}) in the "
                                          "translation store", "replace it with the file or folder itself"))
            if place != path and place.exists() and not place.is_dir():
                raise DigestError(Problem(place, 1, "a file where a folder of the translation store belongs",
                                          "remove or rename the file"))
        if path.is_dir():
            raise DigestError(Problem(path, 1, "a folder where the translation file belongs",
                                      "remove the folder; the translation is made again"))

    def save(self, article: Article, translation: Translation, source_hash: str,
             date: dt.date | None = None) -> Path:
        """Write the machine translation of `article` atomically; return its path."""
        path = self.path_for(article)
        self._check_place(path)
        # Normalize as _read will see it, so machine_sha256 matches an untouched file.
        title = " ".join(translation.title.split())
        paragraphs = [re.sub(r"\n\s*\n", "\n", p.strip()) for p in translation.paragraphs]
        meta = {
            "article": article.rel_path,
            "source_language": translation.source_language,
            "source_sha256": source_hash,
            "model": translation.model,
            "model_version": translation.model_version,
            "translated": (date or dt.date.today()).isoformat(),
            "edited": translation.edited,
            "machine_sha256": text_hash(title, paragraphs),
        }
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        body = "\n\n".join(paragraphs)
        try:
            write_atomic(path, f"{FENCE}\n{HEADER}{front}{FENCE}\n# {title}\n\n{body}\n")
        except OSError as exc:
            raise DigestError(Problem(path, 1, f"cannot write the translation: {exc.strerror or exc}",
                                      "free disk space or make the translation store writable")) from None
        for leftover in path.parent.glob(f".{path.name}.*.tmp"):  # from a killed earlier write
            leftover.unlink(missing_ok=True)
        return path

    def _read(self, path: Path, language: str) -> tuple[dict, Translation]:
        text = path.read_text(encoding="utf-8")
        if found := CONTROL.search(text):  # invisible, and they break feeds and the index
            log.warning("%s:%d: control characters (such as NUL) in the translation were dropped — "
                        "remove them from the file", path, text[:found.start()].count("\n") + 1)
            text = CONTROL.sub("", text)
        lines = text.split("\n")
        if not lines or lines[0].strip() != FENCE or FENCE not in (l.strip() for l in lines[1:]):
            raise ValueError("no front matter between --- lines")
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
        try:
            meta = yaml_input.parse("\n".join(lines[1:end])).data
        except yaml_input.InputError as exc:
            raise ValueError(f"line {exc.line + 1}: {exc.message}") from None
        if not isinstance(meta, dict):
            raise ValueError("front matter is not a mapping")
        for key in ("source_sha256", "model", "model_version"):
            if not isinstance(meta.get(key), (str, int, float)):
                raise ValueError(f"front matter lacks '{key}'")
        if not isinstance(meta.get("edited", False), bool):
            raise ValueError("'edited' must be true or false")
        blocks = [b.strip() for b in "\n".join(lines[end + 1:]).split("\n\n") if b.strip()]
        if not blocks or not blocks[0].startswith("# "):
            raise ValueError("the text must start with the title as a '# ' line")
        title_lines = blocks[0].split("\n", 1)
        title = title_lines[0][2:].strip()
        paragraphs = ([title_lines[1].strip()] if len(title_lines) > 1 else []) + blocks[1:]
        machine = meta.get("machine_sha256")
        changed_by_hand = machine is not None and machine != text_hash(title, paragraphs)
        edited = bool(meta.get("edited", False)) or changed_by_hand
        if not edited:  # machine output stored before the decoder joined "People ' s" back
            title, paragraphs = joined_apostrophes(title), [joined_apostrophes(p) for p in paragraphs]
        translation = Translation(
            title=title,
            paragraphs=paragraphs,
            model=str(meta["model"]),
            model_version=str(meta["model_version"]),
            source_language=str(meta.get("source_language", language)),
            edited=edited,
        )
        meta["source_sha256"] = str(meta["source_sha256"])
        return meta, translation
