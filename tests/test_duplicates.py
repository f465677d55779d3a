"""near_duplicates: MinHash banding finds the close pairs, however many copies there are."""

from __future__ import annotations

from pathlib import Path

from digest.intake.duplicates import near_duplicates
from digest.settings import load_settings

BBC = (Path(__file__).resolve().parents[2] / "shared" / "data" / "summarization" / "bbc-news-summary"
       / "BBC News Summary" / "News Articles" / "business")


def texts(count: int) -> list[str]:
    """Real news texts (the BBC set), one per file, as one paragraph each."""
    files = sorted(BBC.glob("*.txt"))[:count]
    return [" ".join(f.read_text(encoding="latin-1").split()) for f in files]


def test_a_wire_story_in_eighty_outlets_is_found_in_every_pair():
    """Each copy differs by its last line; all 81 texts are one story. (The bottom-k sketch
    used before skipped shingles shared by 50 texts or more, and found none of these.)"""
    original, *others = texts(40)
    bodies = {f"other{i}": text for i, text in enumerate(others)}
    bodies["original"] = original
    bodies.update({f"copy{k:02d}": f"{original} Published by outlet {k}." for k in range(80)})
    pairs = {(a, b) for a, b, _ in near_duplicates(bodies, load_settings(None))}
    copies = {"original", *(f"copy{k:02d}" for k in range(80))}
    assert pairs == {(a, b) for a in copies for b in copies if a < b}


def test_a_sentence_changed_is_a_near_duplicate_and_other_articles_are_not():
    first, second, *rest = texts(30)
    sentences = first.split(". ")
    edited = ". ".join(sentences[:3] + ["The figures were revised on Monday"] + sentences[4:])
    bodies = {"first": first, "edited": edited, "second": second, **{f"r{i}": t for i, t in enumerate(rest)}}
    found = near_duplicates(bodies, load_settings(None))
    assert [(a, b) for a, b, _ in found] == [("edited", "first")]
    assert 0.8 <= found[0][2] < 1.0
