"""Reliability (issue 16): bad input gets `path:line: problem — fix` and a non-zero exit, a
failed build keeps the published site, nothing is written outside the tree, no finished
translation is lost. One section per class of the issue; each asserts the exact outcome
(exit status, the message and its line, files unchanged), through the real commands.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from digest.translation import models
from digest.errors import DigestError

from .conftest import MKDOCS, SHARED, Site

DIGEST = Path(sys.executable).parent / "digest"
PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
ZH_SOURCE = SHARED / "data" / "mt" / "wmt22-zh-en" / "generaltest2022.zh-en.src.zh"
needs_zh = pytest.mark.skipif(not (PACKAGE.exists() and ZH_SOURCE.exists()),
                              reason="../shared (zh->en model and WMT22 zh data) is absent")


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with a hash of its bytes: to show a folder did not change."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def rebuilt_tree(folder: Path) -> dict[str, str]:
    """tree(), for comparing two builds: Pagefind writes each filter's values in its hash
    map's order, which changes from run to run, and names its filter files, its metadata and
    entry file by their hashes. A filter file counts here by its bytes sorted (its values and
    pages, in any order); the metadata and entry file, which only name the others, are left
    out. Pages, fragments and index chunks are compared byte for byte."""
    files = tree(folder)
    kept = {name: digest for name, digest in files.items()
            if not (name.startswith("pagefind/filter/") or name.endswith(".pf_meta")
                    or name == "pagefind/pagefind-entry.json")}
    filters = sorted(hashlib.sha256(bytes(sorted(gzip.decompress(p.read_bytes())))).hexdigest()
                     for p in (folder / "pagefind" / "filter").glob("*.pf_filter"))
    return {**kept, "pagefind/filter (values in any order)": " ".join(filters)}


def run(site: Site, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """`digest ...` or `mkdocs build` in the site, as a user runs it."""
    command = [str(MKDOCS), "build"] if args[0] == "build" else [str(DIGEST), *args]
    return subprocess.run(command, cwd=site.root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                               models.ENV_VAR: str(site.root / "models"), **(env or {})})


def fails_with(result: subprocess.CompletedProcess, *expected: str) -> str:
    """The command exited 1 with each expected text in its output, and no traceback."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    for text in expected:
        assert text in output, f"{text!r} not in:\n{output}"
    return output


@pytest.fixture
def built(site: Site) -> Site:
    """A site with one good article, built once: the published site the tests must keep."""
    site.article("2015/12/good.md", title="A good headline", body="Lavrov met Kerry in Moscow.\n\nThey spoke.")
    site.build()
    return site


# -- 1. escapes ----------------------------------------------------------------------------

