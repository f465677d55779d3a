"""Mis-decoded text ("mojibake"): UTF-8 read as Windows-1252 or Windows-1251 somewhere
upstream, a feed or a copy and paste: "Â£1bn", "donâ€™t", "РџСЂРёРІРµС‚". Real news sets
carry it (XSum's articles do), and it leaks into headlines, summaries and entity names
("Â£1.04bn" as an organisation).

ftfy repairs it: a well-kept library whose `fix_encoding` changes text only when the
re-decoded form is clearly more plausible, and only the encoding (quotes, widths and
ligatures stay as written). ftfy reads ~3 MB/s, so a cheap pattern of the marks mojibake
leaves (a UTF-8 lead byte's character followed by a continuation byte's) picks the lines
worth handing to it: a clean digest pays one regex search an article."""

from __future__ import annotations

import re

# Windows-1252: a lead byte C2-F4 read as Â..ô, then a continuation byte 80-BF read as
# Latin-1 or as Windows-1252's punctuation (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ).
_CP1252_TAIL = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" \
               "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
# Windows-1251: Cyrillic's lead bytes D0/D1 read as Р/С, then a continuation byte read as
# Ђ..џ (not а..я), Ё/ё, № or the punctuation above.
_CP1251_TAIL = "\u0401-\u040f\u0451-\u045f\u0490\u0491\u00a0-\u00bf\u2013\u2014\u2018-\u201e" \
               "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2116\u2122"
_MARKS = re.compile(f"[\u00c2-\u00f4][{_CP1252_TAIL}]|[\u0420\u0421][{_CP1251_TAIL}]")


def repair(text: str) -> tuple[str, int | None]:
    """The text with its mis-decoded lines repaired, and the number (1-based) of the first
    line that changed, or None when none did."""
    if not _MARKS.search(text):
        return text, None
    from ftfy import fix_encoding  # only a text with the marks needs it

    lines = text.split("\n")
    first = None
    for index, line in enumerate(lines):
        if _MARKS.search(line):
            fixed = fix_encoding(line)
            if fixed != line:
                lines[index] = fixed
                first = index + 1 if first is None else first
    return ("\n".join(lines), first) if first else (text, None)
