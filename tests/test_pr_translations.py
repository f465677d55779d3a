"""scripts/pr-translations, the pull-request workflow's translation step, run as GitHub runs
it: in a git clone of a repository holding a new Chinese article, with the real zh->en model
installed. A branch of the same repository gets a pushed commit with the translation; a fork
gets translations.patch and the commands that add it; `digest check` then tells a pending
translation from a missing model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digest.translation import models

from .conftest import REPO, Site
from .zh_model import PACKAGE, SOURCE, needs_shared

DIGEST = Path(sys.executable).parent / "digest"
SCRIPT = REPO / "scripts" / "pr-translations"
STORE_FILE = "site_src/translations/articles/2016/01/zh.md"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    if not PACKAGE.exists():
        pytest.skip(f"{PACKAGE} is absent")
    root = tmp_path_factory.mktemp("models")
    models.install_file(PACKAGE, root)
    return root


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A pull request's checkout: a clone (of a bare 'origin') whose branch adds a Chinese
    article and no translation; the script is where the workflow finds it."""
    (tmp_path / "work").mkdir()
    site = Site(tmp_path / "work")
    zh = SOURCE.read_text(encoding="utf-8").split("\n")
    site.article("2016/01/zh.md", title=zh[3].split("-")[0], source="Xinhua", published="2016-01-05",
                 language="zh", body="\n\n".join(zh[4:7]))
    (site.root / "scripts").mkdir()
    shutil.copy(SCRIPT, site.root / "scripts" / "pr-translations")
    git(site.root, "init", "-q", "-b", "pr")
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "add a Chinese article")
    git(tmp_path, "init", "-q", "--bare", "origin.git")
    git(site.root, "remote", "add", "origin", str(tmp_path / "origin.git"))
    git(site.root, "push", "-q", "origin", "pr")
    return site.root


def script(clone: Path, models_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(clone / "scripts" / "pr-translations")], cwd=clone, capture_output=True, text=True,
                          env={**os.environ, "DIGEST": str(DIGEST), models.ENV_VAR: str(models_dir), **env})


def check(clone: Path, models_dir: Path) -> str:
    return subprocess.run([str(DIGEST), "check"], cwd=clone, capture_output=True, text=True,
                          env={**os.environ, models.ENV_VAR: str(models_dir)}).stdout


@needs_shared
def test_check_tells_a_pending_translation_from_a_missing_model(clone, models_dir, tmp_path):
    assert ("warning: site_src/articles/2016/01/zh.md:1: no English translation (Chinese) yet: the model is "
            "installed — run `digest translate site_src/articles/2016/01/zh.md` and commit the file") \
        in check(clone, models_dir)
    assert ("warning: site_src/articles/2016/01/zh.md:1: no English translation (Chinese) and no Chinese → "
            f"English model in {tmp_path / 'none'} — install it with `digest models install zh`") \
        in check(clone, tmp_path / "none")


@needs_shared
def test_a_branch_of_the_repository_gets_the_translation_pushed(clone, models_dir, tmp_path):
    result = script(clone, models_dir, PUSH="1", BRANCH="pr")
    assert result.returncode == 0, result.stderr
    assert "pushed 1 machine translation(s) to pr: review them in the pull request's diff" in result.stdout
    pushed = git(tmp_path / "origin.git", "show", "--stat", "--format=%s", "pr")
    assert pushed.startswith("Machine translations of the new articles, for review") and STORE_FILE in pushed
    assert "no English translation" not in check(clone, models_dir)
    again = script(clone, models_dir, PUSH="1", BRANCH="pr")  # the next push of the PR: nothing new
    assert again.returncode == 0 and "no translation to add" in again.stdout
    assert git(tmp_path / "origin.git", "rev-parse", "pr") == git(clone, "rev-parse", "HEAD")


@needs_shared
def test_a_fork_gets_a_patch_and_the_commands_to_add_it(clone, models_dir, tmp_path):
    result = script(clone, models_dir, RUN_ID="123")
    assert result.returncode == 0, result.stderr
    assert "1 machine translation(s) are in translations.patch" in result.stdout
    assert "gh run download 123 -n translations && git apply translations.patch" in result.stdout
    assert git(clone, "status", "--porcelain", "--", "site_src") == f"?? site_src/translations/\n"
    # The contributor's own clone: applying the patch adds exactly the translation.
    contributor = tmp_path / "contributor"
    git(tmp_path, "clone", "-q", "-b", "pr", str(tmp_path / "origin.git"), str(contributor))
    shutil.copy(clone / "translations.patch", contributor)
    git(contributor, "apply", "translations.patch")
    assert (contributor / STORE_FILE).read_text() == (clone / STORE_FILE).read_text()
    assert "no English translation" not in check(contributor, models_dir)
