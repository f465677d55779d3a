"""Article text -> safe HTML, with markdown-it-py.

Article text is untrusted and is not Markdown we wrote: it never goes through
Python-Markdown and its extensions (pymdownx.snippets would read files, raw HTML passes
through). markdown-it-py's "zero" preset with only paragraphs, lists and block quotes
enabled, raw HTML off and no links, turns it into paragraphs with every character escaped.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

_RENDERER = MarkdownIt("zero", {"html": False, "breaks": True}).enable(["list", "blockquote", "newline"])


def render_paragraphs(paragraphs: list[str]) -> str:
    return _RENDERER.render("\n\n".join(paragraphs))
