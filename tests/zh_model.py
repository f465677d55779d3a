"""Shared by the translation tests: the real zh->en package installed once per module, the
WMT22 Chinese news it translates, and articles built from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.translation import models
from digest.model import Article

from .conftest import SHARED

PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
SOURCE = SHARED / "data" / "mt" / "wmt22-zh-en" / "generaltest2022.zh-en.src.zh"
needs_shared = pytest.mark.skipif(not (PACKAGE.exists() and SOURCE.exists()),
                                  reason="../shared (zh->en model and WMT22 zh-en data) is absent")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    if not PACKAGE.exists():
        pytest.skip(f"{PACKAGE} is absent")
    root = tmp_path_factory.mktemp("models")
    models.install_file(PACKAGE, root)
    return root


@pytest.fixture(scope="module")
def zh():
    return SOURCE.read_text(encoding="utf-8").split("\n") if SOURCE.exists() else []


@pytest.fixture(autouse=True)
def no_models_env(monkeypatch):
    monkeypatch.delenv(models.ENV_VAR, raising=False)


def make_article(name: str, title: str, paragraphs: list[str], language: str = "zh") -> Article:
    return Article(path=Path(f"/site/articles/{name}.md"), rel_path=f"articles/{name}.md",
                   slug=name, title=title, source="Xinhua", published=dt.datetime(2024, 5, 1),
                   has_time=False, body="\n\n".join(paragraphs), body_line=6, language=language,
                   paragraphs=list(paragraphs))
