"""Whole pages from a shell: Material's HTML for one kind of page, with each page's own
values put in.

Material takes ~1.3 ms to render a page. On the thousands of generated pages outside the
nav (articles, entities, stories) its HTML differs from page to page only in a few values
(SLOTS: title, description, canonical URL, content, and a story's feed link in the head,
page.meta["digest_head"]) once everything else it reads is the
same: the template, the relative links, the other metadata. The caller puts all of that
in a key. The first page of a key is rendered by Material as usual. At the second, the
page is rendered twice more with probe values in the slots; the shell is the HTML between
the probes, and it is kept only if it gives back exactly the two probe renderings and the
first page's own. Probes hold `<&"'>`, so a slot that Material escapes, strips or encodes
anywhere fails that check, and its key is rendered by Material for every page.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

SLOTS = ("title", "description", "canonical_url", "content", "head")
_Values = tuple  # one value (or None) per slot


def slot_values(page) -> _Values:
    return (page.meta.get("title"), page.meta.get("description"), page.canonical_url, page.content,
            page.meta.get("digest_head"))


class PageShells:
    """Pages of a build by key; `render(template, context)` is Material's rendering."""

    def __init__(self, render: Callable[[str, dict], str]):
        self.render = render
        self._kinds: dict[tuple, tuple] = {}  # key -> ("first", html, values) | ("shell", parts) | ("own",)

    def html(self, key: tuple, template: str, context: dict, page) -> str:
        kind = self._kinds.get(key)
        if kind is None:
            html = self.render(template, context)
            self._kinds[key] = ("first", html, slot_values(page))
            return html
        if kind[0] == "first":
            parts = self._shell(template, context, page, kind[1], kind[2])
            kind = self._kinds[key] = ("shell", parts) if parts else ("own",)
        if kind[0] == "shell":
            return _fill(kind[1], slot_values(page))
        return self.render(template, context)

    def _shell(self, template: str, context: dict, page, first_html: str, first_values: _Values) -> list | None:
        probes = [_probe_values(slot_values(page), n) for n in (1, 2)]
        one, two = (self.render(template, _with_values(context, page, values)) for values in probes)
        slot_of = {value: slot for slot, value in enumerate(probes[0]) if value is not None}
        pieces = re.split("(" + "|".join(map(re.escape, slot_of)) + ")", one)
        # Even positions are Material's HTML, odd ones the slot that goes between them.
        parts = [piece if i % 2 == 0 else slot_of[piece] for i, piece in enumerate(pieces)]
        if _fill(parts, probes[1]) != two or _fill(parts, first_values) != first_html:
            return None
        return parts


def _probe_values(values: _Values, n: int) -> _Values:
    """A probe for each slot that has a value: unlike any text, changed by any escaping, and
    keeping what Material tests in the content ("<h1" in it or not)."""
    return tuple(None if value is None else
                 f"\ue000digest-{slot}-{n}<&\"'>\ue001" + ("<h1" if "<h1" in value else "")
                 for slot, value in zip(SLOTS, values))


def _with_values(context: dict, page, values: _Values) -> dict:
    probe = copy.copy(page)
    probe.meta = dict(page.meta)
    for name, value in (("title", values[0]), ("description", values[1]), ("digest_head", values[4])):
        if value is not None:
            probe.meta[name] = value
    probe.title = values[0]
    probe.canonical_url, probe.content = values[2], values[3]
    return {**context, "page": probe}


def _fill(parts: list, values: _Values) -> str:
    return "".join(part if i % 2 == 0 else values[part] for i, part in enumerate(parts))
