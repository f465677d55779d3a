"""Pagefind indexing page by page, while the build goes on.

Running `python -m pagefind --site SITE` after the build reads every page back and indexes
it while nothing else runs (~1.8 s for 1,700 pages). Handing each article to Pagefind's
service (`pagefind --service`) as soon as its text is rendered lets the Rust indexer work
on the CPU the build leaves idle: the service runs at the lowest priority, and
`start_write()` builds and writes the index on a thread while the build goes on (the
service hands the files over; `write()` puts them on disk).

Why not the pagefind package's own `pagefind.index.PagefindIndex`: it is async, and its
reader sleeps 0.1 s (`asyncio.sleep`) before each response, so it takes ~10 pages a second.
This client speaks the same protocol synchronously: each request and each response is
base64 JSON followed by a comma, on the binary's stdin and stdout. `add()` writes a request
and returns; a daemon thread reads the responses, keeping only the errors, so stdout never
fills up. stderr goes to a temporary file, read only to explain a service that died.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path, PurePosixPath
from stat import S_ISREG

from pagefind.service import get_executable

from ..cache import Cache
from ..parallel import fork_safe


class PagefindError(Exception):
    """Pagefind could not index the site: the message names the page (or step) and why."""


def cli_url(dest_uri: str) -> str:
    """The URL `pagefind --site` gives the file at `dest_uri` ("/"-separated, inside the site):
    "articles/a/index.html" -> "/articles/a/", "404.html" -> "/404.html". Not percent-encoded."""
    url = "/" + dest_uri.lstrip("/")
    return url.removesuffix("index.html") if url.endswith("/index.html") else url


class PagefindIndexer:
    """One Pagefind index, fed page by page and written to SITE/FOLDER by `write()`."""

    def __init__(self, site_dir: str | Path, force_language: str = "en", folder: str = "pagefind"):
        self.output_path = Path(site_dir).resolve() / folder
        binary = _binary()
        self._command = f"{binary} --service"
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - open until close()
        try:
            self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=self._stderr)
        except OSError as error:
            self._stderr.close()
            raise PagefindError(f"could not start `{self._command}`: {error} — set "
                                "`search_engine: lunr` under the digest plugin to build without it") from None
        if hasattr(os, "setpriority"):
            # The service indexes while the build's own stages run: at the lowest priority it
            # takes only the CPU they leave idle, instead of slowing their forked workers.
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self._proc.pid, 19)
        self._closed = False
        self._lock = threading.Condition()
        self._last_id = 0
        self._pending: dict[int, str] = {}  # message id -> what it asks, e.g. "page /a/"
        self._replies: dict[int, dict] = {}  # answers to NewIndex and GetFiles
        self._errors: list[str] = []
        self._exited = False  # the service's stdout has closed
        self._reader = fork_safe(threading.Thread(target=self._read_responses, name="pagefind-service",
                                                  daemon=True))
        self._writer: threading.Thread | None = None
        self._write_error: PagefindError | None = None
        self._reader.start()
        try:
            reply = self._call({"type": "NewIndex", "config": {"force_language": force_language}}, "NewIndex")
        except BaseException:
            self.close()
            raise
        self._index_id = reply["index_id"]

    def add(self, html: str, url: str) -> None:
        """Queue one page; returns at once. Its errors are raised by `write()`."""
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": None, "url": url,
                    "file_contents": html}, f"page {url}")

    def write(self) -> None:
        """Wait for every page, write SITE/pagefind and stop the service.

        The service hands the files over (GetFiles) and they are written here: asked to
        write them itself (WriteFiles), it can answer before its asynchronous writes have all
        reached the disk, and stopping it then cut a file short (once in ~20 builds:
        pagefind-ui.js at 16 of 117 KB). Same speed: ~1 s at 1,000 articles either way."""
        what = f"writing {self.output_path}"
        self._check_open(what)
        try:
            self._wait()
            files = self._call({"type": "GetFiles", "index_id": self._index_id}, what)["files"]
        finally:
            self.close()
        folders: set[Path] = set()  # made already: ~1,000 fragment files share one folder
        for file in files:
            relative = PurePosixPath(file["path"])
            if relative.is_absolute() or ".." in relative.parts:
                raise PagefindError(f"{what}: Pagefind named a file outside it: {file['path']!r}")
            target = self.output_path.joinpath(*relative.parts)
            try:
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.add(target.parent)
                target.write_bytes(base64.b64decode(file["content"]))
            except OSError as error:
                raise PagefindError(f"{what}: {error}") from None

    def start_write(self) -> None:
        """write() on a thread of its own, so that the build goes on meanwhile; finish_write()
        waits for it. Forked workers may start while it runs (parallel.fork_safe)."""
        if self._writer is None:
            self._writer = fork_safe(threading.Thread(target=self._write_in_thread, name="pagefind-write",
                                                      daemon=True))
            self._writer.start()

    def finish_write(self) -> None:
        """Wait for start_write's write; raises its PagefindError."""
        if self._writer is not None:
            self._writer.join()
        if self._write_error is not None:
            raise self._write_error

    def _write_in_thread(self) -> None:
        try:
            self.write()
        except PagefindError as error:
            self._write_error = error
        except (OSError, ValueError) as error:
            # The build failed meanwhile and closed the service (a full disk, a bad page):
            # kept for finish_write, never printed by the thread as a traceback.
            self._write_error = PagefindError(f"writing {self.output_path}: {error}")

    def close(self) -> None:
        """Stop the service without writing anything (a write under way fails); safe to call
        again."""
        if self._closed:
            return
        self._closed = True
        try:
            self._proc.stdin.close()  # end of input: the service exits
        except OSError:
            pass  # it has already gone: the buffered bytes had nowhere to go
        try:
            self._proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=1)
        self._proc.stdout.close()
        self._stderr.close()
        if self._writer and self._writer is not threading.current_thread():
            self._writer.join()  # it ends with the service, raising nothing here

    def _check_open(self, what: str) -> None:
        if self._closed:
            raise PagefindError(f"{what}: this Pagefind index was already written or closed")

    def _send(self, payload: dict, what: str) -> int:
        self._check_open(what)
        with self._lock:
            self._last_id += 1
            message_id = self._last_id
            self._pending[message_id] = what
        request = json.dumps({"message_id": message_id, "payload": payload})
        try:
            self._proc.stdin.write(base64.b64encode(request.encode()) + b",")
            self._proc.stdin.flush()
        except BrokenPipeError:
            raise self._died() from None
        return message_id

    def _call(self, payload: dict, what: str) -> dict:
        message_id = self._send(payload, what)
        self._wait()
        return self._replies.pop(message_id)

    def _wait(self) -> None:
        """Until every request has its answer; raises if any failed or the service died."""
        with self._lock:
            self._lock.wait_for(lambda: not self._pending or self._exited)
            errors, pending = list(self._errors), bool(self._pending)
        if errors:
            self.close()
            more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
            raise PagefindError("Pagefind could not index " + "; ".join(errors[:5]) + more)
        if pending:
            raise self._died()

    def _died(self) -> PagefindError:
        """The error for a service that exited, naming the oldest unanswered request."""
        with self._lock:
            during = next(iter(self._pending.values()), "a request")
        try:
            self._proc.wait(timeout=1)
        except subprocess.TimeoutExpired:
            self._proc.kill()  # alive but no longer answering
            self._proc.wait()
        self._stderr.seek(0)
        stderr = self._stderr.read().decode(errors="replace").strip()[-2000:] or "(nothing on stderr)"
        self.close()
        code = self._proc.returncode
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        return PagefindError(f"Pagefind's service (`{self._command}`) {how} at {during}: {stderr}")

    def _read_responses(self) -> None:
        started: list[bytes] = []  # the pieces of a message whose comma has not come yet
        try:
            while chunk := self._proc.stdout.read1(1 << 16):
                first, *others = chunk.split(b",")
                started.append(first)
                if not others:
                    continue  # a long message (GetFiles: the whole index) is joined once, at its end
                *ended, rest = [b"".join(started), *others]
                started = [rest]
                for message in ended:
                    self._receive(json.loads(base64.b64decode(message)))
        finally:
            with self._lock:
                self._exited = True
                self._lock.notify_all()

    def _receive(self, response: dict) -> None:
        payload = response["payload"]
        message_id = response.get("message_id")
        if message_id is None and payload.get("original_message"):  # a request it could not parse
            message_id = json.loads(payload["original_message"]).get("message_id")
        with self._lock:
            what = self._pending.pop(message_id, "a request")
            if payload["type"] == "Error":
                self._errors.append(f"{what}: {payload.get('message')}")
            elif payload["type"] != "IndexedFile":
                self._replies[message_id] = payload
            self._lock.notify_all()


