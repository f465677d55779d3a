"""What a model's span of a name is cut to before it becomes a mention: the junk spaCy
leaves on its edges, a name and its bracketed short form, text set in capitals, a span with
no capital letter. Plain functions of the text: english_ner.py and russian_ner.py call them."""

from __future__ import annotations

import re


def has_capital(surface: str) -> bool:
    """A name in English or Russian has a capital letter somewhere ("eBay", "de Gaulle"). The
    models also tag measures, scores and phrases ("0.04secs", "1-14", "defence department" as
    organisations)."""
    return any(c.isupper() for c in surface)


# What spaCy leaves on a name's edges: quotes, brackets, a plural's possessive apostrophe
# ("American Airlines'"), a score or a time beside it ("Lisa Raymond 7-5 6-3", "1.90 News Corp").
_SCORE = r"\d+(?:[-–:.,]\d+)+"
_LEFT_JUNK = re.compile(rf"^(?:[\"“”‘’'(\[]\s*|{_SCORE}\s+)+")
# ... and a function word a span ends on ("Party Committee of", "Hearing of Disputes Relating
# to": spaCy's spans of machine-translated text stop short of a name's last words).
_RIGHT_JUNK = re.compile(rf"(?:\s*[\"“”‘’'(\[,;:\\]|\s+{_SCORE}|\s+(?:of|to|and|for|the|in|on|at|by|with|from))+$")


def tidy_edges(surface: str) -> tuple[int, str]:
    """The name without the junk on its edges, and how many characters went from its start."""
    if surface.count("(") > surface.count(")"):  # "J O'Connor (" of "J O'Connor (Wasps)"
        surface = surface[:surface.rfind("(")].rstrip()
    left = _LEFT_JUNK.match(surface)
    cut = left.end() if left else 0
    return cut, _RIGHT_JUNK.sub("", surface[cut:])


_BRACKETED = re.compile(r"\s*\(([^()]+)\)$")


def bracketed_parts(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """A name and its short form or other spelling in brackets are two names, as they are
    named apart later ("Комитет защиты журналистов (КЗЖ)" -> "Комитет защиты журналистов",
    "КЗЖ"): natasha takes them as one span."""
    bracket = _BRACKETED.search(text, start, stop)
    if not bracket or bracket.start() == start:
        return [(start, stop)]
    return [(start, bracket.start()), (bracket.start(1), bracket.end(1))]


# Two or more words in capitals, one of them of four letters or more: a dateline or a
# headline set in capitals ("NEW YORK", "SOCCER - ROMANIA BEAT LITHUANIA").
_CAPITALS_RUN = re.compile(r"\b[A-Z][A-Z0-9'.&-]*(?:[ \t]+(?:[-–—][ \t]+)?[A-Z][A-Z0-9'.&-]*)+\b")


def no_name(surface: str, words: tuple[str, ...]) -> bool:
    """A span no reader takes for a name: a web or e-mail address, or one word three times
    over ("Zhi Zhi Zhi Zhi Zi Zi": machine translation repeating itself)."""
    return "://" in surface or "@" in surface or any(words.count(w) >= 3 for w in set(words))


def recased(text: str) -> str:
    """The text with its runs of capitals as capitalised words, for spaCy, which reads "NEW"
    of "NEW YORK" as a place and "SOCCER - ROMANIA BEAT" as an organisation. Same length
    and offsets: the spans found are cut from the text as written."""
    def recase(run):
        words = run.group().split()
        if not any(len(w) >= 4 for w in words):
            return run.group()
        return re.sub(r"[A-Z][A-Z0-9'.&-]*", lambda w: w.group()[0] + w.group()[1:].lower(), run.group())
    recased = _CAPITALS_RUN.sub(recase, text)
    return recased if len(recased) == len(text) else text
