"""DigestPlugin: thin glue between MkDocs events and `pipeline.build()`.

on_files runs the pipeline and swaps the article sources for generated pages; the page
events give each generated page its title and its content, rendered from a theme fragment
(`theme/partials/digest/*.html`) by a Jinja environment with autoescape on, so no article
text reaches the page unescaped. Articles' own texts are rendered once the pipeline is done,
on every core, and handed to Pagefind then; each page's content is rendered just before
MkDocs writes it (on_page_context), so only one page's HTML is held at a time; pages outside
the nav are printed from shells of Material's HTML (digest/site/shells.py).
"""

from __future__ import annotations

import datetime
import errno
import functools
import html
import logging
import time
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import Abort, BuildError, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url

from .. import pipeline
from ..annotate.entities import RussianNLP
from ..cache import Cache
from ..errors import DigestError, summarized
from ..intake.articles import ARTICLES_DIR, language_name, make_slug
from ..parallel import PROGRESS_EVERY, fork_map
from ..settings import load_settings, published_bound
from .chrome import SCRIPT as CHROME_SCRIPT
from .chrome import chrome_script, share_chrome
from .compact_html import without_indentation
from .config import DigestConfig, unknown_options_fail
from .feeds import FeedSite, feeds, story_feed_path, storyline_feed_path
from .page_links import ListedItems, PageLinks
from .publish import StagedSite
from .render import PageSpec, article_texts, entities_by_article, meta_description, text_language
from .search_index import PagefindError, ShardedIndex, cli_url, drop_lunr
from .search_records import search_pages
from .shells import PageShells, slot_values
from .sitemaps import split_sitemap
from .text import readable, render_paragraphs

log = logging.getLogger("mkdocs.plugins.digest")
_PAGE_TEMPLATE = "digest-page.html"  # prints the page on_page_context rendered


def _pagefind_failed(error: PagefindError) -> str:
    return (f"{error} — build again (the published site is unchanged); if it keeps failing, set "
            "`search_engine: lunr` under the digest plugin to build without Pagefind")


class _GeneratedPage(Page):
    """A page whose content the plugin renders (_page_content): it has no Markdown source, so no
    Python-Markdown instance is set up to convert an empty one (MkDocs builds one per page
    with every extension: ~0.2 ms a page, 0.25 s of a 1,000-article build)."""

    def render(self, config, files) -> None:
        self.content, self.toc, self.present_anchor_ids = "", get_toc([]), set()