SHARDS_FILE = "pagefind/digest-shards.json"  # the index folders, newest pages first (digest-query.js)
_LISTING = PurePosixPath(SHARDS_FILE).name
SHARDS_CACHE = "search-shards"  # the build cache's stage: shard key -> the files it was written as


class ShardedIndex:
    """Pagefind indexes of at most `shard_pages` pages each, fed in date order (newest first).

    Pagefind keeps a whole index in memory until it writes it, ~200 KB an article page and
    less for the others (2.3 GB for the 23,600 pages of a 10,000-article digest), so one index
    cannot hold a digest of 100,000 articles on a machine like ours. A full shard is written
    on a thread while the next one fills, one shard at a time: at most two are in memory, not
    the digest. The first shard is SITE/pagefind, the next SITE/pagefind-2, ...; SHARDS_FILE
    lists them, and the search scripts query each and merge (digest-query.js): by score, or
    for a date order by concatenating shards, which hold consecutive date ranges.

    A rebuild carries unchanged shards over. Each shard is keyed by a hash of its pages (URL
    and HTML, in order), the language and the Pagefind binary; `cache` keeps, per key, the
    files the shard was written as in the site the build published. Given that site
    (`previous_site`), a shard's pages are held until it is full: with a key the cache knows,
    and the files still there as written (size, mtime), they are hard-linked (or copied) into
    the new site instead of indexed again. On a 100,000-article digest the build otherwise
    waited ~3 minutes for Pagefind after one article changed."""

    def __init__(self, site_dir: str | Path, shard_pages: int, force_language: str = "en",
                 previous_site: Path | None = None, cache: Cache | None = None):
        self.site_dir, self.shard_pages, self.force_language = Path(site_dir), shard_pages, force_language
        binary = _binary()  # a missing binary fails now, not after the pages
        stat = binary.stat()  # what every shard's key starts from: this binary, this language
        self._salt = hashlib.sha256(repr((str(binary), stat.st_size, stat.st_mtime_ns, force_language)).encode())
        self.cache = cache or Cache(None)
        # Only a site this digest published has shards to carry over.
        known = self.cache.folder and previous_site and (previous_site / SHARDS_FILE).is_file()
        self.previous_site = previous_site if known else None
        self.folders: list[str] = []
        self.carried = 0  # shards carried over from the previous site
        self.writing: tuple[PagefindIndexer, str, str] | None = None  # the full shard being written: key, folder
        self._start_shard()

    def _start_shard(self) -> None:
        self.folders.append("pagefind" if not self.folders else f"pagefind-{len(self.folders) + 1}")
        self.hash = self._salt.copy()
        self.in_current = 0
        # A rebuild holds the shard's pages until it knows their key; a first build streams them.
        self.held: list[tuple[str, str]] | None = [] if self.previous_site else None
        self.current = None if self.previous_site else self._indexer()

    def _indexer(self) -> PagefindIndexer:
        # Beside the one being written, if any: _end_shard waits for that write before it
        # starts this one's, so that at most two shards are in memory.
        return PagefindIndexer(self.site_dir, self.force_language, self.folders[-1])

    def add(self, html: str, url: str) -> None:
        if self.in_current == self.shard_pages:
            self._end_shard()
            self._start_shard()
        self.hash.update(f"{len(url)}:{url}{len(html)}:".encode())
        self.hash.update(html.encode())
        if self.held is not None:
            self.held.append((html, url))
        else:
            self.current.add(html, url)
        self.in_current += 1

    def _end_shard(self) -> None:
        key, folder = self.hash.hexdigest(), self.folders[-1]
        if self.held is not None:
            if self._carry_over(key, folder):
                self.held = None
                return
            self.current = self._indexer()
            for html, url in self.held:
                self.current.add(html, url)
            self.held = None
        if self.writing:
            self._finish(*self.writing)  # one shard written at a time: two in memory at most
        self.current.start_write()
        self.writing, self.current = (self.current, key, folder), None

    def _finish(self, indexer: PagefindIndexer, key: str, folder: str) -> None:
        indexer.finish_write()
        self.cache.put(SHARDS_CACHE, key, {"folder": folder, "files": _files(self.site_dir / folder)})

    def _carry_over(self, key: str, folder: str) -> bool:
        """The shard `key` from the previous site, if it is there as written: linked into this
        site as `folder`."""
        entry = self.cache.get(SHARDS_CACHE, key, lambda e: isinstance(e, dict) and {"folder", "files"} <= e.keys())
        if entry is None or not re.fullmatch(r"pagefind(-\d+)?", entry["folder"]):
            return False
        source, target = self.previous_site / entry["folder"], self.site_dir / folder
        try:
            if _files(source) != entry["files"]:
                return False
            for relative, _size, _mtime in entry["files"]:
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source / relative, target / relative)
                except OSError:  # another file system, or no hard links there
                    shutil.copy2(source / relative, target / relative)
        except OSError:
            shutil.rmtree(target, ignore_errors=True)
            return False
        self.cache.put(SHARDS_CACHE, key, entry)
        self.carried += 1
        return True

    def start_write(self) -> None:
        """List the shards and write the last one on a thread; finish_write() waits for both."""
        listing = self.site_dir.resolve() / SHARDS_FILE
        try:
            listing.parent.mkdir(parents=True, exist_ok=True)
            listing.write_text(json.dumps([f"{folder}/" for folder in self.folders]), encoding="utf-8")
        except OSError as error:
            raise PagefindError(f"writing {listing}: {error}") from None
        self._end_shard()

    def finish_write(self) -> None:
        if self.writing:
            self._finish(*self.writing)
            self.writing = None

    def close(self) -> None:
        for indexer in (self.writing and self.writing[0], self.current):
            if indexer:
                indexer.close()


def _binary() -> Path:
    binary = get_executable()
    if binary is None or not Path(binary).is_file():
        raise PagefindError(
            "Pagefind's binary was not found: install the pagefind package with its binary wheel "
            "(`pip install 'pagefind[bin]'`), or set `search_engine: lunr` under the digest plugin")
    return Path(binary)


def _files(folder: Path) -> list[tuple[str, int, int]]:
    """A written index: each file's path inside `folder`, size and modification time (the
    shards' listing, which the first shard's folder holds too, is not part of it)."""
    found = []
    for path in folder.rglob("*"):
        stat, relative = path.stat(), path.relative_to(folder).as_posix()
        if S_ISREG(stat.st_mode) and relative != _LISTING:
            found.append((relative, stat.st_size, stat.st_mtime_ns))
    return sorted(found)


def drop_lunr(site: Path) -> None:
    """With Pagefind answering, Material's search worker (lunr inside) and lunr's language
    files are never loaded (digest-search.js answers alone): they are not published."""
    scripts = site / "assets" / "javascripts"
    shutil.rmtree(scripts / "lunr", ignore_errors=True)
    for worker in (scripts / "workers").glob("search.*.min.js*"):
        worker.unlink()
