"""Issue 4's bar on the built seed site: none of the junk cleaning removes reaches an article's
text or summary on any page, and every paragraph it keeps does."""

from __future__ import annotations

import html
import json
import re

# Lines whose text legitimately stays on the site elsewhere: the headline is the page's title,
# the site name its source, and a "See also" headline becomes a link to that article.
SHOWN_ELSEWHERE = {"repeated-title", "site-name"}


def normalize(text: str) -> str:
    return " ".join(html.unescape(text).split())


def text_blocks(page: str) -> str:
    """The article text (every tab) and summaries of a page, as plain text."""
    blocks = re.findall(r'<div class="(?:tabbed-block )?digest-text"[^>]*>(.*?)</div>', page, re.S)
    blocks += re.findall(r'<p class="digest-item__summary"[^>]*>(.*?)</p>', page, re.S)
    blocks += re.findall(r'<div class="admonition abstract digest-summary">(.*?)</div>', page, re.S)
    return normalize(re.sub(r"<[^>]+>", " ", re.sub(r"</?a\b[^>]*>", "", " ".join(blocks))))


def test_no_junk_and_every_kept_paragraph_on_the_seed_site(seed_site):
    seed_site.build()
    every_page = " ".join(text_blocks(p.read_text(encoding="utf-8")) for p in seed_site.site.rglob("*.html"))
    index = json.loads((seed_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searchable = normalize(" ".join(re.sub(r"<[^>]+>", " ", d["text"]) for d in index["docs"]))
    checked = 0
    for article in sorted(seed_site.articles.rglob("*.md")):
        record = json.loads(seed_site.digest("inspect", str(article), "--json").stdout)
        page = next(seed_site.site.glob(f"articles/*/*/{article.stem}/index.html")).read_text(encoding="utf-8")
        own_text = text_blocks(page)
        for paragraph in record["paragraphs"]:
            assert normalize(paragraph) in own_text, (article.name, paragraph[:60])
        for removed in record["removed"]:
            if removed["rule"] in SHOWN_ELSEWHERE or len(removed["text"]) < 12:
                continue
            if removed["text"] in record["see_also"]:
                assert normalize(removed["text"]) not in own_text, (article.name, removed)
                continue
            line = normalize(removed["text"])
            assert line not in every_page, (article.name, removed)
            assert line not in searchable, (article.name, removed)
            checked += 1
    assert checked >= 30  # the seeds carry that much junk


def test_no_article_page_shows_its_summary_twice(seed_site):
    """A summary that is the text's own opening (its lead sentences) gets no summary box:
    the page shows it once, and search results still carry it (hidden Pagefind meta)."""
    seed_site.build()
    hidden = 0
    for page_path in seed_site.site.glob("articles/*/*/*/index.html"):
        page = page_path.read_text(encoding="utf-8")
        box = re.search(r'<div class="admonition abstract digest-summary">.*?<p lang="[^"]*" '
                        r'data-pagefind-meta="summary">(.*?)</p>', page, re.S)
        texts = re.findall(r'<div class="(?:tabbed-block )?digest-text"[^>]*>(.*?)</div>', page, re.S)
        shown = [normalize(re.sub(r"<[^>]+>", " ", re.sub(r"</?a\b[^>]*>", "", t))) for t in texts]
        if box:
            assert not any(t.startswith(normalize(box.group(1))) for t in shown), page_path
        else:
            meta = re.search(r'<p hidden lang="[^"]*" data-pagefind-meta="summary">(.*?)</p>', page, re.S)
            assert meta and any(t.startswith(normalize(meta.group(1))) for t in shown), page_path
            hidden += 1
    assert hidden >= 1  # some seed's summary is its lead
