"""End to end: the seed digest built by the real MkDocs, read back as HTML."""

from __future__ import annotations

import html
import json
import re

from .conftest import SEEDS, Site


def text_of(page: str) -> str:
    """The page's text: inline tags (entity links) vanish, block tags separate words."""
    page = re.sub(r"</?(a|span|em|strong|mark|code)\b[^>]*>", "", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_seed_digest_builds_with_every_real_paragraph(seed_site):
    # Not --strict: the Russian seed has no ru->en model here, which is a warning.
    seed_site.build()
    pages = sorted(seed_site.site.glob("articles/*/*/*/index.html"))
    assert len(pages) == 5
    texts = " ".join(" ".join(text_of(p.read_text(encoding="utf-8")).split()) for p in pages)
    # A real paragraph from each seed is on its page.
    for name, paragraph_start in [
        ("000", "Washington shows no willingness to establish full coordination"),
        ("001", "This was stated by Minister of foreign Affairs of the Russian Federation Sergey Lavrov"),
        ("002", "Moscow criticized Washington for its Syria policy on Monday"),
        ("003", "Глава МИД РФ Сергей Лавров заявил, что удовлетворен итогами встречи"),
        ("004", "The center, created by the Russian Federation, Syria, Iran and Iraq"),
    ]:
        seed_text = next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
        paragraph = next(p for p in seed_text.split("\n\n") if paragraph_start in p)
        assert " ".join(paragraph.split()) in texts, name


def test_listing_pages(seed_site):
    seed_site.build()
    home = seed_site.page("index.html")
    assert 'href="stories/' in home.split('id="articles"')[0], "latest stories come first"
    titles = re.findall(r'class="digest-item__title" href="([^"]+)"[^>]*>([^<]+)<', home.split('id="articles"')[1])
    assert len(titles) == 5
    # Latest first.
    assert titles[0][1].startswith("Russia criticizes US") and "Washington: Joint" in html.unescape(titles[-1][1])
    assert "Xinhua" in home and "15 December 2015" in home
    archive = seed_site.page("archive/index.html")
    assert "December 2015" in archive and "November 2015" in archive and "September 2015" in archive
    december = seed_site.page("archive/2015/12/index.html")
    assert december.count('class="digest-item"') == 3
    assert "Military Review" in seed_site.page("sources/military-review/index.html")
    assert "Sputnik Abkhazia" in seed_site.page("sources/index.html")  # the registry's name for Спутник-Абхазия
    profile = seed_site.page("sources/sputnik-abkhazia/index.html")
    assert "Also written" in profile and "Спутник-Абхазия" in profile and "sputnik-abkhazia.ru" in profile
    assert (seed_site.site / "languages/index.html").exists()


def test_article_page_has_metadata_and_stable_url(seed_site):
    seed_site.build()
    page = seed_site.page("articles/2015/11/lavrov-rf-gotova-sovmestno-s-mezhdunarodnoi-koalitsiei-borotsia-s-ig/index.html")
    assert "<h1" in page and "Лавров: РФ готова совместно с международной коалицией бороться с ИГ" in page
    assert "Sputnik Abkhazia" in page and "14 November 2015, 22:54" in page


def test_articles_are_kept_out_of_the_nav(seed_site):
    seed_site.build()
    home = seed_site.page("index.html")
    nav = home[home.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[:nav.index("</nav>")]
    assert "articles/" not in nav
    assert "Archive" in nav and "Sources" in nav


def test_article_sources_are_not_published_raw(seed_site):
    seed_site.build()
    assert not list(seed_site.site.rglob("*.md"))


def test_stories_entities_and_related_on_the_seed_site(seed_site, tmp_path):
    import os
    os.environ["DIGEST_MODELS_DIR"] = str(tmp_path / "no-models")  # no ru->en model at all
    try:
        seed_site.build()
    finally:
        os.environ.pop("DIGEST_MODELS_DIR")
    articles = {p.parent.name: p.read_text(encoding="utf-8")
                for p in seed_site.site.glob("articles/*/*/*/index.html")}
    a000 = articles["the-russian-foreign-ministry-us-reluctant-to-establish-coordination-with-russia"]
    a002 = articles["russia-criticizes-us-for-lack-of-willingness-to-coordinate-over-syria-crisis"]
    a003 = articles["lavrov-rf-gotova-sovmestno-s-mezhdunarodnoi-koalitsiei-borotsia-s-ig"]

    # 000 and 002: one story, each other's top related.
    [story] = [p for p in seed_site.site.glob("stories/*/index.html")]
    timeline = story.read_text(encoding="utf-8")
    assert "Russia criticizes US for lack of willingness" in timeline
    assert "The Russian foreign Ministry: US reluctant" in timeline
    def first_related(page):
        return page.split('id="related"')[1].split('class="digest-item__title" href="')[1].split('"')[0]
    assert "russia-criticizes-us" in first_related(a000)
    assert "the-russian-foreign-ministry" in first_related(a002)

    # 000's "See also" links to 001.
    see_also = a000.split('id="see-also"')[1].split("</ul>")[0]
    assert "lavrov-on-joining-the-coalition-of-the-us" in see_also

    # The Russian seed, untranslated, is related to English coverage and shares entity pages.
    assert "This article is shown in Russian, as published" in " ".join(a003.split())
    assert "russia-criticizes-us" in a003.split('id="related"')[1]
    for entity in ("sergey-lavrov", "john-kerry", "islamic-state", "syria", "united-states"):
        page = (seed_site.site / "entities" / entity / "index.html").read_text(encoding="utf-8")
        assert "lavrov-rf-gotova" in page, entity  # the Russian article
        assert "russia-criticizes-us" in page or "lavrov-on-joining" in page, entity  # and English ones
        assert f'entities/{entity}/' in a003, entity  # chips / first-mention links on the Russian page
    # First mention in the Russian text links to the entity page.
    russian_text = a003.split('class="digest-text"')[1].split("</div>")[0]
    assert '<a href="../../../../entities/' in russian_text
    entities_index = seed_site.page("entities/index.html")
    assert "People" in entities_index and "Places" in entities_index and "Organisations" in entities_index


def test_page_shells_give_what_material_renders(seed_site, monkeypatch):
    """Pages outside the nav come from shells (digest/site/shells.py): each page must be byte
    for byte the page Material renders."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from digest.site.plugin import DigestPlugin

    seed_site.build()
    monkeypatch.setattr(DigestPlugin, "_shell_key", staticmethod(lambda context, page, nav: None))
    monkeypatch.chdir(seed_site.root)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    plain = seed_site.root / "plain"
    try:
        build(load_config(str(seed_site.root / "mkdocs.yml"), site_dir=str(plain)))
    finally:
        gc.unfreeze()  # the plugin froze what the build made: collectable again
    pages = sorted(seed_site.site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert page.read_text(encoding="utf-8") == (plain / page.relative_to(seed_site.site)).read_text(
            encoding="utf-8"), page


def test_pages_share_materials_javascript_chrome_unless_the_theme_replaces_it(tmp_path):
    """Material's search dialog, configuration and "Back to top" button are in the site's one
    digest-chrome.js, rendered from Material's own partials; a theme folder with its own
    partials/search.html gets Material's pages as usual (digest/site/chrome.py)."""
    site = Site(tmp_path)
    site.article("2015/12/one.md", title="Kerry meets Lavrov in Moscow")
    site.build()
    page = (site.site / "articles/2015/12/one/index.html").read_text(encoding="utf-8")
    assert 'id="__config"' not in page and "md-search__input" not in page and "md-top" not in page
    assert '<script src="../../../../assets/javascripts/digest-chrome.js" data-base="../../../.."></script>' in page
    script = (site.site / "assets/javascripts/digest-chrome.js").read_text(encoding="utf-8")
    chrome = json.loads(re.search(r"\}\)\((\{.*\})\)\s*$", script, re.S).group(1))
    assert chrome["config"]["translations"]["search.result.none"] == "No matching documents"
    assert chrome["config"]["search"].endswith(".min.js") and chrome["engine"] == "pagefind"
    assert 'class="md-search__input"' in chrome["search"] and 'data-md-component="top"' in chrome["top"]
    # The navigation drawer of a page outside the nav too; the home page keeps its own.
    assert "md-nav__link" not in page and "data-digest-nav" in page
    assert '<a href="./stories/" class="md-nav__link">' in chrome["nav"]
    assert '<a href="stories/" class="md-nav__link">' in (site.site / "index.html").read_text(encoding="utf-8")
    # Without tabs, the drawer is the only way around without JavaScript: it stays.
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    (site.root / "mkdocs.yml").write_text(config.replace("    - navigation.tabs\n", ""), encoding="utf-8")
    site.build()
    page = (site.site / "articles/2015/12/one/index.html").read_text(encoding="utf-8")
    assert '<a href="../../../../stories/" class="md-nav__link">' in page and "data-digest-nav" not in page
    (site.root / "mkdocs.yml").write_text(config, encoding="utf-8")

    (site.root / "theme" / "partials").mkdir(exist_ok=True)
    (site.root / "theme" / "partials" / "search.html").write_text('<div class="own-search"></div>', encoding="utf-8")
    site.build()
    page = (site.site / "articles/2015/12/one/index.html").read_text(encoding="utf-8")
    assert '<div class="own-search"></div>' in page and 'id="__config"' in page and "digest-chrome.js" not in page
    assert "digest-search.js" in page  # the box is still answered by the digest's worker


def test_a_rebuild_carries_the_unchanged_search_index_over(tmp_path):
    """Pages unchanged since the published build: their Pagefind shard is linked from the
    published site, not indexed again (search_index.ShardedIndex)."""
    site = Site(tmp_path)
    site.article("2015/12/one.md", title="Kerry meets Lavrov in Moscow")
    site.build()
    entry = site.site / "pagefind" / "pagefind-entry.json"
    written = entry.stat().st_ino
    assert "1 of 1 shards carried over unchanged" in site.build().stderr
    assert entry.stat().st_ino == written
    site.article("2015/12/two.md", title="Lavrov answers Kerry", body="Lavrov spoke in Geneva on Monday.")
    assert "carried over" not in site.build().stderr
    assert entry.stat().st_ino != written
