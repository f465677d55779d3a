"""Argos Translate packages: where they live, which are installed, how to install one.

An Argos package (`.argosmodel`) is a zip of one folder holding `metadata.json`, a
CTranslate2 model in `model/` and a `sentencepiece.model` (plus a `stanza/` sentence
splitter we do not use). We read packages ourselves instead of through
`argostranslate.translate`, which imports stanza and torch; `argostranslate.package`
(no torch) is used only to read the remote package index, with our own timeouts because
its network code has none and retries three times.

The models folder is, in order: the `DIGEST_MODELS_DIR` environment variable, the
`models_dir` option (plugin or command line), else `$XDG_DATA_HOME/digest/models`
(`~/.local/share/digest/models`). One folder per package, named like
`translate-zh_en-1_9`; installing a pair again replaces its older version.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import threading
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import yaml_input
from ..errors import DigestError, Problem

log = logging.getLogger("mkdocs.plugins.digest.translation.models")

ENV_VAR = "DIGEST_MODELS_DIR"
TARGET = "en"
# The index is tiny; a reachable server answers far sooner. Together they keep a failed
# `digest models install` under 10 s even when DNS hangs (the worker thread is abandoned).
INDEX_TIMEOUT_S = 4.0
DOWNLOAD_SOCKET_TIMEOUT_S = 20.0
_REQUIRED = ("metadata.json", "sentencepiece.model", "model/model.bin", "model/config.json")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:_[A-Za-z0-9]{2,8})?")  # "ru", "zt", "pt_BR"
_VERSION = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,4}){0,3}")
_LINK_MODE = 0o120000  # S_IFLNK, as zip archives made on Unix record a symbolic link


@dataclass(frozen=True)
class ModelPackage:
    """An installed translation package."""

    name: str  # "translate-zh_en", the argospm name
    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str  # "1.9"
    path: Path
    target_prefix: str = ""  # some packages expect a token before the target text

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"


def default_models_dir() -> Path:
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "digest" / "models"


def resolve_models_dir(models_dir: Path | str | None = None) -> Path:
    """DIGEST_MODELS_DIR wins over the `models_dir` option, which wins over the default."""
    chosen = os.environ.get(ENV_VAR) or models_dir
    return Path(chosen).expanduser() if chosen else default_models_dir()


def install_command(lang: str) -> str:
    return f"digest models install {lang}"


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _read_package(folder: Path) -> ModelPackage:
    """Raise ValueError saying what is wrong with an unpacked package folder."""
    missing = [name for name in _REQUIRED if not (folder / name).is_file()]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise ValueError("metadata.json is not a JSON object")
    if meta.get("type", "translate") != "translate":
        raise ValueError(f"package type is {meta.get('type')!r}, not 'translate'")
    for key in ("from_code", "to_code", "package_version"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise ValueError(f"metadata.json lacks '{key}'")
    # The codes and the version name the package's folder and pick it for a language: a
    # value like "zh/../../x" must never become a path.
    for key in ("from_code", "to_code"):
        if not _LANGUAGE_CODE.fullmatch(meta[key]):
            raise ValueError(f"metadata.json: {key} {meta[key][:40]!r} is not a language code")
    if not _VERSION.fullmatch(meta["package_version"]):
        raise ValueError(f"metadata.json: package_version {meta['package_version'][:40]!r} is not a version number")
    for key in ("from_name", "to_name", "target_prefix"):
        if not isinstance(meta.get(key, ""), str):
            raise ValueError(f"metadata.json: {key} is not text")
    return ModelPackage(
        name=f"translate-{meta['from_code']}_{meta['to_code']}",
        from_code=meta["from_code"],
        to_code=meta["to_code"],
        from_name=meta.get("from_name", meta["from_code"]),
        to_name=meta.get("to_name", meta["to_code"]),
        version=meta["package_version"],
        path=folder,
        target_prefix=meta.get("target_prefix", ""),
    )


def check_models_dir(models_dir: Path | str) -> None:
    """DigestError when the models folder exists but is not a folder (the commands that
    manage models say so; a build only warns, through list_models)."""
    root = Path(models_dir)
    if root.exists() and not root.is_dir():
        raise DigestError(Problem(root, 0, "the models folder is a file, not a folder",
                                  f"remove it, or point ${ENV_VAR} (or --models-dir) at a folder"))


def list_models(models_dir: Path | str) -> list[ModelPackage]:
    """Installed packages, sorted by pair; broken folders are skipped with a warning."""
    root = Path(models_dir)
    if not root.is_dir():
        if root.exists():
            log.warning("%s: the models folder is a file, not a folder: no article is translated — "
                        "remove it, or point $%s at a folder", root, ENV_VAR)
        return []
    packages = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue  # dot folders are unfinished installs
        try:
            packages.append(_read_package(folder))
        except ValueError as exc:
            log.warning("%s: not a usable translation package: %s — reinstall it with "
                        "`digest models install-file PATH.argosmodel`", folder, exc)
    return sorted(packages, key=lambda p: (p.pair, _version_key(p.version)))


def find_model(models_dir: Path | str, from_lang: str, to_lang: str = TARGET) -> ModelPackage | None:
    """The newest installed package for the pair, or None."""
    found = [p for p in list_models(models_dir)
             if p.from_code == from_lang and p.to_code == to_lang]
    return max(found, key=lambda p: _version_key(p.version)) if found else None


def _bad_file(path: Path, what: str) -> DigestError:
    return DigestError(Problem(path, 0, f"not a valid Argos package: {what}",
                               "pass a .argosmodel file downloaded from the Argos package index "
                               "(e.g. translate-ru_en-1_9.argosmodel)"))


def _package_root(path: Path, archive: zipfile.ZipFile) -> str:
    """The single top folder of the archive; refuse absolute or `..` member names, names
    with a backslash or a control character, and symbolic links."""
    roots = set()
    for info in archive.infolist():
        name = info.filename
        parts = PurePosixPath(name).parts
        if (not parts or name.startswith("/") or ".." in parts or "\\" in name
                or yaml_input.CONTROL.search(name) or parts[0].startswith(".")):
            raise _bad_file(path, f"unsafe member name {name!r}")
        if (info.external_attr >> 16) & 0o170000 == _LINK_MODE:
            raise _bad_file(path, f"{name!r} is a symbolic link")
        roots.add(parts[0])
    if len(roots) != 1:
        raise _bad_file(path, f"expected one top folder, found {sorted(roots) or 'none'}")
    return roots.pop()


def install_file(path: Path | str, models_dir: Path | str) -> tuple[ModelPackage, list[ModelPackage]]:
    """Validate and unpack a .argosmodel into models_dir; return (installed, replaced).

    Unpacks into a dot folder of models_dir and renames it into place, so a failed or
    killed install never leaves a half package that looks installed.
    """
    path = Path(path)
    root = Path(models_dir)
    if not path.is_file():
        raise DigestError(Problem(path, 0, "no such file", "check the path to the .argosmodel file"))
    if not zipfile.is_zipfile(path):
        raise _bad_file(path, "it is not a zip archive")
    check_models_dir(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
    except OSError as exc:
        raise DigestError(Problem(root, 0, f"cannot write in the models folder: {exc.strerror}",
                                  f"make it a writable folder, or point ${ENV_VAR} at one")) from None
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                top = _package_root(path, archive)
                names = set(archive.namelist())
                missing = [n for n in _REQUIRED if f"{top}/{n}" not in names]
                if missing:
                    raise _bad_file(path, f"missing {', '.join(missing)} in {top}/")
                archive.extractall(staging)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise _bad_file(path, f"the archive is damaged ({exc})") from None
        except OSError as exc:
            if exc.filename and Path(exc.filename).is_relative_to(staging):
                raise DigestError(Problem(root, 0, f"cannot unpack into the models folder: {exc.strerror}",
                                          "free disk space or make the folder writable")) from None
            raise _bad_file(path, f"the archive is damaged ({exc.strerror or exc})") from None
        try:
            package = _read_package(staging / top)
            check_loads(package)
        except ValueError as exc:
            raise _bad_file(path, str(exc)) from exc
        final_name = f"{package.name}-{package.version.replace('.', '_')}"
        replaced = [p for p in list_models(root)
                    if p.from_code == package.from_code and p.to_code == package.to_code]
        for old in replaced:
            # Rename first (atomic), delete after: a crash leaves only dot folders.
            trash = root / f".old-{old.path.name}"
            shutil.rmtree(trash, ignore_errors=True)
            os.replace(old.path, trash)
            shutil.rmtree(trash, ignore_errors=True)
        os.replace(staging / top, root / final_name)
        installed = _read_package(root / final_name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return installed, replaced


def check_loads(package: ModelPackage) -> None:
    """ValueError naming the part that SentencePiece or CTranslate2 cannot load (a
    truncated model.bin, a damaged sentencepiece.model, a config.json that is not JSON)."""
    import ctranslate2  # heavy imports only when a package is installed or used
    import sentencepiece

    try:
        sentencepiece.SentencePieceProcessor(model_file=str(package.sentencepiece_model))
    except (RuntimeError, OSError) as exc:
        raise ValueError(f"sentencepiece.model does not load ({str(exc).splitlines()[0]})") from None
    try:
        ctranslate2.Translator(str(package.model_dir), device="cpu", compute_type="auto", intra_threads=1)
    except (RuntimeError, ValueError, OSError) as exc:
        raise ValueError(f"model/ does not load in CTranslate2 ({str(exc).splitlines()[0][:200]})") from None


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "digest"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def _fetch_with_deadline(url: str, deadline: float) -> bytes:
    """urlopen's timeout does not cover DNS lookups: run it in a thread we can abandon."""
    result: dict = {}

    def work():
        try:
            result["data"] = _fetch(url, deadline)
        except Exception as exc:  # reported to the caller below
            result["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {deadline:g} s")
    if "error" in result:
        raise result["error"]
    return result["data"]


