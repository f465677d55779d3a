"""Article items rendered once per page depth, with links that resolve from every page."""

from __future__ import annotations

import posixpath
from types import SimpleNamespace

from markupsafe import Markup

from digest.site.page_links import ListedItems, PageLinks


def test_an_item_is_rendered_once_per_depth_and_links_from_the_page_it_is_on():
    calls = []

    def macro(article, url, summary):
        calls.append((article.slug, summary))
        return Markup(f'<a href="{url(article.page_uri)}">{article.slug}</a>')

    site_urls = {"articles/a.md": "articles/2015/a/", "articles/b.md": "articles/2015/b/"}
    items = ListedItems(macro, site_urls.__getitem__)
    a, b = (SimpleNamespace(slug=s, page_uri=f"articles/{s}.md") for s in "ab")
    pages = ["./", "entities/putin/", "entities/obama/", "entities/obama/2/"]
    shown = {page: PageLinks(lambda uri: uri, items, page).item(a, summary=False) for page in pages}
    PageLinks(lambda uri: uri, items, "entities/kerry/").item(b)
    assert calls == [("a", False), ("a", False), ("a", False), ("b", True)]  # home, depth 2, depth 3; b
    for page, html in shown.items():
        href = html.split('"')[1]
        assert posixpath.normpath(posixpath.join(page.removeprefix("./"), href)) == "articles/2015/a", (page, href)