def fake_package(folder: Path, **meta) -> Path:
    """An unpacked package folder (its model files are placeholders): enough for names."""
    folder.mkdir(parents=True)
    for name in ("sentencepiece.model", "model/model.bin", "model/config.json"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_text("x")
    (folder / "metadata.json").write_text(json.dumps(
        {"from_code": "zh", "to_code": "en", "package_version": "1.9", **meta}))
    return folder


def evil_zip(path: Path, top: str = "translate-zh_en-1_9", link: str | None = None, **meta) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("sentencepiece.model", "model/model.bin", "model/config.json"):
            archive.writestr(f"{top}/{name}", "x")
        archive.writestr(f"{top}/metadata.json", json.dumps(
            {"from_code": "zh", "to_code": "en", "package_version": "1.9", **meta}))
        if link:
            info = zipfile.ZipInfo(f"{top}/{link}")
            info.external_attr = 0o120777 << 16  # a symbolic link, as Unix zip records it
            archive.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("meta, link, message", [
    ({"from_code": "zh_en-1_9/../../../../outside"}, None, "from_code 'zh_en-1_9/../../../../outside' is not a language code"),
    ({"to_code": "../../outside"}, None, "to_code '../../outside' is not a language code"),
    ({"package_version": "1/../../outside"}, None, "package_version '1/../../outside' is not a version number"),
    ({"from_code": "zh\nen"}, None, "is not a language code"),
    ({}, "evil", "'translate-zh_en-1_9/evil' is a symbolic link"),
])
def test_install_file_never_writes_outside_the_models_folder(tmp_path, meta, link, message):
    root = tmp_path / "deep" / "er" / "models"
    fake_package(root / "translate-zh_en-1_9")  # the models folder already holds a package
    package = evil_zip(tmp_path / "evil.argosmodel", link=link, **meta)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(DigestError) as error:
        models.install_file(package, root)
    assert message in str(error.value) and str(error.value).startswith(f"{tmp_path / 'evil.argosmodel'}:0:")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_a_link_in_the_translation_store_is_refused(site, tmp_path):
    site.article("2015/11/ru.md", title="'Лавров: Россия готова'", language="ru",
                 body="Министр иностранных дел России Сергей Лавров заявил о готовности.")
    outside = tmp_path / "outside"
    outside.mkdir()
    (site.docs / "translations").mkdir()
    (site.docs / "translations" / "articles").symlink_to(outside)
    for command in (("check",), ("build",), ("translate",)):
        fails_with(run(site, *command), "site_src/translations/articles:1: a symbolic link (to "
                   f"{outside}) in the translation store — replace it with the file or folder itself")
    assert list(outside.iterdir()) == [] and not site.site.exists()


# -- 2. a failed build keeps the published site ----------------------------------------------

def test_a_failed_build_leaves_the_published_site_as_it_was(built):
    published = tree(built.site)
    built.write("2015/12/bad.md", "---\ntitle: No source\npublished: 2015-12-14\n---\n\nText.\n")
    fails_with(built.build(check=False), "site_src/articles/2015/12/bad.md:1: missing required field 'source'")
    assert tree(built.site) == published
    assert [p.name for p in built.root.iterdir() if p.name.startswith(".site.")] == []


def test_a_killed_build_leaves_the_published_site_and_the_next_build_tidies_up(built):
    published = tree(built.site)
    built.article("2015/12/second.md", title="A second headline", body="Another text about Syria.")
    process = subprocess.Popen([str(MKDOCS), "build"], cwd=built.root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site.building-") and any(p.iterdir())
                  for p in built.root.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)  # mid-way: the staging folder has files, the build is not done
    process.wait()
    assert tree(built.site) == published
    built.build()
    assert "articles/2015/12/a-second-headline/index.html" not in published
    assert (built.site / "articles/2015/12/second/index.html").exists()
    assert leftovers(built.root) == []


def test_the_replaced_site_is_deleted_after_the_build_returns(built):
    """The old site is deleted by a process of its own, so the build does not wait for it."""
    built.article("2015/12/third.md", title="A third headline", body="Another text about Syria.")
    built.build()
    assert leftovers(built.root) == []
    assert (built.site / "articles/2015/12/third/index.html").exists()


def leftovers(root: Path, seconds: float = 20) -> list[str]:
    """The build's folders beside the site, once the background deletion of the replaced
    site has had up to `seconds` to finish."""
    deadline = time.monotonic() + seconds
    while True:
        found = sorted(p.name for p in root.iterdir() if p.name.startswith(".site."))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_build_is_swapped_in_with_normal_permissions(built):
    mode = stat.S_IMODE(built.site.stat().st_mode)
    assert mode == 0o777 & ~_umask(), oct(mode)  # not mkdtemp's 0700: a web server reads it


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- 3. values PyYAML builds itself ----------------------------------------------------------

FRONT = "---\ntitle: A headline\nsource: Reuters\n{field}\n---\n\nA text of the article.\n"


@pytest.mark.parametrize("field, line, message", [
    ("published: 2015-02-30", 4, "'published' is not a real date (day is out of range for month): '2015-02-30'"),
    ("published: 2015-13-01", 4, "'published' is not a real date (month must be in 1..12)"),
    ("published: 2015-01-01 25:00", 4, "'published' is not a real date (hour must be in 0..23)"),
    ("published: 2015-01-01T10:00:00+25:00", 4,
     "'published' is not a real date (the time zone offset is not between -24:00 and +24:00)"),
    ("published: 0001-01-01T00:30:00+01:00", 4, "'published' lies outside the calendar once its time zone is applied"),
    ("published: " + "9" * 5000, 4, "'published' is not an ISO 8601 date"),
    ("published: !!python/object/apply:os.system ['echo pwned']", 4,
     "the tag '!!python/object/apply:os.system' is not allowed here — remove the tag"),
    ("published: 2015-12-14\n? [a, b]\n: c", 5, "a key is a list or a mapping"),
    ("published: 2015-12-14\nsource: AP", 5, "front matter: 'source' is given twice (also on line 3) — keep one of the two lines"),
    ("published: 2015-12-14\ntags: !custom x", 5, "the tag '!custom' is not allowed here"),
])
def test_front_matter_values_are_problems_at_their_line(site, field, line, message):
    site.write("2015/12/x.md", FRONT.format(field=field))
    result = run(site, "check")
    fails_with(result, f"site_src/articles/2015/12/x.md:{line}: ")
    assert message in result.stdout


@pytest.mark.parametrize("title", ["2015-02-30", "9" * 5000, "0001-01-01T00:30:00+01:00"])
def test_a_title_that_looks_like_a_value_is_text(site, title):
    site.write("2015/12/x.md", f"---\ntitle: {title}\nsource: Reuters\npublished: 2015-12-14\n---\n\nText of it.\n")
    site.build()
    assert title[:100] in site.page("articles/2015/12/x/index.html")


@pytest.mark.parametrize("registry, line, message", [
    ("- name: X\n  name: Y\n  type: person\n", 2, "'name' is given twice (also on line 1)"),
    ("- ? [a]\n  : b\n  name: X\n  type: person\n", 1, "a key is a list or a mapping"),
    ("- name: !!python/object/apply:os.system ['id']\n  type: person\n", 1, "the tag '!!python/object/apply:os.system'"),
    ('- name: "A\\0B"\n  type: person\n', 1, "control characters (such as NUL) in a value"),
    ("- name: X\n  type: person\n  aliases: [2015-02-30]\n", None, None),  # a date-like alias is text
])
def test_registry_values(site, registry, line, message):
    site.article("2015/12/a.md")
    (site.docs / "entities.yml").write_text(registry)
    result = run(site, "check")
    if message is None:
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        fails_with(result, f"site_src/entities.yml:{line}: {message}")


def test_a_registry_that_is_not_utf8_or_a_folder(site):
    site.article("2015/12/a.md")
    (site.docs / "entities.yml").write_bytes("- name: Сергей Лавров\n  type: person\n  aliases: [Лавров, "
                                             "министр иностранных дел России]\n".encode("cp1251"))
    fails_with(run(site, "check"), "site_src/entities.yml:1: file is not UTF-8 (it looks like ",
               "-t utf-8 'site_src/entities.yml'")
    (site.docs / "entities.yml").unlink()
    (site.docs / "entities.yml").mkdir()
    fails_with(run(site, "check"), "site_src/entities.yml:1: a folder, where a file is expected")


@pytest.mark.parametrize("settings, line, message", [
    ("translate: !!python/object/apply:os.system ['id']\n", 1, "the tag '!!python/object/apply:os.system'"),
    ("articles:\n  future_tolerance_days: 2015-02-30\n", 2,
     "'articles.future_tolerance_days' must be a whole number, not '2015-02-30'"),
    ("translate: 3\n", 1, "translate must be a group of `key: value` lines"),
    ("translate:\n  store_dir: ../../outside\n", 1, "'translate.store_dir' must name a path inside the docs dir"),
    ("translate:\n  beam_size: " + "9" * 5000 + "\n", 2, "'translate.beam_size' must be a whole number"),
    ("articles:\n  slug_max_length: 60\n  published_from: last week\n", 3,
     "'articles.published_from' must be a date (YYYY-MM-DD), not 'last week'"),
])
def test_settings_values(site, settings, line, message):
    site.article("2015/12/a.md")
    (site.root / "settings.yml").write_text(settings)
    fails_with(run(site, "check", "--settings", "settings.yml"), f"settings.yml:{line}: {message}")
    site.plugin_options("settings: settings.yml")
    fails_with(site.build(check=False), f"settings.yml:{line}: {message}")


def test_links_folders_and_case_under_articles(site, tmp_path):
    site.article("2015/12/a.md")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\nsource: X\npublished: 2015-12-14\n---\n\nSecret text.\n")
    (site.articles / "linked").symlink_to(outside)
    (site.articles / "dead.md").symlink_to(tmp_path / "nowhere.md")
    site.article("UPPER.MD")
    (site.articles / "folder.md").mkdir()
    output = fails_with(run(site, "check"),
                        f"site_src/articles/linked:1: a symbolic link (to {outside}): articles are read only from files in the repository",
                        f"site_src/articles/dead.md:1: a symbolic link (to {tmp_path / 'nowhere.md'})",
                        "site_src/articles/UPPER.MD:1: the file name ends in '.MD', so it is not read as an article — rename it to UPPER.md",
                        "warning: site_src/articles/folder.md:1: a folder named like an article file")
    assert "Secret" not in output


# -- 4. models, store, cache, Pagefind, disk ---------------------------------------------------

@needs_zh
@pytest.mark.parametrize("damage, message", [
    ("sentencepiece.model", "could not parse ModelProto"),
    ("model/model.bin", "invalid payload size"),
    ("model/config.json", "parse error"),
])
def test_a_damaged_model_names_its_folder_and_other_languages_translate(site, damage, message):
    root = site.root / "models"
    installed, _ = models.install_file(PACKAGE, root)
    # A second package (Japanese, from the same files) that is damaged: Chinese still translates.
    broken = root / "translate-ja_en-1_9"
    shutil.copytree(installed.path, broken)
    meta = json.loads((broken / "metadata.json").read_text())
    (broken / "metadata.json").write_text(json.dumps({**meta, "from_code": "ja", "from_name": "Japanese"}))
    target = broken / damage
    target.write_bytes(target.read_bytes()[: max(10, target.stat().st_size // 3)] if damage.endswith(".bin") else b"{garbage")
    zh = ZH_SOURCE.read_text(encoding="utf-8").split("\n")
    site.article("2015/12/zh.md", title=zh[3], language="zh", body=zh[4])
    site.article("2015/12/ja.md", title="日本の首相が会談", language="ja", body="日本の首相は水曜日に会談した。")
    output = fails_with(run(site, "translate"), f"{broken}:0: the ja->en model does not load", message,
                        "reinstall it: `digest models install-file PATH.argosmodel` or `digest models install ja`")
    assert "1 of 2 non-English articles have English text" in output
    assert (site.docs / "translations/articles/2015/12/zh.md").is_file()


def test_install_file_of_a_damaged_zip(tmp_path):
    good = evil_zip(tmp_path / "good.argosmodel")
    data = good.read_bytes()
    bad = tmp_path / "bad.argosmodel"
    bad.write_bytes(data[:40] + b"\0" * 200 + data[240:])  # the central directory survives
    with pytest.raises(DigestError) as error:
        models.install_file(bad, tmp_path / "models")
    assert str(error.value).startswith(f"{bad}:0: not a valid Argos package: the archive is damaged")
    assert [p.name for p in (tmp_path / "models").iterdir()] == []


def test_a_models_folder_that_is_a_file(site):
    (site.root / "models").write_text("not a folder")
    site.article("2015/12/a.md")
    for command in (("models", "list"), ("translate",), ("models", "install-file", "x.argosmodel")):
        if command[-1] == "x.argosmodel":
            evil_zip(site.root / "x.argosmodel")
        fails_with(run(site, *command), f"{site.root / 'models'}:0: the models folder is a file, not a folder")


def test_a_cache_that_is_a_file_or_holds_the_wrong_types(built):
    cache = built.root / ".cache" / "digest"
    published = rebuilt_tree(built.site)
    assert {stat.S_IMODE(p.stat().st_mode) for p in cache.glob("*.pickle")} == {0o666 & ~_umask()}
    for stage in cache.glob("*.pickle"):  # every entry of every stage replaced by a wrong type
        import pickle
        entries = pickle.loads(stage.read_bytes())
        stage.write_bytes(pickle.dumps({key: [1, 2] for key in entries}))
    built.build()
    assert rebuilt_tree(built.site) == published
    shutil.rmtree(cache)
    cache.write_text("a file")
    result = built.build()
    assert f"{cache}: cannot write the build cache" in result.stderr and "Traceback" not in result.stderr
    assert rebuilt_tree(built.site) == published


def test_a_folder_in_place_of_a_store_entry(site):
    site.article("2015/11/ru.md", title="'Лавров: Россия готова'", language="ru",
                 body="Министр иностранных дел России Сергей Лавров заявил о готовности.")
    (site.docs / "translations/articles/2015/11/ru.md").mkdir(parents=True)
    fails_with(run(site, "check"), "site_src/translations/articles/2015/11/ru.md:1: a folder where the translation file belongs")
    fails_with(run(site, "build"), "translations/articles/2015/11/ru.md:1: a folder where the translation file belongs")


def test_pagefind_dying_fails_the_build_cleanly(built, monkeypatch):
    """The real service, killed as the first page reaches it (in-process build, so that the
    kill lands at a known moment)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from digest.site import search_index

    published = tree(built.site)
    # A new page: the published search index cannot be carried over whole.
    built.article("2015/12/more.md", title="Another headline", body="Kerry left Moscow.")
    real_add = search_index.PagefindIndexer.add

    def add_after_kill(self, html, url):
        self._proc.kill()
        self._proc.wait()
        return real_add(self, html, url)

    monkeypatch.setattr(search_index.PagefindIndexer, "add", add_after_kill)
    monkeypatch.chdir(built.root)
    config = load_config(str(built.root / "mkdocs.yml"), cache=False)
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    assert tree(built.site) == published


def test_a_full_disk_fails_the_build_with_one_line(built):
    mount = built.root / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root): the full-disk case is not run")
    try:
        (mount / "site").mkdir()
        (mount / "site" / "index.html").write_text("the published site")
        config = built.root / "mkdocs.yml"
        config.write_text(config.read_text() + f"site_dir: {mount / 'site'}\n")
        result = built.build(check=False)
        assert "Traceback" not in result.stderr
        assert result.returncode == 1
        assert f"Error: {mount / 'site'}:0: cannot build the site: No space left on device" in result.stderr
        assert "free disk space, then build again; the published site" in result.stderr
        assert (mount / "site" / "index.html").read_text() == "the published site"
        assert sorted(p.name for p in mount.iterdir()) == ["site"]
    finally:
        subprocess.run(["umount", str(mount)], check=True)


# -- 5. lost translation work ------------------------------------------------------------------

@needs_zh
def test_a_killed_translate_keeps_the_finished_articles(site):
    models.install_file(PACKAGE, site.root / "models")
    lines = [line for line in ZH_SOURCE.read_text(encoding="utf-8").split("\n") if line.strip()]
    for n in range(8):
        chunk = lines[n * 6:(n + 1) * 6]
        site.article(f"2016/01/zh{n}.md", title=chunk[0][:40].replace(":", " "), language="zh",
                     body="\n\n".join(chunk[1:]))
    (site.root / "settings.yml").write_text("translate:\n  chunk_sentences: 6\n")
    store = site.docs / "translations" / "articles" / "2016" / "01"
    process = subprocess.Popen([str(DIGEST), "translate", "--settings", "settings.yml"], cwd=site.root,
                               env={**os.environ, models.ENV_VAR: str(site.root / "models")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (store.is_dir() and any(store.glob("*.md"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    kept = sorted(p.name for p in store.glob("*.md"))
    assert 1 <= len(kept) < 8, kept  # killed midway, with finished articles stored
    assert stat.S_IMODE((store / kept[0]).stat().st_mode) == 0o666 & ~_umask()
    result = run(site, "check")  # the kept files are whole: check serves them from the store
    assert result.stdout.count("no English translation") == 8 - len(kept), result.stdout
    assert not list(store.glob(".*.tmp"))


# -- 6. `digest add` writes only what `digest check` accepts -----------------------------------

RAW = "A headline long enough to be a headline\n\nMOSCOW, December 14. The text of the article, a sentence long.\n"


@pytest.mark.parametrize("flags, message", [
    (["--language", "xx"], "raw.txt:1: unknown language code 'xx'"),
    (["--published", "2999-01-01"], "raw.txt:1: 'published' is in the future: 2999-01-01"),
    (["--url", "javascript:alert(1)"], "raw.txt:1: 'url' is not an http(s) address: 'javascript:alert(1)'"),
    (["--published", "2015-02-30"], "raw.txt:1: --published '2015-02-30' is not an ISO 8601 date"),
    (["--title", "   "], "raw.txt:1: field 'title' is empty"),
])
def test_add_refuses_what_check_would_reject(site, flags, message):
    (site.root / "raw.txt").write_text(RAW)
    before = tree(site.root)
    fails_with(run(site, "add", "raw.txt", "--source", "TASS", "--published", "2015-12-14", *flags), message)
    assert tree(site.root) == before and list(site.articles.iterdir()) == []


def test_add_normalizes_a_title_with_a_fence_and_long_titles_get_two_slugs(site):
    (site.root / "raw.txt").write_text(RAW)
    result = run(site, "add", "raw.txt", "--source", "TASS", "--published", "2015-12-14",
                 "--title", "A\n---\nsource: evil")
    assert result.returncode == 0, result.stderr
    written = next(site.articles.rglob("*.md")).read_text()
    assert written.startswith("---\ntitle: 'A --- source: evil'\nsource: TASS\n")
    stem = "word " * 16  # 80 characters of slug in common
    for n, ending in enumerate(("first ending", "second ending")):
        (site.root / f"long{n}.txt").write_text(f"{stem}{ending}\n\nMOSCOW, December 14. Text number {n} "
                                                f"about something else entirely, {'and more ' * n}words.\n")
        assert run(site, "add", f"long{n}.txt", "--source", "TASS", "--published", "2015-12-14").returncode == 0
    assert run(site, "check").returncode == 0
    assert stat.S_IMODE(written and next(site.articles.rglob("*.md")).stat().st_mode) == 0o666 & ~_umask()


def test_two_concurrent_adds_of_one_text_add_it_once(site):
    (site.root / "raw.txt").write_text(RAW)
    command = [str(DIGEST), "add", "raw.txt", "--source", "TASS", "--published", "2015-12-14"]
    processes = [subprocess.Popen(command, cwd=site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    codes = sorted(p.wait() for p in processes)
    assert codes == [0, 1]
    assert len(list(site.articles.rglob("*.md"))) == 1


# -- 7. silent acceptance --------------------------------------------------------------------

def test_control_characters_from_yaml_escapes_are_dropped_with_a_warning(site):
    site.write("2015/12/x.md", '---\ntitle: "A\\0B\\x07C"\nsource: Reuters\npublished: 2015-12-14\n---\n\nText.\n')
    result = run(site, "check")
    assert result.returncode == 0
    assert ("warning: site_src/articles/2015/12/x.md:2: control characters (such as NUL) in a value were "
            "dropped") in result.stdout
    site.build()
    page = site.page("articles/2015/12/x/index.html")
    assert "ABC" in page and "\0" not in page and "\x07" not in page


def test_control_characters_in_the_store_are_dropped_with_a_warning(site):
    site.article("2015/11/ru.md", title="'Лавров: Россия готова'", language="ru",
                 body="Министр иностранных дел России Сергей Лавров заявил о готовности.")
    entry = site.docs / "translations/articles/2015/11/ru.md"
    entry.parent.mkdir(parents=True)
    entry.write_text("---\nsource_sha256: x\nmodel: m\nmodel_version: '1'\nedited: true\n---\n"
                     "# Lavrov\x00 is ready\n\nThe text\x01 of it.\n")
    result = site.build()
    assert f"{entry}:7: control characters (such as NUL) in the translation were dropped" in result.stderr
    page = site.page("articles/2015/12/ru/index.html")
    assert "Lavrov is ready" in page and "\0" not in page and "\x01" not in page
    index = "".join(p.read_text(errors="replace") for p in (site.site / "pagefind").rglob("*.json"))
    assert "\0" not in index


def test_check_of_a_docs_dir_that_does_not_exist(site):
    fails_with(run(site, "check", "--docs-dir", "/nonexistent"), "/nonexistent:0: no such folder")
    fails_with(run(site, "translate", "--docs-dir", "/nonexistent"), "/nonexistent:0: no such folder")


def test_more_shapes_of_bad_input_are_named(site):
    site.article("2015/12/a.md")
    (site.root / "rules.yml").write_text("rules: 3\n")
    (site.root / "s.yml").write_text("clean:\n  extra_pattern_files: [rules.yml]\n")
    fails_with(run(site, "check", "--settings", "s.yml"), "rules.yml:1: a rule file holds `rules:`, a list of rules")
    (site.root / "empty.html").write_text("<html><body></body></html>")
    fails_with(run(site, "add", "empty.html", "--title", "T", "--source", "X", "--published", "2015-12-14"),
               "empty.html:1: no article text found in the page")
    (site.root / "raw.txt").write_text(RAW)
    (site.root / "afile").write_text("x")
    fails_with(run(site, "add", "raw.txt", "--docs-dir", "afile"), "afile:0: the docs dir is not a folder")
    shutil.rmtree(site.articles)
    site.articles.write_text("x")
    fails_with(run(site, "check"), "site_src/articles:1: a file where the articles folder belongs")


def test_a_store_or_site_folder_in_a_file(site, tmp_path):
    site.article("2015/11/ru.md", title="'Лавров: Россия готова'", language="ru",
                 body="Министр иностранных дел России Сергей Лавров заявил о готовности.")
    (site.docs / "translations").write_text("not a folder")
    fails_with(run(site, "check"), "site_src/translations:1: a file where a folder of the translation store belongs")
    (site.docs / "translations").unlink()
    (site.root / "afile").write_text("x")
    config = site.root / "mkdocs.yml"
    config.write_text(config.read_text() + "site_dir: afile/site\n")
    fails_with(site.build(check=False), f"{site.root / 'afile'}:0: cannot create the new site next to "
               f"{site.root / 'afile' / 'site'}: File exists — make {site.root / 'afile'} a writable folder")


BOMB = "".join([f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")])


def test_an_alias_bomb_is_quoted_short(site):
    """Nine levels of nine aliases stand for 387 million items: a message that printed the
    value would never end."""
    site.write("2015/12/x.md", f"---\na: &a [x, x, x, x, x, x, x, x, x]\n{BOMB}title: A\nsource: B\npublished: *i\n---\n\nText.\n")
    (site.docs / "entities.yml").write_text(f"- a: &a [x, x, x, x, x, x, x, x, x]\n  {BOMB.replace(chr(10), chr(10) + '  ')}"
                                            "name: X\n  type: *i\n  wikidata: *i\n  slug: *i\n")
    result = subprocess.run([str(DIGEST), "check"], cwd=site.root, capture_output=True, text=True, timeout=60)
    fails_with(result, "site_src/articles/2015/12/x.md:13: 'published' is not a date: [[[...], [...], [...], [...], ...], ")
    assert "site_src/entities.yml:11: type '[[[...], [...], [...], [...], ...], " in result.stdout
    assert "site_src/entities.yml:13: `slug` must be text" in result.stdout
    assert len(result.stdout) < 5000  # one short line per problem


def test_check_of_a_folder_without_articles_asks_whether_it_is_the_docs_dir(site, tmp_path):
    """`digest check --docs-dir` of the wrong folder said "0 article(s) checked: 0 error(s)" and
    nothing else; an empty digest stays valid (exit 0), and says why it checked nothing."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(site, "check", "--docs-dir", str(elsewhere))
    assert result.returncode == 0
    assert f"{elsewhere} holds no articles/ folder: is it the digest's docs dir?" in result.stderr
    site.article("2015/12/a.md")
    assert "holds no articles/" not in run(site, "check").stderr