def install_from_index(lang: str, models_dir: Path | str, *,
                       index_timeout: float = INDEX_TIMEOUT_S) -> tuple[ModelPackage, list[ModelPackage]]:
    """Download `translate-<lang>_en` from the Argos package index and install it."""
    from argostranslate import package as argos_package  # no torch; reads settings only
    from argostranslate import settings as argos_settings

    index_url = argos_settings.remote_package_index
    name = f"translate-{lang}_{TARGET}"
    offline_fix = (f"download {name}-<version>.argosmodel on a machine with network access, "
                   f"then run `digest models install-file PATH.argosmodel`")
    try:
        index = json.loads(_fetch_with_deadline(index_url, index_timeout))
    except Exception as exc:
        raise DigestError(Problem(index_url, 0, f"cannot reach the Argos package index ({exc})",
                                  offline_fix)) from exc
    available = [argos_package.AvailablePackage(meta) for meta in index if isinstance(meta, dict)]
    matches = [p for p in available if argos_package.argospm_package_name(p) == name and p.links]
    if not matches:
        pairs = sorted(argos_package.argospm_package_name(p) for p in available
                       if p.to_code == TARGET)
        raise DigestError(Problem(index_url, 0, f"the index has no package {name}",
                                  f"packages to English: {', '.join(pairs) or 'none'}"))
    chosen = max(matches, key=lambda p: _version_key(p.package_version))
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    errors = []
    for link in chosen.links:
        handle, tmp = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=root)
        os.close(handle)
        try:
            log.info("downloading %s", link)
            with urllib.request.urlopen(urllib.request.Request(link, headers={"User-Agent": "digest"}),
                                        timeout=DOWNLOAD_SOCKET_TIMEOUT_S) as response, \
                    open(tmp, "wb") as out:
                shutil.copyfileobj(response, out, 1 << 20)
            return install_file(tmp, root)
        except DigestError:
            raise
        except Exception as exc:
            errors.append(f"{link}: {exc}")
        finally:
            Path(tmp).unlink(missing_ok=True)
    raise DigestError(Problem(index_url, 0, f"download of {name} failed ({'; '.join(errors)})",
                              offline_fix))
