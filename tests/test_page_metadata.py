"""Every page says what it is: a page-specific description, and Open Graph tags for links
shared elsewhere."""

from __future__ import annotations

import html
import re


def test_every_page_has_its_own_description_and_open_graph_tags(seed_site):
    seed_site.build()
    site_description = "An annotated, multilingual news digest"
    descriptions = {}
    for path in seed_site.site.rglob("index.html"):
        page = path.read_text(encoding="utf-8")
        rel = path.relative_to(seed_site.site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        for prop in ("og:site_name", "og:type", "og:title", "og:description"):
            assert f'<meta property="{prop}" content="' in page, (rel, prop)
        assert len(re.findall(r'<link rel="canonical" href="(\./|\.|index\.html)"', page)) == 1 or (
            rel == "index.html" and '<link rel="canonical" href="."' in page), (rel, re.findall(r'<link rel="canonical"[^>]*>', page))
        found = re.search(r'<meta name="description" content="([^"]*)"', page)
        assert found, rel
        descriptions[rel] = html.unescape(found.group(1))
    assert len(descriptions) > 30
    generic = sorted(rel for rel, text in descriptions.items() if text == site_description)
    assert generic == ["about/index.html"], generic  # the editors' own page keeps the site's
    assert descriptions["entities/sergey-lavrov/index.html"].startswith("A person named in ")
    assert descriptions["sources/xinhua/index.html"] == "1 article from Xinhua."
    assert 'content="article"' in (seed_site.site / next(r for r in descriptions if r.startswith("articles/"))).read_text()
    # As search results and link previews show them: at most 160 characters, ended at a word;
    # an article's is its summary, cut so.
    assert max(map(len, descriptions.values())) <= 160
    cut = 0
    for rel, text in descriptions.items():
        if rel.startswith("articles/"):
            page = (seed_site.site / rel).read_text(encoding="utf-8")
            summary = html.unescape(re.search(r'data-pagefind-meta="summary">(.*?)</p>', page, re.S).group(1))
            summary = " ".join(re.sub(r"<[^>]+>", "", summary).split())
            if text.endswith("…"):
                cut += 1
                assert summary.startswith(text[:-1]) and summary[len(text) - 1] in " ,;:-–—", (text, summary)
            else:
                assert text == summary
    assert cut >= 3


def test_text_language_names_texts_outside_latin_script():
    from digest.site.render import text_language
    assert text_language("Reuters") is None
    assert text_language("Le Monde", "fr") is None  # Latin letters: the English page's lang is close enough
    assert text_language("Спутник", "ru") == "ru"
    assert text_language("Українська правда", "uk") == "uk"
    assert text_language("Спутник") == "ru"  # no hint: its script's usual language
    assert text_language("新华社", "en") == "zh"
    assert text_language("2015 — «ТАСС»") == "ru"


def test_names_not_in_english_carry_their_language(site):
    """A source named in Cyrillic, and a headline, are marked `lang="ru"` wherever they appear
    among English: the byline, the source page, the sources index."""
    site.article("2015/12/a.md", title="'Лавров: РФ готова бороться с ИГ'", source="Вечерний Сухум", language="ru",
                 body="Глава МИД Сергей Лавров заявил, что удовлетворен итогами встречи.\n\nЭто второй абзац.")
    site.article("2015/12/b.md", title="Kerry in Moscow", source="Reuters",
                 body="John Kerry arrived in Moscow.\n\nHe met Sergei Lavrov.")
    site.build()
    home = site.page("index.html")
    assert re.search(r'<a href="sources/[a-z-]+/" lang="ru">Вечерний Сухум</a>', home), home
    assert re.search(r'<a href="sources/reuters/">Reuters</a>', home)
    assert re.search(r'<a class="digest-item__title" href="articles/2015/12/a/" lang="ru">Лавров', home)
    source_page = next(p for p in site.site.glob("sources/*/index.html") if "reuters" not in str(p)).read_text(encoding="utf-8")
    assert '<h1 lang="ru">Вечерний Сухум</h1>' in source_page
    assert re.search(r'lang="ru">Вечерний Сухум</a>', site.page("sources/index.html"))
