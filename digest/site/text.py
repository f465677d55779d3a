"""Article text -> safe HTML, with markdown-it-py.

Article text is untrusted and is not Markdown we wrote: it never goes through
Python-Markdown and its extensions (pymdownx.snippets would read files, raw HTML passes
through). markdown-it-py's "zero" preset with only paragraphs, lists and block quotes
enabled, raw HTML off and no links, turns it into paragraphs with every character escaped.
Entity links are added as link tokens after parsing, so markdown-it escapes them too.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..sentences import SentenceSplitter

# A paragraph longer than this (characters) is a text that lost its line breaks (pasted or
# scraped as one block: the summary sets' reports, 300-700 words each): shown in pieces of
# about PIECE characters (~60 English words; a Chinese news paragraph of 200-300 characters
# stays whole), whole sentences each. Only the page: the article's paragraphs, its
# translation's and the store's hashes stay as they are.
LONG_PARAGRAPH, PIECE = 1000, 350
_BLOCK_MARKER = re.compile(r"([-*+>]|\d+[.)])(\s|$)")

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


def readable(paragraphs: list[str], links: dict | None, language: str) -> tuple[list[str], dict]:
    """The paragraphs as a page shows them, a paragraph over LONG_PARAGRAPH characters in
    pieces of whole sentences, and `links` moved to the piece holding each text."""
    links = links or {}
    if all(len(p) <= LONG_PARAGRAPH for p in paragraphs):
        return paragraphs, links
    splitter = SentenceSplitter(language)
    shown: list[str] = []
    moved: dict[int, list] = {}
    for index, paragraph in enumerate(paragraphs):
        pieces = _pieces(paragraph, splitter) if len(paragraph) > LONG_PARAGRAPH else [paragraph]
        for text, uri in links.get(index, ()):
            at = next((n for n, piece in enumerate(pieces) if text in piece), 0)
            moved.setdefault(len(shown) + at, []).append((text, uri))
        shown += pieces
    return shown, moved


def _pieces(paragraph: str, splitter: SentenceSplitter) -> list[str]:
    """Whole sentences gathered until a piece holds PIECE characters; a sentence opening with
    a list marker ("- x") stays in the piece before it, where it is no list."""
    pieces: list[str] = []
    size = 0
    for sentence in splitter.split(paragraph):
        if not pieces or (size >= PIECE and not _BLOCK_MARKER.match(sentence)):
            pieces.append(sentence)
            size = 0
        else:
            pieces[-1] += " " + sentence
        size += len(sentence)
    return pieces or [paragraph]


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
