"""Listings come in pages of `render.page_size` items, numbered, with previous and next."""

from __future__ import annotations

import re

from digest.site.render import paginate


def test_paginate_names_the_pages_to_link():
    pages = list(paginate("sources/xinhua.md", list(range(23)), 5))
    assert [uri for uri, _, _ in pages] == ["sources/xinhua.md"] + [f"sources/xinhua/{k}.md" for k in range(2, 6)]
    assert [len(items) for _, items, _ in pages] == [5, 5, 5, 5, 3]
    first, last = pages[0][2], pages[-1][2]
    assert first["previous"] is None and first["next"] == "sources/xinhua/2.md"
    assert last["previous"] == "sources/xinhua/4.md" and last["next"] is None
    assert [uri for uri, _, _ in paginate("stories/index.md", list(range(3)), 1)] == [
        "stories/index.md", "stories/page/2.md", "stories/page/3.md"]
    many = list(paginate("archive/2015/12.md", list(range(1000)), 5))[99][2]  # page 100 of 200
    assert [(n, gap) for n, _, gap in many["links"]] == [(1, False), (97, True), (98, False), (99, False),
                                                          (100, False), (101, False), (102, False), (103, False),
                                                          (200, True)]
    assert list(paginate("tags/x.md", [], 5))[0][1] == []  # an empty listing is one page


def test_a_source_with_more_articles_than_a_page_gets_numbered_pages(site):
    with_settings(site, "render:\n  page_size: 3\n")
    topics = ["grain exports", "river floods", "bank rates", "chess finals", "rail strikes", "solar farms",
              "school meals"]
    for n, topic in enumerate(topics):
        site.article(f"2015/12/a{n}.md", title=f"News about {topic}", source="Xinhua", published=f"2015-12-{n + 10}",
                     body=f"A report about {topic} number {n}, with words of its own: {topic} {n} {n * 7}.")
    site.build()
    first = site.page("sources/xinhua/index.html")
    assert "7 articles · page 1 of 3" in " ".join(first.split())
    assert first.count('class="digest-item"') == 3
    assert re.search(r'<a class="digest-pager__next" rel="next" href="2/">Older →</a>', first)
    third = site.page("sources/xinhua/3/index.html")
    assert third.count('class="digest-item"') == 1 and "News about grain exports" in third
    assert re.search(r'rel="prev" href="../2/"', third)
    assert "Xinhua (page 3 of 3)" in third  # the page's title says which page it is


def with_settings(site, text: str) -> None:
    """The site's plugin reads settings.yml with `text` in it."""
    (site.root / "settings.yml").write_text(text, encoding="utf-8")
    site.plugin_options("settings: settings.yml")


def test_the_entities_index_comes_in_pages_too(seed_site):
    """Four listing pages' worth of names a page (page_size 1 here: four names a page)."""
    with_settings(seed_site, "render:\n  page_size: 1\n")
    seed_site.build()
    first = seed_site.page("entities/index.html")
    assert len(re.findall(r'<li><a href="[^"]+">', first)) == 4
    assert re.search(r'rel="next" href="page/2/"', first)
    second = seed_site.page("entities/page/2/index.html")
    assert re.search(r'rel="prev" href="../../"', second) and "(page 2 of " in second
    # An entity's articles are headlines alone: four listing pages' worth a page too.
    site_dir = seed_site.site / "entities"
    paged = {page.parent.parent.name for page in site_dir.glob("*/2/index.html")} - {"page"}
    assert paged, "an entity named in more than four seeds has a second page"
    for name in paged:
        first = seed_site.page(f"entities/{name}/index.html")
        assert first.count('class="digest-item"') == 4 and '"digest-pager__next" rel="next" href="2/"' in first


def test_storylines_have_their_own_index_and_the_stories_index_shows_a_few(seed_site):
    """At 10,000 articles there are thousands of storylines: the stories index shows
    `home_stories` of them (none here) and links to storylines/, a listing in pages."""
    with_settings(seed_site, "render:\n  home_stories: 0\n")
    seed_site.build()
    stories = seed_site.page("stories/index.html")
    assert 'class="digest-item digest-storyline"' not in stories
    assert '<a href="../storylines/">Every storyline</a>' in stories
    index = seed_site.page("storylines/index.html")
    assert index.count('class="digest-item digest-storyline"') == 1


def test_an_entity_page_lists_its_latest_stories(site):
    """An entity named in hundreds of stories (the US in a 100,000-article digest: 541, 64 KB of
    its first page) lists the latest `page_size` of them and says how many more there are."""
    with_settings(site, "render:\n  page_size: 2\n")
    topics = ["grain exports", "river floods", "bank rates", "chess finals"]
    for n, topic in enumerate(topics):
        site.article(f"2015/12/s{n}.md", title=f"Geneva talks on {topic}", published=f"2015-12-{n + 10}",
                     story=f"geneva-{n}", body=f"Delegates met in Geneva on {topic}. Geneva hosted the talks on {topic}.")
    site.build()
    page = site.page("entities/geneva/index.html")
    stories = page.split('<h2 id="stories">', 1)[1].split("</ul>", 1)[0]
    assert stories.count("<li>") == 2 and "chess finals" in stories and "grain exports" not in stories
    assert "The latest 2; 2 earlier stories: each article's page names its own." in " ".join(page.split())
