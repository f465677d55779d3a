"""A built site in a real browser: Debian's Chromium driven by Playwright, over local HTTP.

Playwright's own browser download is not used (no network for it here, and one browser less
to keep up to date): `launch_chromium()` starts /usr/bin/chromium, which scripts/test installs
with apt-get. Shared by the browser tests and benchmarks/search.py.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from .conftest import REPO, SEEDS, Site, requires_shared

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # Only the local server resolves: pages do not wait on Google Fonts offline.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
MISSING = (f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
           "(apt-get install -y chromium; scripts/test installs it when run as root)")


def build_seed_site(root: Path, extra: dict[str, str] | None = None, plugin_options: str = "") -> Site:
    """The five seeds imported as scripts/import-seeds.sh does (like conftest's `seed_site`),
    and the `extra` article files (path under site_src/articles -> text), built once into
    root/site: for module-scoped fixtures. `plugin_options`: the digest plugin's, as YAML lines
    ("search_shard_pages: 4")."""
    requires_shared("seeds")
    site = Site(root)
    script = root / "scripts" / "import-seeds.sh"
    script.parent.mkdir()
    shutil.copy(REPO / "scripts" / "import-seeds.sh", script)
    env = {**os.environ, "SEEDS": str(SEEDS), "DIGEST": str(Path(sys.executable).parent / "digest")}
    subprocess.run(["bash", str(script)], cwd=root, env=env, check=True, capture_output=True)
    if plugin_options:
        site.plugin_options(plugin_options)
    for path, text in (extra or {}).items():
        target = root / "site_src" / "articles" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    site.build()
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A page closed while its requests were answered is the browser's choice, not an error."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on 127.0.0.1 at a free port, in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def launch_chromium():
    """A headless Debian Chromium under Playwright; closed on exit."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Runs in the page: when the first key of the query goes down, start the clock; stop it when
# Material (or Pagefind) shows the first result (`result`: of any prefix typed so far), and
# when a result marks a word starting with the whole query (`full`: the query answered).
# Times are the page's own (performance.now()).
TIME_FIRST_RESULT = """
([selector, word]) => {
  window.__digestTimes = {typed: null, result: null, full: null};
  document.addEventListener("keydown", () => {
    if (window.__digestTimes.typed === null) window.__digestTimes.typed = performance.now();
  }, true);
  new MutationObserver((_, observer) => {
    const now = performance.now();
    if (window.__digestTimes.result === null && document.querySelector(selector))
      window.__digestTimes.result = now;
    const marks = [...document.querySelectorAll(selector + " mark")];
    if (word && marks.some(mark => mark.textContent.toLowerCase().startsWith(word.toLowerCase()))) {
      window.__digestTimes.full = now;
      observer.disconnect();
    }
  }).observe(document.body, {childList: true, subtree: true});
}
"""

MATERIAL_RESULT = ".md-search-result__item"


def material_search(page, query: str, timeout_ms: float = 30_000) -> list[dict]:
    """Type `query` into Material's search box; the results shown, as {title, href, text}."""
    toggle = page.locator("label.md-header__button[for='__search']")
    if toggle.is_visible():  # phone widths: the box opens from the header's search button
        toggle.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query)
    # Letters outside the keyboard's layout (Cyrillic) are inserted without key events, and
    # Material reads the box on keyup: End sends one, as a reader's own keyboard would.
    box.press("End")
    page.wait_for_selector(f"{MATERIAL_RESULT} .md-search-result__link", timeout=timeout_ms)
    return page.eval_on_selector_all(
        f"{MATERIAL_RESULT} > .md-search-result__link",
        "links => links.map(a => ({href: a.href, title: (a.querySelector('h1, h2') || a).innerText,"
        " text: a.innerText}))")
