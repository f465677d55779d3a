"""Links from one page, and the article items its listings show.

An article is listed on many pages (its sources, language, month, tags and every entity it
names): at 10,000 articles, 197,000 list items, and rendering them in Jinja was two thirds
of our page fragments' time. An item depends only on the article, whether its summary is
shown and how deep the page is (its links go up to the site's root and down to the target),
so each is rendered once per such triple and reused.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ..model import Article


class ListedItems:
    """article -> its list item's HTML (the `article_item` macro), once per page depth. At most
    `size` items are kept; past that the store starts again (a build lists each article's items
    in runs: an entity's pages, then the next entity's)."""

    def __init__(self, macro: Callable[..., Markup], site_url: Callable[[str], str], size: int = 50_000):
        self._macro = macro
        self._site_url = site_url  # a page's URL from the site's root
        self._size = size
        self._rendered: dict[tuple[str, bool, str], Markup] = {}

    def __call__(self, article: Article, summary: bool, up: str) -> Markup:
        key = (article.slug, summary, up)
        item = self._rendered.get(key)
        if item is None:
            if len(self._rendered) >= self._size:
                self._rendered.clear()
            item = self._rendered[key] = self._macro(article, lambda uri: up + self._site_url(uri), summary=summary)
        return item


class PageLinks:
    """In a page's fragment, `url(uri)` is another page's URL relative to this one and
    `url.item(article, summary=True)` an article's list item."""

    def __init__(self, relative: Callable[[str], str], items: ListedItems, page_url: str):
        self._relative = relative
        self._items = items
        self._up = "../" * page_url.removeprefix("./").count("/")  # from this page to the site's root ("./" is the home)

    def __call__(self, uri: str) -> str:
        return self._relative(uri)

    def item(self, article: Article, summary: bool = True) -> Markup:
        return self._items(article, summary, self._up)
