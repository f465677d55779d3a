"""Syndicated copies: the same text from another source is taken, put in its original's story
and listed on its page; from the same source (or the same url) it stays an error."""

from __future__ import annotations

import re

from digest.intake.articles import load_articles
from digest.settings import load_settings

WIRE = ("Russian Foreign Minister Sergei Lavrov said on Monday that Moscow was ready to coordinate "
        "air strikes against Islamic State with the United States-led coalition in Syria.\n\n"
        "Speaking in Rome after talks with his Italian counterpart, Lavrov said the two sides had "
        "agreed to exchange information on targets, but that no joint operations were planned.\n\n"
        "The State Department in Washington said it welcomed the offer and would study it closely, "
        "adding that talks between military experts could start as early as next week in Geneva.")
COPY = WIRE.replace("on Monday", "on Monday, December 14,")


def test_a_near_duplicate_from_another_source_is_a_copy_not_an_error(site):
    site.article("2015/12/wire.md", title="Lavrov ready to coordinate", source="Interfax", published="2015-12-14",
                 body=WIRE)
    site.article("2015/12/copy.md", title="Russia offers to coordinate strikes", source="The Moscow Times",
                 published="2015-12-15", body=COPY)
    articles, problems = load_articles(site.docs, load_settings())
    assert not [p for p in problems if p.severity == "error"], problems
    by_slug = {a.slug: a for a in articles}
    assert by_slug["copy"].copy_of == "wire" and by_slug["wire"].copies == ["copy"]
    assert by_slug["wire"].copy_of is None


def test_the_same_source_under_another_name_is_still_a_duplicate(site):
    site.article("2015/12/a.md", source="Xinhua", body=WIRE)
    site.article("2015/12/b.md", source="新华社", body=COPY)
    result = site.digest("check", "--docs-dir", str(site.docs))
    assert result.returncode == 1
    assert re.search(r"site_src/articles/2015/12/b\.md:\d+: text is a near-duplicate of "
                     r"site_src/articles/2015/12/a\.md \(\d+% the same\), from the same source — ", result.stdout)


def test_the_site_lists_copies_on_the_original_and_one_story_holds_both(site):
    site.article("2015/12/wire.md", title="Lavrov ready to coordinate", source="Interfax", published="2015-12-14",
                 body=WIRE)
    site.article("2015/12/copy.md", title="Russia offers to coordinate strikes", source="<b>Moscow</b> Times",
                 published="2015-12-16", body=COPY)
    site.build()
    original = site.page("articles/2015/12/wire/index.html")
    copy = site.page("articles/2015/12/copy/index.html")
    assert re.search(r'Also published by\s*<a href="../copy/">&lt;b&gt;Moscow&lt;/b&gt; Times</a>', original)
    assert re.search(r'Syndicated copy: the same text was first published by\s*<a href="../wire/">Interfax</a> '
                     r'on 14 December 2015', copy)
    story = re.search(r'<p class="admonition-title">Story: <a href="([^"]+)"', original).group(1)
    assert story == re.search(r'<p class="admonition-title">Story: <a href="([^"]+)"', copy).group(1)
    for page in (original, copy):  # not as related coverage: it is listed above
        assert 'id="related"' not in page


def test_digest_add_takes_the_same_text_from_another_source_only(site, tmp_path):
    site.article("2015/12/wire.md", title="Lavrov ready to coordinate", source="Interfax", published="2015-12-14",
                 body=WIRE)
    raw = tmp_path / "copy.txt"
    raw.write_text("Lavrov ready to coordinate strikes\n\n" + WIRE, encoding="utf-8")
    same = site.digest("add", str(raw), "--source", "Интерфакс", "--published", "2015-12-15",
                       "--docs-dir", str(site.docs))
    assert same.returncode == 1 and "has the same text from the same source" in same.stderr + same.stdout
    other = site.digest("add", str(raw), "--source", "The Moscow Times", "--published", "2015-12-15",
                        "--docs-dir", str(site.docs))
    assert other.returncode == 0, other.stderr
    assert site.digest("check", "--docs-dir", str(site.docs)).returncode == 0


def test_a_site_of_one_range_of_dates_holds_its_articles_alone(site):
    """A digest too large for one host is published as several sites, a range of dates each: a
    config that INHERITs mkdocs.yml sets the plugin's published_from / published_until. A copy
    whose original lies before the range is published without a link to it."""
    site.article("2015/12/wire.md", title="Lavrov ready to coordinate", source="Interfax", published="2015-12-31",
                 body=WIRE)
    site.article("2016/01/copy.md", title="Russia offers to coordinate strikes", source="The Moscow Times",
                 published="2016-01-02", body=COPY)
    (site.root / "mkdocs-2016.yml").write_text("INHERIT: mkdocs.yml\nsite_dir: site-2016\nplugins:\n  digest:\n"
                                               "    published_from: 2016-01-01\n    published_until: 2016-12-31\n")
    result = site.build("-f", "mkdocs-2016.yml")
    assert "1 of 2 articles are published from 2016-01-01 to 2016-12-31" in result.stderr, result.stderr
    shard = site.root / "site-2016"
    copy = (shard / "articles/2016/01/copy/index.html").read_text(encoding="utf-8")
    assert not (shard / "articles/2015").exists() and "../../2015/12/wire/" not in copy
    assert (shard / "search/index.html").exists() and (shard / "pagefind").is_dir()  # search and the rest as ever
    assert "This site holds the digest's articles published from 1 January 2016 to 31 December 2016." in \
        (shard / "index.html").read_text(encoding="utf-8")
    site.build()  # the whole digest, as before
    assert (site.site / "articles/2015/12/wire/index.html").exists()
    assert "This site holds" not in site.page("index.html")
    (site.root / "mkdocs-2017.yml").write_text("INHERIT: mkdocs.yml\nsite_dir: site-2017\nplugins:\n  digest:\n"
                                               "    published_from: 2017-01-01\n")
    empty = site.build("-f", "mkdocs-2017.yml", check=False)
    assert empty.returncode == 1 and "no article is published from 2017-01-01 to the last" in empty.stderr
    assert not (site.root / "site-2017").exists()
    # A misspelt option would publish every date: MkDocs only warns of it; the digest fails.
    (site.root / "mkdocs-2018.yml").write_text("INHERIT: mkdocs.yml\nsite_dir: site-2018\nplugins:\n  digest:\n"
                                               "    published_form: 2018-01-01\n")
    typo = site.build("-f", "mkdocs-2018.yml", check=False)
    assert typo.returncode == 1 and "has no option 'published_form' — did you mean 'published_from'?" in typo.stderr
    assert not (site.root / "site-2018").exists()