class DigestPlugin(BasePlugin[DigestConfig]):
    def __init__(self):
        super().__init__()
        self.search_index: ShardedIndex | None = None
        self.cache: Cache | None = None
        self.staged: StagedSite | None = None  # the site being built, swapped in at the end
        self.mkdocs_config = None
        self.dirty = False

    def load_config(self, options, config_file_path=None):
        errors, warnings = super().load_config(options, config_file_path)
        return unknown_options_fail(errors, warnings, [name for name, _ in self.config_scheme])

    def on_startup(self, *, command, dirty):
        # Loaded lazily and kept across `mkdocs serve` rebuilds: natasha's Russian models.
        self.nlp = RussianNLP()
        self.dirty = dirty

    @event_priority(100)  # first: every plugin after it writes into the staging folder
    def on_config(self, config):
        if not self.config.enabled:
            return
        try:
            self.settings = load_settings(self.config.settings)
            if self.config.device:
                self.settings = self.settings.overridden("translate", device=self.config.device)
            for key in ("published_from", "published_until"):
                value = self.config[key]
                if value is None:
                    continue
                value = value.isoformat() if isinstance(value, datetime.date) else str(value)
                if published_bound(value) is False:
                    raise PluginError(f"the digest plugin's {key} must be a date (YYYY-MM-DD), not {value!r}: "
                                      f"write it as {key}: 2019-01-01 in mkdocs.yml")
                self.settings = self.settings.overridden("articles", **{key: value})
        except DigestError as exc:
            raise PluginError(str(exc)) from None
        self.mkdocs_config = config
        if not self.dirty:  # a --dirty build updates the site in place, as MkDocs does
            self.staged = StagedSite(config.site_dir)
            try:
                config.site_dir = str(self.staged.start())
            except DigestError as exc:
                raise PluginError(str(exc)) from None
        self.pages: dict[str, PageSpec] = {}
        self.files: dict[str, File] = {}
        self.texts: dict[str, dict] = {}  # article page -> its rendered text (_article_texts)
        self.fragments: jinja2.Environment | None = None
        self.search_index: ShardedIndex | None = None
        self.shells: PageShells | None = None  # pages outside the nav, from on_env on
        self.chrome: str | None = None  # digest-chrome.js, when the pages share it (on_env)
        self.nav = None  # MkDocs' nav, as on_nav leaves it
        cache_dir = Path(config.config_file_path or ".").parent / self.config.cache_dir
        self.cache = Cache(cache_dir if self.config.cache else None)

    @event_priority(-50)  # after other plugins have added their files
    def on_files(self, files: Files, config) -> Files:
        if not self.config.enabled:
            return files
        self.mkdocs_config = config
        self.fragments = self._fragments_environment(config)
        self.listed = ListedItems(self.fragments.get_template("partials/digest/macros.html").module.article_item,
                                  lambda uri: self._file(uri).url)
        self._start_search_index(config.site_dir)
        try:
            with pipeline.collector_paused():
                result = pipeline.build(config.docs_dir, self.settings, self.config.models_dir,
                                        cache=self.cache, nlp=getattr(self, "nlp", None))
            # After the stages, not during linking: the texts are not held through the link
            # stage's own peak of memory.
            self._article_texts(result.digest.articles, result.digest.entities)
        except DigestError as exc:
            # The articles, the registries (entities.yml, sources.yml) or the translation store.
            files = {str(problem.path) for problem in exc.problems}
            raise PluginError(f"{len(exc.problems)} problem(s) in {len(files)} file(s) of the digest:\n{exc}") from None
        except PagefindError as exc:
            raise PluginError(_pagefind_failed(exc)) from None
        for line in summarized(result.warnings):
            log.warning(line)
        # Sources the pipeline reads itself are never copied into the site as they are.
        own_folders = (f"{ARTICLES_DIR}/", self.settings.section("translate")["store_dir"] + "/")
        own_files = (self.settings.section("link")["registry_file"], self.settings.section("articles")["sources_file"])
        for file in list(files):
            if file.src_uri.startswith(own_folders) or file.src_uri in own_files:
                files.remove(file)
        for spec in result.pages:
            if files.get_file_from_path(spec.uri):
                raise PluginError(f"{spec.uri}: the digest generates this page; "
                                  f"rename or remove site_src/{spec.uri}")
            file = self._file(spec.uri)
            file.inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(file)
            if not spec.in_nav:  # nav pages: MkDocs makes them, with their titles in the nav
                _GeneratedPage(None, file, config)
        self.pages = {spec.uri: spec for spec in result.pages}
        if nowhere := sorted(set(self.files) - set(self.pages)):
            raise PluginError(f"the article texts link to pages the digest does not generate: {nowhere}")
        self.digest = result.digest
        if self.search_index:
            self._index_pages(result.digest, result.pages)
        self.pages_started = self.pages_told = time.perf_counter()
        self.pages_written = 0
        return files

    def _index_pages(self, digest, pages) -> None:
        """Hand every article, story, storyline and entity page to Pagefind with its search
        record (search_records.py); it writes its index on the second core while MkDocs
        renders the pages. The URL is the one `pagefind --site` gives the written page."""
        render = self.fragments.get_template("partials/digest/search.html").render
        named_in = entities_by_article(digest.entities)
        try:
            for uri, html_text in search_pages(digest, pages, self.texts, named_in, render):
                self.search_index.add(html_text, cli_url(self._file(uri).dest_uri))
            self.search_index.start_write()
        except PagefindError as exc:
            raise PluginError(_pagefind_failed(exc)) from None

    @staticmethod
    def _fragments_environment(config) -> jinja2.Environment:
        """The digest's fragments get a Jinja environment of their own, made before MkDocs
        makes its theme's: the same template folders (custom_dir first), autoescape on. No
        auto_reload, as MkDocs' own: a template edited mid-build need not be re-read."""
        fragments = jinja2.Environment(loader=jinja2.FileSystemLoader(config.theme.dirs), autoescape=True,
                                       undefined=jinja2.StrictUndefined, auto_reload=False)
        fragments.filters["language_name"] = language_name
        fragments.filters["slug"] = make_slug
        # ' lang="ru"' after a tag's name for a text not in English (render.text_language).
        fragments.filters["lang"] = lambda text, hint=None: (
            Markup(' lang="{}"').format(found) if (found := text_language(str(text), hint)) else "")
        fragments.filters["paragraphs"] = (
            lambda items, links=None, url=None, language="en": Markup(render_paragraphs(
                *readable(items, links, language), url)))
        return fragments

    def _article_texts(self, articles, entities) -> None:
        """Render each article's text and the entities it names (render.article_texts) for its
        page and the search index, on every core."""
        text_template = self.fragments.get_template("partials/digest/article-text.html")
        entities_template = self.fragments.get_template("partials/digest/article-entities.html")

        def rendered(item: tuple[str, dict]) -> tuple[str, str, str, set[str]]:
            uri, view = item
            linked: set[str] = set()

            def url(target: str) -> str:
                linked.add(target)
                return self._url(target, uri)

            return uri, text_template.render(**view, url=url), entities_template.render(**view, url=url), linked

        # On every core (markdown-it and Jinja are pure Python); the Files of the pages they
        # link to are made here, where on_files checks that each one is generated.
        for uri, text, names, linked in fork_map(rendered, list(article_texts(articles, entities).items()),
                                                    label="article texts"):
            for target in linked:
                self._file(target)
            self.texts[uri] = {"text_html": Markup(text), "entities_html": Markup(names)}

    def _file(self, uri: str) -> File:
        """The File of a page the digest generates, made on first use: article texts link
        to pages (entities, sources) before on_files adds them."""
        file = self.files.get(uri)
        if file is None:
            if self.pages:  # every page is known by now: a fragment links to one that is not made
                raise PluginError(f"a page links to {uri}, which the digest does not generate")
            file = self.files[uri] = File.generated(self.mkdocs_config, uri, content="")
        return file

    def _url(self, uri: str, from_uri: str) -> str:
        return get_relative_url(self._file(uri).url, self._file(from_uri).url)

    def on_nav(self, nav, config, files):
        """The Tags tab only when some article has tags: an empty tab leads nowhere. The
        Search tab only with Pagefind, which its page queries (Material's box serves lunr)."""
        if not self.config.enabled:
            return nav
        dropped = set()
        if not any(a.tags for a in self.digest.articles):
            dropped.add("tags/index.md")
        if self.config.search_engine != "pagefind":
            dropped.add("search/index.md")
        unlisted = [p for p in nav.pages if p.file.src_uri in dropped]
        nav.items = [item for item in nav.items if item not in unlisted]
        nav.pages = [page for page in nav.pages if page not in unlisted]
        self.nav = nav  # the shared chrome's navigation drawer (on_env)
        return nav

    def on_env(self, env, config, files):
        if self.config.enabled:  # theme/main.html hands Material's search box to Pagefind
            env.globals["digest_search"] = self.config.search_engine
            self.shells = PageShells(lambda template, context: env.get_template(template).render(context))
            if share_chrome(env, config):
                self.chrome = chrome_script(env, config, self.nav, self.config.search_engine)
        return env

    @event_priority(100)  # first: other plugins' handlers (search) read the content
    def _page_content(self, context, page, config, nav):
        """A generated page's content, rendered just before MkDocs writes the page: MkDocs
        renders every page's content before it writes any (its on_page_content), which held
        all of a digest's HTML at once (~0.4 GB at 10,000 articles). With Pagefind it is
        rendered last (_page_html): Material's search plugin, whose index is not published
        then, would only run a regular expression over every page (~23 s at 100,000 articles)."""
        if self.config.search_engine != "pagefind":
            self._render_content(page)
        return context

    def _render_content(self, page) -> None:
        uri = page.file.src_uri
        if not self.config.enabled or uri not in self.pages:
            return
        spec = self.pages[uri]
        template = self.fragments.get_template(f"partials/digest/{spec.fragment}")
        # Each article's text is used once, here (the search index had it in on_files).
        links = PageLinks(functools.partial(self._url, from_uri=uri), self.listed, self._file(uri).url)
        page.content = template.render(**spec.values(), **self.texts.pop(uri, {}), page_title=spec.title, url=links,
                                       file_url=functools.partial(self._file_url, from_uri=uri))

    @event_priority(-100)  # last: the shells read the page's whole context
    def _page_html(self, context, page, config, nav):
        uri = page.file.src_uri
        if not self.config.enabled or uri not in self.pages:
            return context
        if self.config.search_engine == "pagefind":
            self._render_content(page)
        feed = None
        if uri.startswith("stories/") and uri != "stories/index.md":
            feed = story_feed_path(uri.removeprefix("stories/").removesuffix(".md"))
        elif uri.startswith("storylines/"):
            feed = storyline_feed_path(uri.removeprefix("storylines/").removesuffix(".md"))
        if feed:  # main.html prints it in the page's head: a shell slot, like the title
            page.meta["digest_head"] = self.fragments.get_template("partials/digest/feed-link.html").render(
                site_name=config.site_name, title=self.pages[uri].title, href=self._file_url(feed, uri))
        if page.meta.get("template") == _PAGE_TEMPLATE:  # set by on_page_markdown
            key = self._shell_key(context, page, nav)
            context["digest_page_html"] = (self.shells.html(key, "main.html", context, page) if key
                                           else self.shells.render("main.html", context))
        return context

    @staticmethod
    def _shell_key(context, page, nav) -> tuple | None:
        """What Material's HTML for a page outside the nav depends on besides the shells'
        slots, or None for a page that has values of its own elsewhere (a story's feed link,
        a table of contents, another plugin's data): those are rendered as usual."""
        if page.toc.items or page.previous_page or page.next_page or page.title != page.meta.get("title"):
            return None
        others = []
        for name, value in context.items():
            if name in ("page", "nav", "pages", "config", "mkdocs_version", "build_date_utc"):
                continue  # the same for every page of the build (build_date_utc: not shown)
            if isinstance(value, list):
                value = tuple(map(str, value))  # extra_css, extra_javascript: relative URLs
            elif not isinstance(value, (str, int, float, bool, type(None))):
                return None
            others.append((name, value))
        meta = tuple((name, repr(value)) for name, value in sorted(page.meta.items())
                     if name not in ("title", "description", "digest_head"))
        links = tuple(get_relative_url(item.url, page.url) for item in nav.pages)
        present = tuple(value is None for value in slot_values(page))
        return (tuple(others), meta, links, present, "<h1" in page.content, page.edit_url)

    on_page_context = CombinedEvent(_page_content, _page_html)

    @event_priority(-100)  # last: the site is swapped in once every plugin has written it
    def on_post_build(self, config):
        if not self.config.enabled:
            return
        log.info("digest: %s pages written in %.1f s", f"{len(self.pages):,}", time.perf_counter() - self.pages_started)
        started = time.perf_counter()
        site_url = config.site_url.rstrip("/") + "/" if config.site_url else None
        site = FeedSite(config.site_name, site_url, lambda uri: self.files[uri].url)
        written = feeds(self.digest, site, self.settings.section("render")["feed_entries"])
        for path, xml in written.items():
            target = Path(config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(xml)
        log.info("digest: %s feeds written in %.1f s", f"{len(written):,}", time.perf_counter() - started)
        if parts := split_sitemap(Path(config.site_dir), site_url):
            log.info("digest: sitemap.xml is an index of %d sitemaps (the protocol's limit is 50,000 URLs)", parts)
        if self.search_index:  # _index_pages started the write
            started = time.perf_counter()
            try:
                self.search_index.finish_write()
            except PagefindError as exc:
                raise PluginError(_pagefind_failed(exc)) from None
            index = self.search_index
            carried = f"; {index.carried} of {len(index.folders)} shards carried over unchanged" if index.carried else ""
            log.info("digest: search index (Pagefind) finished %.1f s after the pages%s",
                     time.perf_counter() - started, carried)
        if self.config.search_engine == "pagefind":
            drop_lunr(Path(config.site_dir))
        if self.chrome:
            script = Path(config.site_dir) / CHROME_SCRIPT
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(self.chrome, encoding="utf-8")
        if self.staged:
            try:
                self.staged.publish()
            except DigestError as exc:
                raise PluginError(str(exc)) from None
            config.site_dir = str(self.staged.site)  # for `mkdocs gh-deploy`, which reads it next
            # MkDocs named the staging folder as where it builds: say where the site is now.
            log.info("Published the new site to %s (built in a staging folder, swapped in whole)", self.staged.site)
        # The whole build's result, for a rebuild with nothing changed: written last, when the
        # pages' texts are gone (the per-article stages wrote theirs as they finished).
        self.cache.save()

    @event_priority(-100)  # last: it may raise, and other plugins' handlers must run first
    def on_build_error(self, error):
        """The published site stays as it was (the staging folder is deleted); an error that
        is not the digest's own (a disk that is full, a bug) gets one line, not a traceback."""
        if not self.config.enabled:
            return
        if self.search_index:
            self.search_index.close()  # stop the service; no index is written
        if self.staged:
            self.staged.discard()
            self.mkdocs_config.site_dir = str(self.staged.site)
        if isinstance(error, (BuildError, Abort)):
            return
        kept = f"the published site {self.staged.site} is unchanged" if self.staged else "nothing was published"
        if isinstance(error, OSError):
            # MkDocs' own page writes fail this way too: raising a PluginError here is what
            # turns them into MkDocs' "Error: …" line instead of a traceback.
            where = self.staged.site if self.staged else self.mkdocs_config.site_dir
            fix = {errno.ENOSPC: "free disk space", errno.EDQUOT: "free disk space",
                   errno.EACCES: "make the folder writable", errno.EROFS: "build on a writable disk"}
            raise PluginError(f"{where}:0: cannot build the site: {error.strerror} "
                              f"({error.filename2 or error.filename}) — {fix.get(error.errno, 'fix the folder')}, "
                              f"then build again; {kept}") from None
        if self.cache is not None and self.cache.folder is not None:
            # Not the digest's own error: the cache might hold what caused it, and is cleared
            # so that the next build starts fresh rather than failing the same way for good.
            self.cache.clear()
            log.error("the build failed (%s); the build cache %s was cleared; %s",
                      type(error).__name__, self.cache.folder, kept)

    def _start_search_index(self, site_dir: str) -> None:
        """A Pagefind service that _article_texts feeds with each article's text. One English
        index: pages are <html lang="en"> and the search worker stems Cyrillic query words
        itself (digest-search.js)."""
        if self.config.search_engine == "pagefind":
            if self.config.search_shard_pages < 1:
                raise PluginError(f"search_shard_pages is {self.config.search_shard_pages} under the digest "
                                  "plugin in mkdocs.yml: give the pages a search index holds, at least 1 (default 12000)")
            try:
                self.search_index = ShardedIndex(site_dir, self.config.search_shard_pages, force_language="en",
                                                 previous_site=self.staged.site if self.staged else None,
                                                 cache=self.cache)
            except PagefindError as exc:
                raise PluginError(str(exc)) from None

    def on_page_markdown(self, markdown, page, config, files):
        if not self.config.enabled or page.file.src_uri not in self.pages:
            return markdown
        spec = self.pages[page.file.src_uri]
        # Material prints meta.title and meta.description unescaped (base.html, header.html;
        # the description inside content="..."): escape them once here.
        page.meta["title"] = html.escape(spec.title)
        if spec.description:
            page.meta["description"] = html.escape(meta_description(spec.description))
        if not spec.searchable or self.config.search_engine == "pagefind":
            page.meta["search"] = {"exclude": True}  # from lunr's index: Pagefind answers instead
        if not spec.in_nav:  # its HTML comes from on_page_context: Material's, or a shell of it
            page.meta["template"] = _PAGE_TEMPLATE
        # Its content is rendered in on_page_context: MkDocs' Markdown pass over "" next (a
        # Markdown instance with every extension, ~0.5 ms a page: ~90 s at 100,000 articles)
        # would only find nothing.
        page.render = functools.partial(_render_nothing, page)
        return ""

    def on_post_page(self, output, page, config):
        if not self.config.enabled:
            return output
        if page.file.src_uri in self.pages:
            self.pages_written += 1
            # MkDocs keeps each page's HTML to the end of the build; ours is written next
            # and never read again.
            page.content = None
            self._tell_pages()
        return without_indentation(output)

    def _tell_pages(self) -> None:
        """On a large site, every PROGRESS_EVERY seconds: how many pages are written."""
        if time.perf_counter() - self.pages_told >= PROGRESS_EVERY:
            self.pages_told = time.perf_counter()
            log.info("digest: %s of %s pages written (%.0f s)", f"{self.pages_written:,}",
                     f"{len(self.pages):,}", self.pages_told - self.pages_started)

    def _file_url(self, path: str, from_uri: str) -> str:
        """The relative URL of a file the digest writes beside the pages (a feed)."""
        return get_relative_url(path, self._file(from_uri).url)


def _render_nothing(page: Page, config, files) -> None:
    """What Page.render makes of an empty page: no content, no table of contents, no title,
    no anchors."""
    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
