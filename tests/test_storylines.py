"""Storylines: the five seeds (US-Russia coordination against Islamic State, Sep-Dec 2015)
are found as one storyline with no pin; editors pin, merge and split with `storyline:`; the
site gives it a page, a feed, and lists it on the home page and the stories index."""

from __future__ import annotations

import re

import dataclasses
import json
import xml.etree.ElementTree as ET

import pytest

from digest.annotate.entities import RussianNLP, load_registry
from digest.annotate.link import link
from digest.settings import load_settings
from digest.annotate.storylines import storylines

from .test_link import REGISTRY, seed_articles


@pytest.fixture(scope="module")
def seeds():
    return seed_articles()


@pytest.fixture(scope="module")
def nlp():
    return RussianNLP()


def lines_of(articles, nlp, registry=True):
    settings = load_settings()
    stories, entities, _ = link(articles, settings, load_registry(REGISTRY) if registry else [], nlp)
    return storylines(articles, stories, entities, settings)


@pytest.mark.parametrize("registry", [True, False], ids=["with the registry", "without it"])
def test_the_five_seeds_are_one_storyline_without_a_pin(seeds, nlp, registry):
    assert not any(a.storyline_override or a.story_override for a in seeds)
    lines = lines_of(seeds, nlp, registry)
    assert len(lines) == 1
    assert sorted(lines[0].articles) == sorted(a.slug for a in seeds)
    assert len(lines[0].events) == 4 and len(lines[0].stories) == 1  # one story of two articles
    assert {"sergey-lavrov", "john-kerry", "islamic-state"} <= set(lines[0].entities) or not registry


def test_one_days_news_is_no_storyline(seeds, nlp):
    """The same four events, all moved to one day, are no storyline: a storyline follows a
    topic over time (a digest of one hour's news had made ten); pinned, they are one."""
    day = seeds[0].published
    same_day = [dataclasses.replace(a, published=day) for a in seeds]
    assert lines_of(same_day, nlp) == []
    pinned = [dataclasses.replace(a, storyline_override="one-day") for a in same_day]
    assert [line.slug for line in lines_of(pinned, nlp)] == ["one-day"]


def test_an_outlet_credited_in_the_text_is_no_topic(nlp):
    """Reports that share only the agency they credit ("(AP)", "Associated Press said") are
    no storyline; a topic they share is."""
    from datetime import timedelta

    from digest.intake.sources import load_sources

    from .test_link import post
    texts = ["SANTA FE (AP) — A cat missing for five years was found in Santa Fe, the Associated Press "
             "reported. The AP said the shelter in Santa Fe found the cat.",
             "DETROIT (AP) — Michigan officials reported a sixth death from a rare virus, the "
             "Associated Press reported. The AP said officials in Michigan warned residents."]
    articles = [dataclasses.replace(post(f"ap-{n}", "en", text), published=post("x", "en", "x").published
                                    + timedelta(days=3 * n)) for n, text in enumerate(texts * 2)]
    settings = load_settings()
    stories, entities, _ = link(articles, settings, [], nlp)
    assert any(e.name in ("AP", "Associated Press") for e in entities), [e.name for e in entities]
    lines = storylines(articles, stories, entities, settings, load_sources())
    assert all({"associated-press", "ap"}.isdisjoint(line.entities) for line in lines), lines
    assert all({a.slug for a in articles if "cat" in a.body} >= set(line.articles)
               or {a.slug for a in articles if "virus" in a.body} >= set(line.articles) for line in lines), lines


def test_events_sharing_one_entity_are_no_storyline(nlp, tmp_path):
    """Events that name only China in common (translated pages of a city council's session and
    a potato harvest, days apart) are no topic, however alike their short entity vectors:
    with one shared entity allowed, they were a storyline."""
    from datetime import timedelta

    from .test_link import post
    texts = ["The city council of Bayannur in China opened its session on Friday. Delegates praised the "
             "council's work on roads and schools in China.",
             "Potato farmers in Ningxia, China, harvested early this year. Farmers in China sold potatoes "
             "at a good price, a Ningxia official said.",
             "A zoo in Chengdu, China, welcomed twin pandas. Visitors from across China queued to see them."]
    start = post("x", "en", "x").published
    articles = [dataclasses.replace(post(f"cn-{n}", "en", text), published=start + timedelta(days=3 * n))
                for n, text in enumerate(texts)]

    def lines(settings):
        stories, entities, _ = link(articles, settings, [], nlp)
        return storylines(articles, stories, entities, settings)
    assert lines(load_settings()) == []
    loose = tmp_path / "settings.yml"
    loose.write_text("link:\n  storyline_shared_entities: 1\n", encoding="utf-8")
    assert [sorted(line.articles) for line in lines(load_settings(loose))] == [["cn-0", "cn-1", "cn-2"]]


