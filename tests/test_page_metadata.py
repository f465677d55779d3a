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
        if rel.startswith(("pagefind/", "search/")):
            continue
        for prop in ("og:site_name", "og:type", "og:title", "og:description"):
            assert f'<meta property="{prop}" content="' in page, (rel, prop)
        found = re.search(r'<meta name="description" content="([^"]*)"', page)
        assert found, rel
        descriptions[rel] = html.unescape(found.group(1))
    assert len(descriptions) > 30
    generic = sorted(rel for rel, text in descriptions.items() if text == site_description)
    assert generic == ["about/index.html"], generic  # the editors' own page keeps the site's
    assert descriptions["entities/sergey-lavrov/index.html"].startswith("A person named in ")
    assert descriptions["sources/xinhua/index.html"] == "1 article from Xinhua."
    assert 'content="article"' in (seed_site.site / next(r for r in descriptions if r.startswith("articles/"))).read_text()
