"""Shared fixtures: a real digest site in a temp dir, built by the real MkDocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
MKDOCS = Path(sys.executable).parent / "mkdocs"


def requires_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: these tests read ../shared beside the repository")
    return path


class Site:
    """A throwaway digest: the repo's mkdocs.yml and theme, with articles of the test's choosing."""

    def __init__(self, root: Path):
        self.root = root
        self.docs = root / "site_src"
        self.articles = self.docs / "articles"
        self.site = root / "site"
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO / "theme", root / "theme")
        self.articles.mkdir(parents=True)
        shutil.copy(REPO / "site_src" / "about.md", self.docs / "about.md")

    def write(self, rel: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.articles / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
        return path

    def article(self, rel: str, title: str = "A headline", source: str = "Reuters",
                published: str = "2015-12-14", body: str = "First paragraph.\n\nSecond paragraph.",
                **extra: str) -> Path:
        lines = ["---", f"title: {title}", f"source: {source}", f"published: {published}"]
        lines += [f"{key}: {value}" for key, value in extra.items()]
        path = self.articles / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines + ["---", "", body, ""]), encoding="utf-8")
        return path

    def plugin_options(self, text: str) -> None:
        """The digest plugin's options in this site's mkdocs.yml: `text`, YAML lines."""
        set_plugin_options(self.root / "mkdocs.yml", text)

    def build(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([str(MKDOCS), "build", *args], cwd=self.root, env=env,
                                capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"mkdocs build failed:\n{result.stderr}")
        return result

    def digest(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(Path(sys.executable).parent / "digest"), *args], cwd=self.root,
                              capture_output=True, text=True)

    def page(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def set_plugin_options(config: Path, text: str) -> None:
    """Give the digest plugin of a copy of the repository's mkdocs.yml these options (YAML lines)."""
    original = config.read_text(encoding="utf-8")
    assert "  digest: {}\n" in original, "mkdocs.yml names the digest plugin as `digest: {}` under plugins"
    options = "".join(f"    {line}\n" for line in text.splitlines())
    config.write_text(original.replace("  digest: {}\n", "  digest:\n" + options), encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture
def seed_site(tmp_path: Path) -> Site:
    """The five seeds imported exactly as scripts/import-seeds.sh imports them."""
    requires_shared("seeds")
    site = Site(tmp_path)
    shutil.copy(REPO / "site_src" / "entities.yml", site.docs / "entities.yml")  # the editors' registry
    env = {**os.environ, "SEEDS": str(SEEDS), "DIGEST": str(Path(sys.executable).parent / "digest")}
    script = tmp_path / "scripts" / "import-seeds.sh"
    script.parent.mkdir()
    shutil.copy(REPO / "scripts" / "import-seeds.sh", script)
    subprocess.run(["bash", str(script)], cwd=tmp_path, env=env, check=True, capture_output=True)
    return site
