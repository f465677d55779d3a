"""The seed site in a real browser (issue 6): search in English and Russian, navigation, no
console errors, the article page at desktop and phone widths.

The seed digest is built once for the module by the real MkDocs and served over local HTTP;
Debian's Chromium runs it headless under Playwright (tests/browser.py). Screenshots of every
visited page at 1280 and 390 px are written to tests/out/screenshots/ (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import SHARED
from .browser import CHROMIUM, MATERIAL_RESULT, MISSING, build_seed_site, launch_chromium, material_search, serve

SCREENSHOTS = Path(__file__).parent / "out" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RUSSIAN_SEED = "articles/2015/11/lavrov-rf-gotova-sovmestno-s-mezhdunarodnoi-koalitsiei-borotsia-s-ig/"
# The English seeds whose own text names Kerry.
KERRY_SEEDS = [
    "articles/2015/12/russia-criticizes-us-for-lack-of-willingness-to-coordinate-over-syria-crisis/",
    "articles/2015/12/the-russian-foreign-ministry-us-reluctant-to-establish-coordination-with-russia/",
    "articles/2015/09/washington-joint-efforts-are-needed-to-combat-the-islamic-state/",
]


# A real Xinhua article (WMT22 zh), shown untranslated: this module installs no model.
CHINESE_FILE = "2016/05/zhongqing-xiandai-xuetuzhi.md"
CHINESE_PAGE = "articles/2016/05/zhongqing-xiandai-xuetuzhi/"
WMT22_ZH = SHARED / "data" / "mt" / "wmt22-zh-en" / "generaltest2022.zh-en.src.zh"


def chinese_article() -> str:
    lines = WMT22_ZH.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("重庆中职学校试点现代学徒制"))
    title = lines[start].removesuffix("-新华网")
    body = "\n\n".join(lines[start + 1:start + 10])
    return (f"---\ntitle: '{title}'\nsource: Xinhua\npublished: 2016-05-30\nlanguage: zh\n"
            f"slug: zhongqing-xiandai-xuetuzhi\n---\n\n{body}\n")


# An Arabic article (written for this test), untranslated: its text reads right to left.
ARABIC_FILE = "2016/06/baladiya.md"
ARABIC_PAGE = "articles/2016/06/baladiya/"
ARABIC = ("---\ntitle: البلدية توزع حصصا غذائية على العائلات\nsource: Al Akhbar\npublished: 2016-06-01\n"
          "language: ar\nslug: baladiya\n---\n\nأعلنت البلدية يوم الاثنين توزيع حصص غذائية على العائلات "
          "المحتاجة في المدينة خلال الأسبوع المقبل.\n\nوقال رئيس البلدية إن التوزيع سيتم في المدارس "
          "والمراكز الاجتماعية في كل الأحياء.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(MISSING)
    pytest.importorskip("playwright", reason="the test extra installs it: uv sync --extra test")
    built = build_seed_site(tmp_path_factory.mktemp("browser"), {CHINESE_FILE: chinese_article(),
                                                                 ARABIC_FILE: ARABIC})
    with serve(built.site) as base:
        yield built, base


@pytest.fixture(scope="module")
def browser(site):
    with launch_chromium() as chromium:
        yield chromium


class Visit:
    """A browser tab that records console errors, page errors and failed requests to our server."""

    def __init__(self, browser, base: str, viewport: dict, javascript: bool = True):
        self.base = base
        self.context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))
        self.page.on("response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}")
                     if r.status >= 400 else None)
        self.page.on("request", self._request)
        self.context.on("request", self._request)  # the search worker's requests too

    def _request(self, request) -> None:
        """A private digest asks no other host for anything (fonts, scripts), and with
        Pagefind answering no lunr code is loaded."""
        url = request.url
        if not url.startswith((self.base, "data:", "blob:")):
            self.errors.append(f"{self.page.url}: request to another host: {url}")
        elif "/lunr/" in url or re.search(r"/workers/search\.[0-9a-f]+\.min\.js", url):
            self.errors.append(f"{self.page.url}: lunr code loaded though Pagefind answers: {url}")

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: console error: {message.text}")

    def go(self, path: str = "") -> None:
        self.page.goto(self.base + path, wait_until="load")

    def path(self) -> str:
        return self.page.url.removeprefix(self.base).split("?")[0].split("#")[0]

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = self.page.viewport_size["width"]
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def visit(site, browser):
    built, base = site
    visits = []

    def open_tab(viewport=DESKTOP, javascript=True) -> Visit:
        visits.append(Visit(browser, base, viewport, javascript))
        return visits[-1]

    yield open_tab
    for tab in visits:
        tab.close()


def result_paths(tab: Visit, results: list[dict]) -> list[str]:
    return [r["href"].removeprefix(tab.base).split("?")[0] for r in results]


def test_search_kerry_offers_the_john_kerry_page_then_the_english_seeds(visit):
    tab = visit()
    tab.go()
    results = material_search(tab.page, "Kerry")
    paths = result_paths(tab, results)
    assert paths[0] == "entities/john-kerry/", paths
    assert re.search(r"\nPerson · \d+ articles\n", results[0]["text"]), results[0]["text"]
    assert set(KERRY_SEEDS) <= set(paths)
    article = results[paths.index(KERRY_SEEDS[0])]["text"]
    # Headline, then source · date · language, then the summary.
    assert re.search(r"\n(Xinhua|Military Review|Russian wire[^·]*) · \d{1,2} \w+ 2015 · English\n", article), article
    assert len(article.split("\n")[-1]) > 80, "the summary follows the byline"
    marked = tab.page.locator(f"{MATERIAL_RESULT} mark").all_inner_texts()
    assert marked and all(word.lower().startswith("kerry") for word in marked), marked
    tab.screenshot("search-kerry")


@pytest.mark.parametrize("query", ["Лавров", "Лаврова", "Лавровым"])
def test_search_cyrillic_finds_the_russian_seed_in_any_case_form(visit, query):
    tab = visit()
    tab.go()
    results = material_search(tab.page, query)
    assert result_paths(tab, results)[0] == RUSSIAN_SEED
    assert "Sputnik Abkhazia · 14 November 2015, 22:54 · Russian" in results[0]["text"]
    # The untranslated headline and summary are marked as Russian for screen readers.
    first = tab.page.locator(MATERIAL_RESULT).first
    assert first.locator("[lang=ru]").count() == 2, first.inner_html()


def test_search_crosses_languages_through_the_registry_names(visit):
    """"Лавров" finds the Lavrov page and the English articles naming him; "Lavrov" finds the
    untranslated Russian article (its record holds Lavrov's names in every script)."""
    tab = visit()
    tab.go()
    paths = result_paths(tab, material_search(tab.page, "Лавров"))
    assert any(re.fullmatch(r"entities/[a-z-]*lavrov/", p) for p in paths), paths
    english = [p for p in paths if p.startswith("articles/") and p != RUSSIAN_SEED]
    assert len(english) >= 2, paths
    tab.go()
    assert RUSSIAN_SEED in result_paths(tab, material_search(tab.page, "Lavrov"))


@pytest.mark.parametrize("query", ["学徒制", "现代学徒制", "中职学校"])
def test_search_finds_chinese_words_inside_unsegmented_text(visit, query):
    tab = visit()
    tab.go()
    results = material_search(tab.page, query)
    assert result_paths(tab, results)[0] == CHINESE_PAGE
    assert query in "".join(tab.page.locator(f"{MATERIAL_RESULT} mark").all_inner_texts())


def test_a_deep_page_gets_the_shared_search_box_and_answers_from_it(site, visit):
    """An article page's HTML has no search dialog, configuration or "Back to top" button
    (~4 KB each page): the site's one digest-chrome.js puts Material's in, and a search typed
    there, four folders below the root, leads to the right pages."""
    built, _ = site
    html = (built.site / KERRY_SEEDS[0] / "index.html").read_text(encoding="utf-8")
    assert "md-search__input" not in html and 'id="__config"' not in html and "md-top" not in html
    assert 'data-base="../../../.."' in html
    tab = visit()
    tab.go(KERRY_SEEDS[0])
    assert tab.page.locator("button.md-top").count() == 1
    base = tab.page.evaluate("JSON.parse(document.getElementById('__config').textContent).base")
    assert base == "../../../.."
    paths = result_paths(tab, material_search(tab.page, "Kerry"))
    assert set(KERRY_SEEDS) <= set(paths), paths
    tab.page.locator(f"{MATERIAL_RESULT} a[href*='{KERRY_SEEDS[2]}']").first.click()
    tab.page.wait_for_load_state("load")
    assert tab.path() == KERRY_SEEDS[2]


def test_a_deep_page_gets_the_navigation_drawer_from_the_shared_script(site, visit):
    """An article page's HTML has no navigation drawer (~2.5 KB, the same on every page outside
    the nav): digest-chrome.js puts Material's in, its links right four folders below the
    root. Without JavaScript the tabs, hidden on a phone otherwise, stand in for it."""
    built, _ = site
    html = (built.site / KERRY_SEEDS[0] / "index.html").read_text(encoding="utf-8")
    drawer = html.split('data-md-type="navigation"', 1)[1].split("</nav>", 1)[0]
    assert "data-digest-nav" in drawer and "md-nav__link" not in drawer
    tab = visit(PHONE)
    tab.go(KERRY_SEEDS[0])
    assert not tab.page.locator("nav.md-tabs").is_visible()
    tab.page.locator("label.md-header__button[for='__drawer']").click()
    link = tab.page.locator(".md-sidebar--primary a.md-nav__link", has_text="Stories")
    link.wait_for(state="visible")
    tab.screenshot("drawer")
    link.click()
    tab.page.wait_for_load_state("load")
    assert tab.path() == "stories/"
    plain = visit(PHONE, javascript=False)
    plain.go(KERRY_SEEDS[0])
    assert not plain.page.locator(".md-sidebar--primary a.md-nav__link").count()
    plain.page.locator("nav.md-tabs a.md-tabs__link", has_text="Sources").click()
    plain.page.wait_for_load_state("load")
    assert plain.path() == "sources/"


def test_home_to_article_and_back(visit):
    for viewport in (DESKTOP, PHONE):
        tab = visit(viewport)
        tab.go()
        tab.screenshot("home")
        link = tab.page.locator("a.digest-item__title[href^='articles/2015/']").first
        headline = link.inner_text()
        link.click()
        tab.page.wait_for_load_state("load")
        assert tab.path().startswith("articles/2015/")
        assert tab.page.locator("article.digest-article h1").inner_text() == headline
        meta = tab.page.locator("p.digest-meta").inner_text()
        assert re.search(r"· \d{1,2} \w+ 2015 · English", meta), meta
        tab.screenshot("article")
        tab.page.go_back(wait_until="load")
        assert tab.path() == ""


def test_article_pages_fit_a_phone(visit):
    tab = visit(PHONE)
    for path in [RUSSIAN_SEED, *KERRY_SEEDS]:
        tab.go(path)
        overflow = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 390px"
    tab.screenshot("article-russian")


def test_text_in_a_right_to_left_script_reads_right_to_left(visit):
    """An Arabic article's headline and text run right to left (and align right) inside the
    left-to-right page; in a listing, its headline does, the line's date and source do not."""
    for viewport in (DESKTOP, PHONE):
        tab = visit(viewport)
        tab.go(ARABIC_PAGE)
        direction = "el => getComputedStyle(el).direction"
        assert tab.page.locator("article.digest-article h1").evaluate(direction) == "rtl"
        assert tab.page.locator("div.digest-text").evaluate(direction) == "rtl"
        assert tab.page.locator("body").evaluate(direction) == "ltr"
        assert tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        tab.screenshot("article-arabic")
    tab.go("languages/ar/")
    item = tab.page.locator(f"li.digest-item:has(a[href$='{ARABIC_PAGE}'])")
    assert item.locator("a.digest-item__title").evaluate(direction) == "rtl"
    assert item.locator(".digest-item__meta").evaluate(direction) == "ltr"


def test_home_story_article_entity(site, visit):
    built, _ = site
    if not (built.site / "stories" / "index.html").exists():
        pytest.skip("no stories/index.html in the built site: story pages are not rendered yet")
    tab = visit()
    tab.go()
    tab.page.locator("a[href^='stories/']:not([href='stories/'])").first.click()
    tab.page.wait_for_load_state("load")
    assert re.fullmatch(r"stories/[^/]+/", tab.path()), tab.path()
    tab.screenshot("story")
    tab.page.locator("ol.digest-timeline a").first.click()
    tab.page.wait_for_load_state("load")
    assert tab.path().startswith("articles/")
    story_box = tab.page.locator(".digest-story-box")
    assert story_box.count() == 1, "the article links back to its story"
    tab.page.locator(".digest-chips a").first.click()
    tab.page.wait_for_load_state("load")
    assert re.fullmatch(r"entities/[^/]+/", tab.path()), tab.path()
    tab.screenshot("entity")


def search_page(tab: Visit, **fields) -> list[str]:
    """Open the search page with `fields` as its address's query; the result paths shown."""
    from urllib.parse import urlencode
    tab.go("search/?" + urlencode(fields))
    tab.page.wait_for_function("document.getElementById('digest-search-status').textContent.match(/result|Nothing/)")
    links = tab.page.locator("#digest-search-results a.digest-item__title")
    return [href.removeprefix(tab.base) for href in links.evaluate_all("links => links.map(a => a.href)")]


def test_search_page_filters_by_kind_source_language_and_dates(visit):
    tab = visit()
    everything = search_page(tab, words="Lavrov")
    assert RUSSIAN_SEED in everything and any(p.startswith("entities/") for p in everything)
    people = search_page(tab, words="Lavrov", type="Person")
    assert people and all(p.startswith("entities/") for p in people), people
    russian = search_page(tab, words="Lavrov", language="Russian")
    assert russian == [RUSSIAN_SEED], russian
    assert tab.page.locator("#digest-language").input_value() == "Russian", "the form shows the search"
    xinhua = search_page(tab, source="Xinhua")  # no words: every page the filter keeps
    assert xinhua and all(p.startswith("articles/") for p in xinhua), xinhua
    december = search_page(tab, words="Kerry", type="Article", **{"from": "2015-12-01", "to": "2015-12-31"})
    assert december and all(p.startswith("articles/2015/12/") for p in december), december
    assert search_page(tab, words="Kerry", **{"from": "2016-01-01"}) == []
    assert "Nothing found" in tab.page.locator("#digest-search-status").inner_text()
    tab.screenshot("search-page")


def test_search_page_sorts_by_date_and_marks_the_words(visit):
    tab = visit()
    newest = search_page(tab, words="Kerry", type="Article", sort="newest")
    oldest = search_page(tab, words="Kerry", type="Article", sort="oldest")
    assert len(newest) >= 3 and newest == oldest[::-1], (newest, oldest)
    assert [p[:17] for p in newest] == sorted((p[:17] for p in newest), reverse=True)
    marked = tab.page.locator("#digest-search-results mark").all_inner_texts()
    assert marked and all(word.lower().startswith("kerry") for word in marked), marked


@pytest.fixture(scope="module")
def sharded(site, browser, tmp_path_factory):
    """The same digest with at most 4 pages a search index: several Pagefind indexes, each a
    date range (digest/site/search_index.py, ShardedIndex), queried and merged by digest-query.js."""
    built = build_seed_site(tmp_path_factory.mktemp("sharded"), {CHINESE_FILE: chinese_article()},
                            "search_shard_pages: 4")
    with serve(built.site) as base:
        yield built, base


def test_a_digest_split_into_several_search_indexes_answers_as_one(site, sharded, browser):
    import json
    shards = json.loads((sharded[0].site / "pagefind" / "digest-shards.json").read_text(encoding="utf-8"))
    assert len(shards) >= 4 and all((sharded[0].site / folder / "pagefind.js").exists() for folder in shards)
    assert json.loads((site[0].site / "pagefind" / "digest-shards.json").read_text(encoding="utf-8")) == ["pagefind/"]
    answers = []
    for _, base in (site, sharded):
        tab = Visit(browser, base, DESKTOP)
        try:
            tab.go()
            box = sorted(result_paths(tab, material_search(tab.page, "Kerry")))
            lavrov = sorted(search_page(tab, words="Lavrov"))
            newest = search_page(tab, words="Kerry", type="Article", sort="newest")
            oldest = search_page(tab, words="Kerry", type="Article", sort="oldest")
            xinhua = sorted(search_page(tab, source="Xinhua"))
            tab.page.focus("#digest-story")  # offers the stories the indexes know (their filters)
            tab.page.wait_for_function("document.querySelectorAll('#digest-stories option').length > 0")
            stories = tab.page.locator("#digest-stories option").evaluate_all("options => options.map(o => o.value)")
        finally:
            tab.close()
        assert newest == oldest[::-1] and [p[:17] for p in newest] == sorted((p[:17] for p in newest), reverse=True)
        answers.append((box, lavrov, sorted(newest), xinhua, stories))
    assert answers[0] == answers[1] and all(answers[0]), answers


def test_search_page_form_runs_a_search(visit):
    tab = visit(PHONE)
    tab.go("search/")
    tab.page.fill("#digest-words", "学徒制")
    tab.page.select_option("#digest-language", "Chinese")
    tab.page.click("button[type=submit]")
    tab.page.wait_for_function("document.getElementById('digest-search-status').textContent.match(/result|Nothing/)")
    assert tab.path() == "search/"
    links = tab.page.locator("#digest-search-results a.digest-item__title")
    assert links.first.get_attribute("href").endswith(CHINESE_PAGE)
    tab.screenshot("search-page-chinese")


def page_kinds(site_dir: Path) -> dict[str, str]:
    """One page of each kind in the built site: kind -> path."""
    def first(pattern: str) -> str:
        found = sorted(site_dir.glob(pattern))
        assert found, f"no page {pattern} in the site"
        return found[0].parent.relative_to(site_dir).as_posix() + "/"
    return {"home": "", "story": first("stories/*/index.html"), "storyline": first("storylines/*/index.html"),
            "entity": first("entities/*/index.html"), "source": first("sources/*/index.html"),
            "month": first("archive/*/*/index.html"), "article (English)": KERRY_SEEDS[0],
            "article (Russian)": RUSSIAN_SEED, "article (Chinese)": CHINESE_PAGE, "stories": "stories/",
            "entities": "entities/", "search": "search/?words=Kerry"}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_no_serious_accessibility_violations_on_any_kind_of_page(site, visit, viewport):
    """axe-core (axe-playwright-python) on every kind of page: WCAG 2.1 A and AA rules, no
    violation of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe
    built, _ = site
    axe, tab, found = Axe(), visit(viewport), []
    for kind, path in [*page_kinds(built.site).items(), ("search box", "")]:
        tab.go(path)
        if kind == "search":
            tab.page.wait_for_function("document.getElementById('digest-search-status').textContent.match(/result/)")
        elif kind == "search box":  # Material's box open on the results of "Лавров"
            material_search(tab.page, "Лавров")
        results = axe.run(tab.page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                nodes = "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                                  for node in violation["nodes"][:3])
                found.append(f"{kind} ({path}): {violation['id']} ({violation['impact']}, "
                             f"{len(violation['nodes'])} nodes: {nodes}) — {violation['help']}")
    assert not found, "\n".join(found)


def test_a_story_page_leads_to_its_coverage_in_the_search_page(site, visit):
    built, _ = site
    tab = visit()
    story = next(built.site.glob("stories/*/index.html")).parent.relative_to(built.site).as_posix() + "/"
    tab.go(story)
    timeline = tab.page.locator("ol.digest-timeline a").evaluate_all("links => links.map(a => a.href)")
    tab.page.click("text=Search its coverage")
    tab.page.wait_for_function("document.getElementById('digest-search-status').textContent.match(/result|Nothing/)")
    found = tab.page.locator("#digest-search-results a.digest-item__title").evaluate_all(
        "links => links.map(a => a.href)")
    assert found == timeline, (found, timeline)  # the story's articles, oldest first
