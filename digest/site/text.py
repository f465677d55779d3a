"""Article text -> safe HTML, with markdown-it-py.

Article text is untrusted and is not Markdown we wrote: it never goes through
Python-Markdown and its extensions (pymdownx.snippets would read files, raw HTML passes
through). markdown-it-py's "zero" preset with only paragraphs, lists and block quotes
enabled, raw HTML off and no links, turns it into paragraphs with every character escaped.
Entity links are added as link tokens after parsing, so markdown-it escapes them too.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

# One parser for every page: building it costs more than parsing a short article.
_MARKDOWN = MarkdownIt("zero", {"html": False, "breaks": True}).enable(["list", "blockquote", "newline"])


def render_paragraphs(paragraphs: list[str], links: dict | None = None,
                      url: Callable[[str], str] | None = None) -> str:
    """HTML for the paragraphs; `links` maps a paragraph index to [(text, page uri)]: the
    first occurrence of each text in that paragraph becomes a link to url(page uri)."""
    tokens = _MARKDOWN.parse("\n\n".join(paragraphs))
    if links and url:
        _link_mentions(tokens, paragraphs, links, url)
    return _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})


def _link_mentions(tokens: list[Token], paragraphs: list[str], links: dict, url) -> None:
    starts, line = [], 0
    for paragraph in paragraphs:  # the source line where each paragraph begins
        starts.append(line)
        line += paragraph.count("\n") + 2
    pending = {index: list(items) for index, items in links.items()}
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        index = bisect_right(starts, token.map[0]) - 1
        for text, uri in list(pending.get(index, ())):
            if _link_first(token, text, url(uri)):
                pending[index].remove((text, uri))


def _link_first(inline: Token, text: str, href: str) -> bool:
    for position, child in enumerate(inline.children):
        if child.type != "text" or text not in child.content:
            continue
        before, _, after = child.content.partition(text)
        # No class: the text has no other links (links are off), and ~25 an article add up.
        link = [Token("link_open", "a", 1, attrs={"href": href}),
                Token("text", "", 0, content=text), Token("link_close", "a", -1)]
        pieces = ([Token("text", "", 0, content=before)] if before else []) + link
        pieces += [Token("text", "", 0, content=after)] if after else []
        inline.children[position:position + 1] = pieces
        return True
    return False
