"""The translation store: reuse without a model, retranslation, edits, corruption, atomicity."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from digest.errors import DigestError
from digest.model import Translation
from digest.settings import load_settings
from digest.translation.store import TranslationStore, text_hash
from digest.translation.translate import source_text, translate

# Fixtures are used by name: pytest finds them through this import.
from .zh_model import PACKAGE, SOURCE, make_article, models_dir, needs_shared, no_models_env, zh  # noqa: F401


def article(zh, start=40):
    return make_article("story", zh[start], zh[start + 1:start + 3])


def machine(title="Title", paragraphs=("One.", "Two.")) -> Translation:
    return Translation(title=title, paragraphs=list(paragraphs), model="translate-zh_en",
                       model_version="1.9", source_language="zh")


def set_front(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


@needs_shared
def test_a_published_digest_rebuilds_without_any_model(models_dir, tmp_path, zh, caplog):
    store = TranslationStore(tmp_path / "translations")
    first = article(zh)
    translate([first], load_settings(), store, models_dir)
    path = store.path_for(first)
    saved = path.read_text(encoding="utf-8")
    again = article(zh)
    with caplog.at_level(logging.WARNING):
        translate([again], load_settings(), store, tmp_path / "no-models-here")
    assert again.translation == first.translation and not again.translation.stale
    assert caplog.text == "" and path.read_text(encoding="utf-8") == saved


@needs_shared
def test_changed_source_is_retranslated(models_dir, tmp_path, zh):
    store = TranslationStore(tmp_path)
    old = article(zh)
    translate([old], load_settings(), store, models_dir)
    changed = article(zh)
    changed.paragraphs[1] = zh[50]
    translate([changed], load_settings(), store, models_dir)
    assert changed.translation.paragraphs[0] == old.translation.paragraphs[0]
    assert changed.translation.paragraphs[1] != old.translation.paragraphs[1]
    assert text_hash(*source_text(changed)) in store.path_for(changed).read_text(encoding="utf-8")
    assert store.lookup(changed, text_hash(*source_text(changed))).status == "current"


@needs_shared
@pytest.mark.parametrize("mark_edited", [True, False])
def test_edited_translation_survives_a_source_change_flagged_stale(models_dir, tmp_path, zh,
                                                                   caplog, mark_edited):
    store = TranslationStore(tmp_path)
    original = article(zh)
    translate([original], load_settings(), store, models_dir)
    path = store.path_for(original)
    # An editor fixes a paragraph (and, or forgets to, set the flag).
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(original.translation.paragraphs[0], "Fixed by an editor."),
                    encoding="utf-8")
    if mark_edited:
        set_front(path, "edited", "true")
    edited = path.read_text(encoding="utf-8")
    changed = article(zh)
    changed.paragraphs[0] = zh[60]
    with caplog.at_level(logging.WARNING):
        translate([changed], load_settings(), store, models_dir)
    assert changed.translation.paragraphs[0] == "Fixed by an editor."
    assert changed.translation.edited and changed.translation.stale
    assert f"{path}: articles/story.md changed" in caplog.text
    assert ("not marked" in caplog.text) is (not mark_edited)
    assert path.read_text(encoding="utf-8") == edited


@needs_shared
@pytest.mark.parametrize("damage", [
    "---\nsource_sha256: [unclosed\n---\n# T\n",  # YAML syntax error
    "no front matter at all",
    "---\nedited: maybe\nsource_sha256: x\nmodel: m\nmodel_version: 1\n---\n# T\n",
    "\udcff",  # not UTF-8 once written with surrogateescape
])
def test_corrupt_entry_is_reported_and_retranslated(models_dir, tmp_path, zh, caplog, damage):
    store = TranslationStore(tmp_path)
    entry = article(zh)
    path = store.path_for(entry)
    path.parent.mkdir(parents=True)
    path.write_bytes(damage.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING):
        translate([entry], load_settings(), store, models_dir)
    assert f"{path}: unreadable translation" in caplog.text
    assert entry.translation is not None
    assert store.lookup(entry, text_hash(*source_text(entry))).status == "current"


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    store = TranslationStore(tmp_path)
    entry = make_article("story", "标题", ["段落。"])
    path = store.save(entry, machine(), "hash-1")
    before = path.read_text(encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DigestError, match=f"{path}:1: cannot write the translation: disk full"):
        store.save(entry, machine(title="New"), "hash-2")
    assert path.read_text(encoding="utf-8") == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_process_killed_mid_write_leaves_old_file_readable(tmp_path):
    store = TranslationStore(tmp_path)
    entry = make_article("story", "标题", ["段落。"])
    path = store.save(entry, machine(), "hash-1")
    # A child process starts rewriting the entry and is SIGKILLed after writing half of it.
    child = f"""
