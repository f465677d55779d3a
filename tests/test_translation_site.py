"""Issue 3's bar through the real build: a real Chinese article published in English,
rebuilt from the store without any model, retranslated when its source changes, and an
editor's translation kept (and flagged stale) when the source changes under it."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from .conftest import requires_shared

ZH_LINES = slice(279, 283)  # one Xinhua news story in WMT22 zh-en (lines 280-283)


@pytest.fixture
def zh_site(site, tmp_path):
    model = requires_shared("models", "translate-zh_en-1_9.argosmodel")
    source = requires_shared("data", "mt", "wmt22-zh-en", "generaltest2022.zh-en.src.zh")
    lines = source.read_text(encoding="utf-8").splitlines()[ZH_LINES]
    raw = tmp_path / "xinhua.txt"
    raw.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    models = tmp_path / "models"
    os.environ["DIGEST_MODELS_DIR"] = str(models)
    try:
        assert site.digest("models", "install-file", str(model)).returncode == 0
        added = site.digest("add", str(raw), "--published", "2021-12-11")
        assert added.returncode == 0, added.stderr
        # 新华社 and Xinhua publish under one source page: the registry's name is written
        assert ("source: 'Xinhua' (dateline '新华社北京12月11日电', the registry's name for '新华社')"
                in added.stdout)
        site.models = models
        yield site
    finally:
        os.environ.pop("DIGEST_MODELS_DIR", None)


def article_html(site) -> str:
    [page] = site.site.glob("articles/2021/12/*/index.html")
    return page.read_text(encoding="utf-8")


def english_block(page: str) -> str:
    return page.split('class="tabbed-block digest-text" lang="en">')[1].split("</div>")[0]


def test_chinese_article_is_published_in_english_and_rebuilt_from_the_store(zh_site):
    zh_site.build()
    page = article_html(zh_site)
    assert "Machine-translated from Chinese with Argos Translate (translate-zh_en 1.9)" in page
    assert "Beijing" in english_block(page) and "268,000" in english_block(page)
    assert "Chinese original: 2022年北京地区高校毕业生预计达26.8万人" in page
    [stored] = (zh_site.docs / "translations").rglob("*.md")
    assert "model: translate-zh_en" in stored.read_text(encoding="utf-8")

    shutil.rmtree(zh_site.models)
    zh_site.build("--strict")  # no model, no warning: everything comes from the store
    assert article_html(zh_site) == page


def test_changed_source_is_retranslated(zh_site):
    zh_site.build()
    before = english_block(article_html(zh_site))
    [article] = zh_site.articles.rglob("*.md")
    text = article.read_text(encoding="utf-8")
    article.write_text(text.rstrip() + "\n\n上海市教委表示，今年将新增一万个就业岗位。\n", encoding="utf-8")
    zh_site.build()
    after = english_block(article_html(zh_site))
    assert after != before
    assert after.count("<p>") == before.count("<p>") + 1
    assert "Shanghai" in after


def test_edited_translation_survives_and_is_flagged_stale(zh_site):
    zh_site.build()
    [stored] = (zh_site.docs / "translations").rglob("*.md")
    text = stored.read_text(encoding="utf-8")
    edited = re.sub(r"^edited: false$", "edited: true", text, flags=re.M)
    edited = edited.replace("Xinhua", "Xinhua News Agency (edited by an editor)", 1)
    stored.write_text(edited, encoding="utf-8")
    [article] = zh_site.articles.rglob("*.md")
    article.write_text(article.read_text(encoding="utf-8").rstrip() + "\n\n新增一段。\n", encoding="utf-8")

    result = zh_site.build()
    assert "changed since this edited translation was made" in result.stderr
    assert stored.read_text(encoding="utf-8") == edited
    page = article_html(zh_site)
    assert "edited by an editor" in page
    assert "reviewed by an editor" in page
    assert "The original text has changed since this translation was reviewed." in page
    assert zh_site.build("--strict", check=False).returncode != 0


def test_russian_seed_shows_the_missing_model_notice(seed_site, tmp_path):
    os.environ["DIGEST_MODELS_DIR"] = str(tmp_path / "no-models")
    try:
        result = seed_site.build()
        assert "no Russian → English translation model" in result.stderr
        [page] = seed_site.site.glob("articles/2015/11/*/index.html")
        html = page.read_text(encoding="utf-8")
        assert ("This article is shown in Russian, as published: it has no English translation yet."
                in " ".join(html.split()))
        assert "digest models install" not in html  # the command is for editors: the log gives it
        check = seed_site.digest("check", "--strict")
        assert check.returncode == 1 and "no English translation (Russian)" in check.stdout
    finally:
        os.environ.pop("DIGEST_MODELS_DIR", None)


def test_check_names_a_missing_model_once_a_language(site, tmp_path):
    """Many articles waiting for one model: `digest check` says so once, at the first of them,
    with how many there are (a folder of 168 Spanish pages gave 168 warnings)."""
    for name in ("a", "b", "c"):
        site.article(f"2015/12/{name}.md", title=f"Новости {name}", language="ru",
                     body=f"Министр заявил во вторник, что переговоры {name} продолжатся на следующей неделе.")
    os.environ["DIGEST_MODELS_DIR"] = str(tmp_path / "no-models")
    try:
        result = site.digest("check")
    finally:
        os.environ.pop("DIGEST_MODELS_DIR", None)
    assert result.stdout.count("no English translation (Russian)") == 1, result.stdout
    assert ("site_src/articles/2015/12/a.md:1: no English translation (Russian) and no Russian → English model in "
            f"{tmp_path / 'no-models'} (3 articles, the first here)") in result.stdout, result.stdout
