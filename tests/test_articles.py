"""One test per validation rule: `digest check` prints path:line: problem — fix, exits 1,
and `mkdocs build` fails without writing a site."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from digest.intake.articles import load_articles, make_slug, split_front_matter
from digest.settings import load_settings

GOOD_BODY = "Moscow criticized Washington for its Syria policy on Monday.\n\nKerry is due in Moscow."


def check(site) -> tuple[int, list[str]]:
    result = site.digest("check", "--docs-dir", "site_src")
    return result.returncode, result.stdout.strip().splitlines()


def assert_reported(site, rel: str, line: int, pattern: str) -> str:
    code, lines = check(site)
    assert code == 1, lines
    wanted = f"site_src/articles/{rel}:{line}: "
    matching = [text for text in lines if text.startswith(wanted)]
    assert matching, f"no problem reported at {wanted}: {lines}"
    assert re.search(pattern, matching[0]), matching[0]
    assert " — " in matching[0], "every problem says how to fix it"
    # The same article makes the build fail, and no site is written.
    build = site.build(check=False)
    assert build.returncode != 0
    assert wanted.rstrip(" ") in build.stderr
    assert not site.site.exists()
    return matching[0]


def test_a_good_article_passes(site):
    site.article("2015/12/good.md", body=GOOD_BODY)
    code, lines = check(site)
    assert code == 0, lines


def test_malformed_yaml(site):
    site.write("2015/12/bad.md", """
        ---
        title: Russia: US reluctant
        source: Reuters
        published: 2015-12-14
        ---

        Text.
        """)
    assert_reported(site, "2015/12/bad.md", 2, "malformed YAML")


def test_a_tab_in_front_matter_says_to_indent_with_spaces(site):
    site.write("2015/12/bad.md", "---\ntitle: A headline\n\tsource: Reuters\npublished: 2015-12-14\n---\n\nText.\n")
    assert_reported(site, "2015/12/bad.md", 3, "tab character .* — indent with spaces")


def test_missing_required_field(site):
    site.write("2015/12/bad.md", """
        ---
        title: A headline
        published: 2015-12-14
        ---

        Text.
        """)
    assert_reported(site, "2015/12/bad.md", 1, "missing required field 'source'")


def test_empty_required_field(site):
    site.article("2015/12/bad.md", title="''")
    assert_reported(site, "2015/12/bad.md", 2, "field 'title' is empty")


def test_unparseable_date(site):
    site.article("2015/12/bad.md", published="14 Dec 2015")
    assert_reported(site, "2015/12/bad.md", 4, "not an ISO 8601 date")


def test_future_date(site):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    site.article("2015/12/bad.md", published=future)
    assert_reported(site, "2015/12/bad.md", 4, "in the future")


def test_unknown_language_code(site):
    site.article("2015/12/bad.md", language="rus")
    assert_reported(site, "2015/12/bad.md", 5, "unknown language code 'rus'")


def test_not_utf8_names_the_encoding(site):
    text = "---\ntitle: Лавров\nsource: РИА\npublished: 2015-12-14\n---\n\nГлава МИД РФ Сергей Лавров заявил.\n"
    path = site.articles / "2015/12/bad.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("cp1251"))
    message = assert_reported(site, "2015/12/bad.md", 2, "not UTF-8")
    assert "cp1251" in message or "windows-1251" in message


def test_empty_body(site):
    site.article("2015/12/bad.md", body="   ")
    assert_reported(site, "2015/12/bad.md", 6, "no text")


def test_no_front_matter(site):
    site.write("2015/12/bad.md", "Just text, no fields.\n")
    assert_reported(site, "2015/12/bad.md", 1, "no front matter")


def test_unclosed_front_matter(site):
    site.write("2015/12/bad.md", "---\ntitle: A\nsource: B\npublished: 2015-12-14\n\nText.\n")
    assert_reported(site, "2015/12/bad.md", 1, "not closed")


def test_url_must_be_http(site):
    site.article("2015/12/bad.md", url="javascript:alert(1)")
    assert_reported(site, "2015/12/bad.md", 5, "not an http")


def test_duplicate_url(site):
    site.article("2015/12/a.md", url="https://example.com/news/1", body=GOOD_BODY)
    site.article("2015/12/b.md", url="https://example.com/news/1", body="Entirely different words here.")
    message = assert_reported(site, "2015/12/b.md", 5, "same url as site_src/articles/2015/12/a.md")
    assert "delete" in message


def test_near_identical_bodies(site):
    body = " ".join(f"word{i}" for i in range(200))
    site.article("2015/12/a.md", body=body)
    site.article("2015/12/b.md", body=body.replace("word7 ", "word7, ") + " One more sentence.")
    assert_reported(site, "2015/12/b.md", 7, "near-duplicate of site_src/articles/2015/12/a.md")


def test_colliding_slugs(site):
    site.article("2015/12/same-name.md", body=GOOD_BODY)
    site.article("russia/same-name.md", published="2016-01-02", body="Something else entirely, about another event.")
    assert_reported(site, "russia/same-name.md", 1, "slug 'same-name' collides with site_src/articles/2015/12/same-name.md")


def test_all_problems_reported_at_once(site):
    site.article("2015/12/a.md", published="never")
    site.article("2015/12/b.md", language="xx")
    site.write("2015/12/c.md", "no front matter\n")
    code, lines = check(site)
    assert code == 1
    assert sum(line.startswith("site_src/articles/") for line in lines) == 3


def test_unknown_field_is_a_warning_and_strict_fails(site):
    site.article("2015/12/a.md", titel="typo", body=GOOD_BODY)
    code, lines = check(site)
    assert code == 0
    assert any("warning: site_src/articles/2015/12/a.md:5: unknown field 'titel'" in line for line in lines)
    assert site.digest("check", "--strict").returncode == 1
    assert site.build(check=False).returncode == 0
    strict = site.build("--strict", check=False)
    assert strict.returncode != 0 and "unknown field 'titel'" in strict.stderr


def test_an_article_outside_the_articles_folder_is_a_warning(site):
    """MkDocs would publish it as a plain page, unannotated and in no list; about.md (no source,
    no date) is no article."""
    site.article("2015/12/a.md", body=GOOD_BODY)
    stray = site.root / "site_src" / "news" / "stray.md"
    stray.parent.mkdir()
    stray.write_text(f"---\ntitle: Stray\nsource: Reuters\npublished: 2015-12-14\n---\n\n{GOOD_BODY}\n")
    (site.root / "site_src" / "about.md").write_text("---\ntitle: About\n---\n\nWho we are.\n")
    code, lines = check(site)
    assert code == 0, lines
    assert [line for line in lines if line.startswith("warning:")] == [
        "warning: site_src/news/stray.md:1: an article outside articles/ is published as a plain page, with no "
        "summary, entities or place in the lists — move it to articles/YYYY/MM/ of the docs dir"]
    assert site.digest("check", "--strict").returncode == 1


def test_fields_are_read(tmp_path):
    articles = tmp_path / "articles" / "x"
    articles.mkdir(parents=True)
    (articles / "Лавров заявил.md").write_text(
        "---\ntitle: T\nsource: S\npublished: 2015-11-14 22:54\nlanguage: RU\n"
        "tags: [syria, diplomacy]\nsummary: Short.\nurl: https://sputnik-abkhazia.ru/x\n---\n\nТекст.\n",
        encoding="utf-8")
    [article], problems = load_articles(tmp_path, load_settings(), now=dt.datetime(2020, 1, 1))
    assert problems == []
    assert (article.language, article.tags, article.summary_override) == ("ru", ["syria", "diplomacy"], "Short.")
    assert article.published == dt.datetime(2015, 11, 14, 22, 54) and article.has_time
    assert article.slug == "lavrov-zaiavil"
    assert article.page_uri == "articles/2015/11/lavrov-zaiavil.md"
    assert article.body == "Текст.\n" and article.body_line == 11


def test_slugs_transliterate_cyrillic():
    assert make_slug("Лавров: РФ готова бороться с ИГ") == "lavrov-rf-gotova-borotsia-s-ig"


@pytest.mark.parametrize("text", ["no fence", "---\nunclosed\n"])
def test_split_front_matter_needs_both_fences(text):
    assert split_front_matter(text) is None


def test_control_characters_are_dropped_with_a_warning(site):
    site.article("2015/12/a.md", title="Head\x00line\x1b", body="Text with a NUL\x00 byte.")
    code, lines = check(site)
    assert code == 0
    assert any("a.md:2: control characters" in line for line in lines), lines
    site.build()
    page = next(site.site.glob("articles/2015/12/a/index.html")).read_text(encoding="utf-8")
    assert "Headline" in page and "\x00" not in page


def garble(text: str, codec: str = "cp1252") -> str:
    """UTF-8 read as another encoding somewhere upstream (a feed, a copy and paste)."""
    return text.encode("utf-8").decode(codec)


def test_mis_decoded_text_is_repaired_with_a_warning(site):
    site.article("2015/12/a.md", title=garble("Moscow’s café plan"),
                 body="Fine first line.\n\n" + garble("It costs £1bn, officials said.") + "\n\n"
                 + garble("Текст новости о переговорах.", "cp1251"))
    code, lines = check(site)
    assert code == 0
    assert [line for line in lines if "mis-decoded" in line][0].startswith("warning: site_src/articles/2015/12/a.md:2: "), lines
    [article], _ = load_articles(site.root / "site_src", load_settings())
    assert article.title == "Moscow’s café plan"
    assert "It costs £1bn, officials said." in article.body and "Текст новости о переговорах." in article.body


def test_a_warning_repeated_over_many_files_is_summed_up_in_the_build(site):
    """Five files' warnings are shown, the rest summed up in one line; `digest check` lists
    them all."""
    for k in range(8):
        site.article(f"2015/12/a{k}.md", title=f"Story number {k}", published=f"2015-12-{k + 10}",
                     body=garble(f"It costs £{k}bn, officials said in a statement of {k * 7} words."))
    code, lines = check(site)
    assert sum("mis-decoded" in line for line in lines) == 8, lines
    build = site.build()
    warned = [line for line in build.stderr.splitlines() if "mis-decoded" in line]
    assert len(warned) == 6, build.stderr
    assert "3 more file(s): mis-decoded characters" in warned[-1] and "digest check" in warned[-1]


def test_index_is_never_a_page_slug(site):
    site.article("2015/12/a.md", source="Index", tags="[index]", body=GOOD_BODY)
    site.article("2015/12/index.md", title="Index", published="2015-12-15", body="Another text entirely.")
    assert site.digest("check").returncode == 0
    site.build()
    assert "Index" in site.page("sources/index-page/index.html")
    assert (site.site / "tags/index-page/index.html").exists()
    assert (site.site / "articles/2015/12/index-page/index.html").exists()


def test_the_tags_tab_appears_only_when_an_article_has_tags(site):
    site.article("2015/12/a.md", body=GOOD_BODY)
    site.build()
    assert "tags/" not in re.sub(r"\s+", " ", site.page("index.html")).split('class="md-tabs"')[1].split("</nav>")[0]
    site.article("2015/12/b.md", title="Another", published="2015-12-15", tags="[syria]",
                 body="Something else entirely, about another event in another place.")
    site.build()
    assert "tags/" in re.sub(r"\s+", " ", site.page("index.html")).split('class="md-tabs"')[1].split("</nav>")[0]
