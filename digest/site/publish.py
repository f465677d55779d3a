"""The site is replaced whole, or not at all.

MkDocs empties `site_dir` before it reads a single page, so a build that fails (an article
without `source:`), or is killed, would leave no site or half of one. The plugin points
MkDocs at a staging folder beside the site instead (`.site.building-<pid>-<random>`) and,
once every page, feed and index is written, swaps it in: the published folder is renamed
aside, the new one renamed into place, the old one deleted (in the background: the build
returns meanwhile). Two renames in one folder: a reader (or a web server) sees the old site
or the new one.

A staging folder left by a killed build is deleted by the next build; if a build was killed
between the two renames, the next one first puts the old site back. `mkdocs serve` works the
same way in its temporary folder, so a failed rebuild keeps the last good preview. A
`--dirty` build writes in place, as MkDocs does (it updates the site it finds).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..atomic import FOLDER_MODE
from ..errors import DigestError, Problem


class StagedSite:
    def __init__(self, site_dir: str | Path):
        self.site = Path(os.path.abspath(site_dir))
        self.staging: Path | None = None

    def start(self) -> Path:
        """Make the staging folder (and recover from a killed build); return its path."""
        parent, name = self.site.parent, self.site.name
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self._recover()
            self.staging = Path(tempfile.mkdtemp(prefix=f".{name}.building-{os.getpid()}-", dir=parent))
            os.chmod(self.staging, FOLDER_MODE)  # mkdtemp's 0700 would hide the site from a web server
        except OSError as exc:
            raise DigestError(Problem(parent, 0, f"cannot create the new site next to {self.site}: {exc.strerror}",
                                      f"make {parent} a writable folder (or set site_dir to one)")) from None
        return self.staging

    def publish(self) -> None:
        """Swap the finished staging folder in place of the site."""
        if self.staging is None:
            return
        old = None
        try:
            if self.site.is_symlink() or self.site.exists():
                if not self.site.is_dir() or self.site.is_symlink():
                    raise DigestError(Problem(self.site, 0, "site_dir is not a folder (a file or a link)",
                                              "remove it, or set site_dir to another path"))
                old = self._aside("old")
                os.rename(self.site, old)
            os.rename(self.staging, self.site)
        except OSError as exc:
            if old is not None and not self.site.exists():
                os.rename(old, self.site)  # put the published site back
            raise DigestError(Problem(self.site, 0, f"cannot replace the site: {exc.strerror}",
                                      f"make {self.site.parent} writable; the published site is unchanged")) from None
        self.staging = None
        if old is not None:
            _delete_in_background(old)

    def discard(self) -> None:
        """Delete the staging folder: the published site stays as it was. Tried again for
        up to 2 s: under load, a write the failed build started (seen once in a full suite,
        on a full disk) can land after the first pass."""
        if self.staging is not None:
            for _ in range(20):
                shutil.rmtree(self.staging, ignore_errors=True)
                if not self.staging.exists():
                    break
                time.sleep(0.1)
            self.staging = None

    def _aside(self, kind: str) -> Path:
        return self.site.parent / f".{self.site.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"

    def _recover(self) -> None:
        """Folders of builds that died: staging ones are deleted; an old site whose build
        died between the two renames is put back."""
        pattern = re.compile(rf"\.{re.escape(self.site.name)}\.(building|old)-(\d+)-")
        for path in sorted(self.site.parent.iterdir()):
            match = pattern.match(path.name)
            if not match or _alive(int(match[2])):
                continue
            if match[1] == "old" and not (self.site.exists() or self.site.is_symlink()):
                os.rename(path, self.site)
            else:
                shutil.rmtree(path, ignore_errors=True)


def _delete_in_background(folder: Path) -> None:
    """Delete the replaced site in a process of its own, at the lowest priority, which goes
    on after the build returns: at 10,000 articles its 50,000 files took 8 s of a 100 s
    rebuild. If it is stopped first, the next build deletes what is left (`_recover`: the
    folder is named after this build's process)."""
    script = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        process = subprocess.Popen([sys.executable, "-c", script, str(folder)], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, process.pid, 19)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this process starts a new build: its earlier ones are over
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True