def test_editors_split_and_merge_with_pins(seeds, nlp):
    """Articles pinned to different slugs are never in one storyline (a split: the others
    join the closer side); one slug on articles makes them one (a merge), even unrelated."""
    pins = {"washington-joint-efforts": "washington", "lavrov-rf-gotova": "coalition-talks"}
    split = [dataclasses.replace(a, storyline_override=pins.get(a.slug)) for a in seeds]
    lines = {line.slug: line for line in lines_of(split, nlp)}
    assert "washington-joint-efforts" in lines["washington"].articles and lines["washington"].pinned
    assert "lavrov-rf-gotova" in lines["coalition-talks"].articles
    assert not set(lines["washington"].articles) & set(lines["coalition-talks"].articles)
    assert sum(len(line.articles) for line in lines.values()) == 5
    unrelated = dataclasses.replace(seeds[0], slug="budget-vote", title="Parliament passes the budget",
                                    paragraphs=["The parliament of Norway passed the budget for 2016 on Friday."],
                                    body="The parliament of Norway passed the budget for 2016 on Friday.",
                                    storyline_override="all-of-it", story_override=None)
    merged = [dataclasses.replace(a, storyline_override="all-of-it") for a in seeds] + [unrelated]
    lines = lines_of(merged, nlp)
    assert [(line.slug, len(line.articles), line.pinned) for line in lines] == [("all-of-it", 6, True)]


def test_the_site_has_a_page_and_a_feed_and_lists_it(seed_site):
    seed_site.build()
    pages = list(seed_site.site.glob("storylines/*/index.html"))
    assert len(pages) == 1
    slug = pages[0].parent.name
    page = pages[0].read_text(encoding="utf-8")
    assert "Storyline · 4 events · 5 articles" in page
    assert f'class="digest-follow" href="../../feeds/storylines/{slug}.xml"' in page
    language = page.split("<caption>By language</caption>")[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\w+)</th>.*?<td class="digest-shares__count">(\d+)</td>', language, re.S) == [
        ("English", "4"), ("Russian", "1")]
    feed = ET.parse(seed_site.site / "feeds" / "storylines" / f"{slug}.xml").getroot()
    assert len(feed.findall("{http://www.w3.org/2005/Atom}entry")) == 5
    for listing in ("index.html", "stories/index.html"):
        assert f'href="{"" if listing == "index.html" else "../"}storylines/{slug}/"' in seed_site.page(listing)
    record = json.loads(seed_site.digest("links", "--json", "--docs-dir", str(seed_site.docs)).stdout)
    assert [(line["slug"], len(line["articles"]), len(line["events"])) for line in record["storylines"]] == [
        (slug, 5, 4)]


def test_the_digests_setting_is_not_a_shared_topic():
    """An entity named in over a quarter of a digest's events (its "U.S.") is no evidence
    that two events share a topic: a kidnapping in Texas and an auto show that shared "Ford"
    and "U.S." made a storyline on the article-extraction pages. Two events sharing two
    entities besides it still make one."""
    from datetime import timedelta

    from digest.model import Entity, Mention

    from .test_link import post
    articles = [dataclasses.replace(post(f"a{n}", "en", f"Report {n}."), published=post("x", "en", "x").published
                                    + timedelta(days=n)) for n in range(24)]
    named = {"u-s": range(24), "ford": (0, 1), "nissan": (2, 3), "toyota": (2, 3)}
    named |= {f"only-{n}": (n,) for n in range(24)}
    entities = [Entity(slug, slug, "organisation", mentions={f"a{n}": [Mention("paragraphs", 0, 0, 1, "R")]
                                                                for n in members})
                for slug, members in named.items()]
    lines = storylines(articles, [], entities, load_settings())
    assert [sorted(line.articles) for line in lines] == [["a2", "a3"]]