import datetime as dt, os, signal
from pathlib import Path
from digest.model import Article, Translation
from digest.translation.store import TranslationStore

def die(fd):
    os.kill(os.getpid(), signal.SIGKILL)
os.fsync = die
entry = Article(path=Path("/site/articles/story.md"), rel_path="articles/story.md", slug="story",
                title="标题", source="Xinhua", published=dt.datetime(2024, 5, 1), has_time=False,
                body="段落。", body_line=6, language="zh")
TranslationStore({str(tmp_path)!r}).save(entry, Translation("Title", ["x" * 100000],
                                         "translate-zh_en", "1.9", "zh"), "hash-2")
"""
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    found = store.lookup(entry, "hash-1")
    assert found.status == "current" and found.translation == machine()
    # The next write replaces the entry and sweeps the killed write's temporary file.
    assert len(list(tmp_path.rglob(".story.md.*.tmp"))) == 1
    store.save(entry, machine(title="New"), "hash-2")
    assert sorted(p.name for p in path.parent.iterdir()) == ["story.md"]
    assert store.lookup(entry, "hash-2").translation.title == "New"


def test_untouched_machine_text_is_not_taken_for_an_edit(tmp_path):
    store = TranslationStore(tmp_path)
    entry = make_article("story", "标题", ["段落。"])
    store.save(entry, machine(paragraphs=["- a\n- b", "> quoted"]), "hash-1")
    found = store.lookup(entry, "hash-2")
    assert found.status == "outdated" and not found.translation.edited
    assert found.translation.paragraphs == ["- a\n- b", "> quoted"]


@needs_shared
def test_from_store_serves_what_the_store_holds_without_a_model(models_dir, tmp_path, zh):
    from digest.translation.translate import from_store, untranslated_problems

    store = TranslationStore(tmp_path)
    done = article(zh)
    translate([done], load_settings(), store, models_dir)
    again, other = article(zh), make_article("other", zh[70], [zh[71]])
    pending = from_store([again, other], store)
    assert again.translation == done.translation and other.translation is None
    assert [a.rel_path for a, _, _ in pending["zh"]] == ["articles/other.md"]
    assert [p.path for p in untranslated_problems([again, other])] == [str(other.path)]


def test_stored_machine_output_reads_with_english_apostrophes(tmp_path):
    """Translations stored before the decoder joined "People ' s" back read as English writes
    them; one an editor marked edited is read as typed."""
    store = TranslationStore(tmp_path)
    item = make_article("court", "余姚市人民法院", ["为此，陆先生将林某起诉至余姚市人民法院。"])
    source = text_hash(*source_text(item))
    path = store.save(item, machine("Yuyao People ' s Court", ["Mr. Lu sued Lin at the Yuyao People ' s Court."]),
                      source)
    found = store.lookup(item, source)
    assert (found.status, found.translation.title) == ("current", "Yuyao People's Court")
    assert found.translation.paragraphs == ["Mr. Lu sued Lin at the Yuyao People's Court."]
    assert not found.translation.edited
    set_front(path, "edited", "true")
    assert store.lookup(item, source).translation.title == "Yuyao People ' s Court"
