"""Package management on the real zh->en Argos package from ../shared/models."""

from __future__ import annotations

import json
import logging
import time
import zipfile
from pathlib import Path

import pytest

from digest.translation import models
from digest.errors import DigestError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
needs_package = pytest.mark.skipif(not PACKAGE.exists(),
                                   reason=f"{PACKAGE} is absent (shared model folder not mounted)")


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".")] if root.exists() else []


def test_models_dir_env_wins_over_option_and_default(monkeypatch, tmp_path):
    monkeypatch.delenv(models.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert models.resolve_models_dir() == tmp_path / "xdg" / "digest" / "models"
    assert models.resolve_models_dir(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.setenv(models.ENV_VAR, str(tmp_path / "env"))
    assert models.resolve_models_dir(tmp_path / "opt") == tmp_path / "env"


@needs_package
def test_install_file_installs_lists_and_finds(tmp_path):
    root = tmp_path / "models"
    installed, replaced = models.install_file(PACKAGE, root)
    assert (installed.pair, installed.version, installed.name) == ("zh->en", "1.9", "translate-zh_en")
    assert replaced == []
    assert installed.path == root / "translate-zh_en-1_9"
    assert installed.sentencepiece_model.is_file() and (installed.model_dir / "model.bin").is_file()
    assert models.list_models(root) == [installed]
    assert models.find_model(root, "zh") == installed
    assert models.find_model(root, "ru") is None
    # Installing the pair again replaces it rather than adding a second copy.
    again, replaced = models.install_file(PACKAGE, root)
    assert [p.version for p in replaced] == ["1.9"]
    assert models.list_models(root) == [again]
    assert _leftovers(root) == []


@pytest.mark.parametrize("files, expected", [
    ({"a/metadata.json": "{}", "b/metadata.json": "{}"}, "expected one top folder"),
    ({"p/metadata.json": "{}", "p/model/model.bin": "", "p/model/config.json": "{}"},
     "missing sentencepiece.model"),
    ({"p/metadata.json": "not json", "p/model/model.bin": "", "p/model/config.json": "{}",
      "p/sentencepiece.model": ""}, "metadata.json is not valid JSON"),
    ({"p/metadata.json": json.dumps({"from_code": "ru"}), "p/model/model.bin": "",
      "p/model/config.json": "{}", "p/sentencepiece.model": ""}, "lacks 'to_code'"),
    ({"../evil/metadata.json": "{}"}, "unsafe member name"),
])
def test_install_file_rejects_bad_packages_and_names_the_file(tmp_path, files, expected):
    bad = _zip(tmp_path / "bad.argosmodel", files)
    root = tmp_path / "models"
    with pytest.raises(DigestError) as caught:
        models.install_file(bad, root)
    message = str(caught.value)
    assert str(bad) in message and expected in message and ".argosmodel" in message
    assert models.list_models(root) == [] and _leftovers(root) == []


def test_install_file_rejects_a_file_that_is_not_a_zip(tmp_path):
    text = tmp_path / "model.argosmodel"
    text.write_text("hello")
    with pytest.raises(DigestError, match="not a zip archive"):
        models.install_file(text, tmp_path / "models")
    with pytest.raises(DigestError, match="no such file"):
        models.install_file(tmp_path / "absent.argosmodel", tmp_path / "models")


def test_list_models_skips_a_broken_folder_with_a_warning(tmp_path, caplog):
    (tmp_path / "translate-xx_en-1_0").mkdir()
    with caplog.at_level(logging.WARNING):
        assert models.list_models(tmp_path) == []
    assert "translate-xx_en-1_0" in caplog.text and "install-file" in caplog.text


def test_install_from_index_answers_within_10_seconds(tmp_path):
    # Tries the real Argos index. These machines have no network, so it must fail fast
    # and point at install-file; where the index is reachable, it installs ru->en.
    started = time.monotonic()
    try:
        installed, _ = models.install_from_index("ru", tmp_path)
    except DigestError as error:
        assert time.monotonic() - started < 10
        assert "digest models install-file PATH.argosmodel" in str(error)
        assert "translate-ru_en" in str(error)
    else:
        assert installed.pair == "ru->en"
