"""The content cache (.cache/digest): what a rebuild reuses, and what makes it recompute."""

from __future__ import annotations

import pickle

import pytest
from pathlib import Path

from digest import pipeline
from digest.cache import Cache
from digest.intake import clean
from digest.intake.clean import clean_article
from digest.settings import load_settings


def test_entries_survive_a_save_and_unused_ones_are_dropped(tmp_path):
    cache = Cache(tmp_path)
    cache.put("stage", "a", 1)
    cache.put("stage", "b", 2)
    cache.save()
    again = Cache(tmp_path)
    assert again.get("stage", "a") == 1
    again.save()  # only "a" was used: "b" is gone
    assert pickle.loads((tmp_path / "stage.pickle").read_bytes()) == {"a": 1}
    assert Cache(tmp_path).get("stage", "b") is None


def test_a_per_article_stage_is_written_when_done_and_let_go(tmp_path):
    """each() writes its stage's file as soon as the stage has every value, and holds none
    of them after: they are not pickled again on top of everything at the end of the build."""
    cache = Cache(tmp_path)
    values = cache.each("stage", ["a", "b"], str.upper, lambda todo: [{"of": item} for item in todo])
    assert values == [{"of": "a"}, {"of": "b"}]
    assert "stage" not in cache._used and "stage" not in cache._stored
    assert pickle.loads((tmp_path / "stage.pickle").read_bytes()) == {"A": {"of": "a"}, "B": {"of": "b"}}
    cache.save()  # the plugin's end of build: the file stays as it is
    again = Cache(tmp_path)
    assert again.each("stage", ["b"], str.upper, lambda todo: [pytest.fail(f"recomputed {t}") for t in todo]) == [
        {"of": "b"}]
    assert pickle.loads((tmp_path / "stage.pickle").read_bytes()) == {"B": {"of": "b"}}  # "a" went unused
    with pytest.raises(RuntimeError, match="once per stage"):
        again.each("stage", ["a"], str.upper, lambda todo: todo)


def test_an_unchanged_stage_file_is_not_rewritten(tmp_path):
    cache = Cache(tmp_path)
    cache.put("stage", "a", 1)
    cache.save()
    before = (tmp_path / "stage.pickle").stat().st_mtime_ns
    (tmp_path / "stage.pickle").touch()
    touched = (tmp_path / "stage.pickle").stat().st_mtime_ns
    again = Cache(tmp_path)
    assert again.get("stage", "a") == 1
    again.save()
    assert (tmp_path / "stage.pickle").stat().st_mtime_ns == touched >= before


def test_a_damaged_file_is_only_a_miss(tmp_path):
    (tmp_path / "stage.pickle").write_bytes(b"not a pickle")
    cache = Cache(tmp_path)
    assert cache.get("stage", "a") is None
    cache.put("stage", "a", 1)
    cache.save()
    assert Cache(tmp_path).get("stage", "a") == 1


def test_a_one_entry_stage_is_not_read_for_another_key(tmp_path, caplog):
    """The whole build's result (one entry, ~1 GB at 100,000 articles) is read only when its
    key is the one asked for: a rebuild after an edit does not load the old result."""
    cache = Cache(tmp_path)
    cache.put("build", "inputs-1", {"big": "result"})
    cache.save()
    assert (tmp_path / "build.key").read_text() == "inputs-1"
    (tmp_path / "build.pickle").write_bytes(b"not a pickle")  # reading it would say so
    with caplog.at_level("INFO", logger="mkdocs.plugins.digest.cache"):
        assert Cache(tmp_path).get("build", "inputs-2") is None
        assert "unreadable" not in caplog.text
        assert Cache(tmp_path).get("build", "inputs-1") is None
        assert "unreadable" in caplog.text
    cache = Cache(tmp_path)
    cache.put("build", "a", 1)
    cache.put("build", "b", 2)
    cache.save()  # two entries: no key file, the pickle is read
    assert not (tmp_path / "build.key").exists() and Cache(tmp_path).get("build", "b") == 2


def test_each_computes_only_the_missing_items_in_one_call(tmp_path):
    calls = []

    def square_all(todo):
        calls.append(list(todo))
        return [n * n for n in todo]

    cache = Cache(tmp_path)
    key_of = "k{}".format
    assert cache.each("squares", [2, 3], key_of, square_all) == [4, 9]
    cache.save()  # the next build
    assert Cache(tmp_path).each("squares", [2, 4, 3], key_of, square_all) == [4, 16, 9]
    assert calls == [[2, 3], [4]]


def test_no_folder_caches_nothing():
    cache = Cache(None)
    cache.put("stage", "a", 1)
    assert cache.get("stage", "a") is None
    cache.save()


def _article(docs: Path, name: str, title: str, body: str) -> Path:
    path = docs / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\nsource: Reuters\npublished: 2015-12-14\nlanguage: en\n---\n\n"
                    f"{body}\n", encoding="utf-8")
    return path


def _build(docs: Path, folder: Path, models: Path, settings=None):
    """One build with the cache as a fresh process would load it; the stages it consulted."""
    cache = Cache(folder)
    result = pipeline.build(docs, settings or load_settings(), models, cache=cache)
    cache.save()
    return result, (set(cache._used) | cache._written) - {"build"}


PER_ARTICLE = {"sketches", "clean", "summaries", "entities", "features"}  # the stages cached article by article


def test_a_rebuild_reuses_the_whole_result_until_an_input_changes(tmp_path, monkeypatch):
    docs, folder, models = tmp_path / "site_src", tmp_path / "cache", tmp_path / "models"
    models.mkdir()
    article = _article(docs, "a.md", "Kerry meets Lavrov in Moscow",
                       "John Kerry met Sergei Lavrov in Moscow on Tuesday.\n\nThey spoke about Syria.")
    _article(docs, "b.md", "Lavrov and Kerry talk again", "Sergei Lavrov called John Kerry on Friday.")
    first, consulted = _build(docs, folder, models)
    assert consulted == PER_ARTICLE  # a cold build: every stage ran
    again, consulted = _build(docs, folder, models)
    assert consulted == set() and again == first  # nothing changed: no stage ran

    article.write_text(article.read_text(encoding="utf-8").replace("Tuesday", "Wednesday"), encoding="utf-8")
    cleaned = []
    monkeypatch.setattr(clean, "clean_article", lambda article, rules: cleaned.append(article.slug)
                        or clean_article(article, rules))
    changed, consulted = _build(docs, folder, models)
    assert consulted == PER_ARTICLE
    assert cleaned == ["a"]  # the other article's cleaned text came from the cache
    assert any("Wednesday" in p for a in changed.digest.articles for p in a.paragraphs)
    assert changed == pipeline.build(docs, load_settings(), models)  # what a build without the cache gives

    store = docs / "translations"
    store.mkdir()
    (store / "note.md").write_text("a stored translation\n", encoding="utf-8")
    assert _build(docs, folder, models)[1], "a translation store change reruns the stages"
    (models / "translate-ru_en-1_9").mkdir()
    assert _build(docs, folder, models)[1], "a newly installed model reruns the stages"
    (tmp_path / "settings.yml").write_text("summarize:\n  max_sentences: 1\n", encoding="utf-8")
    assert _build(docs, folder, models, load_settings(tmp_path / "settings.yml"))[1]
    assert not _build(docs, folder, models, load_settings(tmp_path / "settings.yml"))[1]
