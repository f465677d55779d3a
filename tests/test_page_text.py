"""What an article page shows of a text that lost its line breaks: pieces of whole sentences."""

from __future__ import annotations

from digest.site.text import LONG_PARAGRAPH, readable, render_paragraphs

SENTENCES = [f"Sentence {n} tells the reader about the council's plan for the town centre in some detail." for n in range(40)]


def test_a_paragraph_that_lost_its_line_breaks_is_shown_in_pieces_of_whole_sentences():
    """The summary sets' reports come as one paragraph of 300-700 words: one wall of text."""
    long = " ".join(SENTENCES)
    assert len(long) > LONG_PARAGRAPH
    shown, links = readable(["A short opening.", long], {1: [("Sentence 30", "entities/x/")]}, "en")
    assert shown[0] == "A short opening." and len(shown) > 4
    assert " ".join(shown[1:]).split() == long.split()  # nothing lost, nothing added
    assert all(piece.endswith(".") and piece[0].isupper() for piece in shown)
    piece = next(n for n, text in enumerate(shown) if "Sentence 30 " in text)
    assert links == {piece: [("Sentence 30", "entities/x/")]}
    html = render_paragraphs(shown, links, lambda uri: f"/{uri}")
    assert html.count("<p>") == len(shown) and '<a href="/entities/x/">Sentence 30</a>' in html


def test_short_paragraphs_and_list_markers_are_left_alone():
    paragraphs = ["One.", "Two sentences here. And a second.", "俄罗斯外交部长拉夫罗夫周一表示，俄方准备与美国领导的联盟协调行动。" * 8]
    assert readable(paragraphs, None, "zh") == (paragraphs, {})  # a Chinese paragraph of 280 characters
    # A sentence that would open a piece with "- " would turn it into a list: it stays inside.
    long = " ".join(SENTENCES[:12] + ["- and then the list."] + SENTENCES[12:24])
    shown, _ = readable([long], None, "en")
    assert not any(piece.startswith("- ") for piece in shown)
    assert "<li>" not in render_paragraphs(shown)
    # A long paragraph that is itself a list item keeps its marker where it was (a Chinese
    # wiki page's did: the build failed on it).
    item = "- " + " ".join(SENTENCES[:20])
    shown, _ = readable([item], None, "en")
    assert shown[0].startswith("- Sentence 0") and " ".join(shown).split() == item.split()
