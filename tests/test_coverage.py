"""Coverage you can see (issue 17): charts drawn at build time on story, storyline, entity and
source pages; an entity's registry description and the entities named with it."""

from __future__ import annotations

import datetime as dt
import re

from digest.site.charts import per_period, shares


def test_shares_rank_rows_and_sum_the_rest():
    rows = shares(["en"] * 4 + ["ru"] * 2 + ["zh"], label=str.upper)
    assert [(r["label"], r["count"], r["percent"]) for r in rows] == [("EN", 4, 100.0), ("RU", 2, 50.0), ("ZH", 1, 25.0)]
    many = shares([f"source {i}" for i in range(12)] + ["source 0"])
    assert len(many) == 9 and many[0]["label"] == "source 0" and many[-1] == {
        "label": "4 others", "count": 4, "percent": 100.0, "lang": None}


def test_per_period_counts_months_with_gaps_and_years_over_long_spans():
    days = [dt.datetime(2015, 9, 27), dt.datetime(2015, 11, 14), dt.datetime(2015, 12, 11), dt.datetime(2015, 12, 15)]
    chart = per_period(days)
    assert [(c["label"], c["count"]) for c in chart["columns"]] == [
        ("Sep 2015", 1), ("Oct 2015", 0), ("Nov 2015", 1), ("Dec 2015", 2)]
    assert chart["unit"] == "month" and chart["most"] == 2
    assert chart["description"] == "Articles per month, Sep 2015 to Dec 2015: Sep 2015: 1, Nov 2015: 1, Dec 2015: 2."
    odd = per_period([dt.datetime(2015, 9, 1)] * 50 + [dt.datetime(2015, 10, 1)] * 48)
    assert [(c["y"], c["height"]) for c in odd["columns"]] == [(1.0, 40.0), (2.6, 38.4)]  # not 2.6000000000000014
    assert per_period(days[2:]) is None  # one month: no chart
    long = per_period([dt.datetime(2001, 1, 1), dt.datetime(2010, 6, 1)])
    assert long["unit"] == "year" and len(long["columns"]) == 10


def test_story_storyline_entity_and_source_pages_show_their_charts(seed_site):
    registry = seed_site.docs / "entities.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "- name: Sergey Lavrov\n", "- name: Sergey Lavrov\n  description: Russia's foreign minister since 2004.\n"),
        encoding="utf-8")
    seed_site.build()
    story = next(seed_site.site.glob("stories/*/index.html")).read_text(encoding="utf-8")
    assert re.search(r'<a class="digest-follow" href="../../feeds/stories/[a-z0-9-]+\.xml">Follow', story)
    for caption in ("By language", "By source", "By country"):
        assert f"<caption>{caption}</caption>" in story, caption
    assert re.search(r'<th scope="row">English</th>\s*<td class="digest-shares__bar"><svg aria-hidden="true"', story)
    # Each timeline item has a line of its article's summary.
    timeline = story.split('<ol class="digest-timeline">')[1].split("</ol>")[0]
    assert timeline.count('class="digest-item__summary"') == timeline.count("<li>") == 2

    storyline = next(seed_site.site.glob("storylines/*/index.html")).read_text(encoding="utf-8")
    assert '<svg role="img" aria-label="Articles per month, Sep 2015 to Dec 2015: ' in storyline
    assert "<caption>By source</caption>" in storyline

    lavrov = seed_site.page("entities/sergey-lavrov/index.html")
    assert '<p class="digest-entity-description">Russia&#39;s foreign minister since 2004.</p>' in lavrov
    assert '<svg role="img" aria-label="Articles per month' in lavrov
    named_with = lavrov.split('id="named-with"')[1].split("</p>")[0]
    assert "John Kerry" in named_with and "Sergey Lavrov" not in named_with


def test_a_description_that_is_not_text_is_refused_with_its_line(seed_site):
    registry = seed_site.docs / "entities.yml"
    registry.write_text("- name: Sergey Lavrov\n  type: person\n  description: [a, b]\n", encoding="utf-8")
    result = seed_site.build(check=False)
    assert result.returncode != 0
    assert "entities.yml:3: `description` must be one line of text" in result.stderr
