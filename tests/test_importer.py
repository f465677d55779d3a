"""`digest add`: what it infers from raw text, what it refuses, and where it writes."""

from __future__ import annotations

import datetime as dt

from digest.intake.importer import infer

from .conftest import SEEDS, requires_shared


def seed(name: str) -> str:
    requires_shared("seeds")
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def test_dateline_without_year_asks_for_published():
    result = infer(seed("000"))
    assert result.title.startswith("The Russian foreign Ministry: US reluctant")
    assert result.published is None
    assert "no year in the dateline 'MOSCOW, December 14.': pass --published YYYY-MM-DD" in result.missing
    assert "the text does not name its publication: pass --source NAME" in result.missing


def test_agency_dateline_gives_date_and_source():
    result = infer(seed("002"))
    assert result.published == dt.datetime(2015, 12, 15)
    assert result.source == "Xinhua"
    assert result.missing == []


def test_numeric_dateline_with_time_and_source_line():
    result = infer(seed("003"))
    assert result.published == dt.datetime(2015, 11, 14, 22, 54) and result.has_time
    assert result.source == "Sputnik Abkhazia"  # the registry's name for Спутник-Абхазия
    assert result.title == "Лавров: РФ готова совместно с международной коалицией бороться с ИГ"


def test_site_name_above_headline():
    result = infer(seed("004"))
    assert result.title == 'Washington: Joint efforts are needed to combat the "Islamic State"'
    assert result.source == "Military Review"
    assert result.missing == ["no dateline found: pass --published YYYY-MM-DD"]


def test_russian_place_dateline_with_agency():
    result = infer("Заголовок новости\n\nСУХУМ, 14 ноя — Sputnik. Текст новости.\n")
    assert result.source == "Sputnik"
    assert result.missing == ["no year in the dateline 'СУХУМ, 14 ноя — Sputnik.': pass --published YYYY-MM-DD"]


def test_body_is_stored_unchanged(site, tmp_path):
    raw = seed("002")
    source = tmp_path / "raw.txt"
    source.write_text(raw, encoding="utf-8")
    result = site.digest("add", str(source))
    assert result.returncode == 0, result.stderr
    written = site.articles / "2015/12/russia-criticizes-us-for-lack-of-willingness-to-coordinate-over-syria-crisis.md"
    assert f"added site_src/articles/2015/12/{written.name}" in result.stdout
    assert "source: 'Xinhua'" in result.stdout and "language: en (detected" in result.stdout
    text = written.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Russia criticizes US for lack of willingness to coordinate over Syria crisis\n"
                           "source: Xinhua\npublished: 2015-12-15\nlanguage: en\n---\n\n")
    body = raw.split("\n", 1)[1].lstrip("\n")
    assert text.endswith(body.rstrip() + "\n")
    assert site.digest("check").returncode == 0


def test_missing_facts_are_reported_and_nothing_is_written(site, tmp_path):
    source = tmp_path / "raw.txt"
    source.write_text(seed("000"), encoding="utf-8")
    result = site.digest("add", str(source))
    assert result.returncode == 1
    assert "no year in the dateline 'MOSCOW, December 14.': pass --published" in result.stderr
    assert "pass --source" in result.stderr
    assert not list(site.articles.rglob("*.md"))
    result = site.digest("add", str(source), "--published", "2015-12-14", "--source", "TASS")
    assert result.returncode == 0, result.stderr


def test_refuses_an_article_already_in_the_digest(site, tmp_path):
    source = tmp_path / "raw.txt"
    source.write_text(seed("002"), encoding="utf-8")
    assert site.digest("add", str(source), "--url", "https://china.org.cn/x.htm").returncode == 0
    again = site.digest("add", str(source))
    assert again.returncode == 1
    assert "already in the digest: articles/2015/12/russia-criticizes-us" in again.stderr
    other = tmp_path / "other.txt"
    other.write_text("Other headline\n\nXinhua, December 16, 2015\n\nDifferent text.\n", encoding="utf-8")
    same_url = site.digest("add", str(other), "--url", "https://china.org.cn/x.htm")
    assert same_url.returncode == 1 and "has the same url" in same_url.stderr
    assert len(list(site.articles.rglob("*.md"))) == 1


def test_non_utf8_input_is_decoded(site, tmp_path):
    source = tmp_path / "raw.txt"
    source.write_bytes("Заголовок\n\n14.11.2015 22:54\n\nТекст новости о переговорах в Вене.\n".encode("cp1251"))
    result = site.digest("add", str(source), "--source", "Sputnik")
    assert result.returncode == 0, result.stderr
    [written] = site.articles.rglob("*.md")
    assert "Текст новости" in written.read_text(encoding="utf-8")


def test_mis_decoded_text_is_repaired(site, tmp_path):
    source = tmp_path / "raw.txt"
    text = "Moscow’s café plan\n\nXinhua, December 15, 2015\n\nThe plan costs £1bn, officials said.\n"
    source.write_text(text.encode("utf-8").decode("cp1252"), encoding="utf-8")
    result = site.digest("add", str(source))
    assert result.returncode == 0, result.stderr
    assert "mis-decoded characters" in result.stdout
    [written] = site.articles.rglob("*.md")
    assert "title: Moscow’s café plan" in written.read_text(encoding="utf-8")
    assert "The plan costs £1bn" in written.read_text(encoding="utf-8")


def test_control_characters_are_not_written_into_the_article(site, tmp_path):
    """A NUL in a scrape was written into the article file, and every build then warned of it."""
    source = tmp_path / "raw.txt"
    source.write_bytes(b"Vienna\x00 talks resume\n\nXinhua, December 15, 2015\n\nMinisters met in Vienna\x07 on "
                       b"Tuesday to resume talks on Syria, officials said.\n")
    result = site.digest("add", str(source))
    assert result.returncode == 0, result.stderr
    assert "control characters (such as NUL) dropped" in result.stdout
    [written] = site.articles.rglob("*.md")
    text = written.read_text(encoding="utf-8")
    assert "title: Vienna talks resume" in text and "met in Vienna on Tuesday" in text
    assert site.digest("check").returncode == 0


def test_html_page_is_extracted_with_its_metadata(site, tmp_path):
    import gzip
    pages = requires_shared("data", "extraction", "article-extraction-benchmark", "html")
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress(next(pages.glob("042bb7b5*.html.gz")).read_bytes()))
    result = site.digest("add", str(page))
    assert result.returncode == 0, result.stderr
    assert "source: 'Wall Street Journal' (page metadata)" in result.stdout
    [written] = site.articles.rglob("*.md")
    assert written.parent.relative_to(site.articles).as_posix() == "2019/11"
    text = written.read_text(encoding="utf-8")
    assert "title: 'Google Stadia, Microsoft xCloud, Apple Arcade" in text and "\nurl: https://" in text
    assert "<" not in text.split("---", 2)[2], "the body is text, not markup"
    assert site.digest("check").returncode == 0


def test_a_page_declaring_another_language_than_its_text_gets_the_texts(site, tmp_path):
    """A site's template may declare one language on every page: the text's own wins when the
    detector is sure and the two are not close languages; a short text keeps the page's."""
    text = ("The city council voted on Tuesday to close the old bridge for repairs, after engineers "
            "found cracks in two of its supports during an inspection last month.")
    for name, lang, body, expected in (("long.html", "de", text, "; the page declares de)"),
                                       ("short.html", "de", "The bridge is closed.", "language: de (page metadata)")):
        page = tmp_path / name
        page.write_text(f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Bridge {name}</title>'
                        f'<meta property="og:title" content="Bridge closed {name}">'
                        '<meta property="og:site_name" content="Example News">'
                        '<meta property="article:published_time" content="2019-11-18T08:00:00Z"></head>'
                        f"<body><article><h1>Bridge closed {name}</h1><p>{body}</p></article></body></html>",
                        encoding="utf-8")
        result = site.digest("add", str(page))
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout, result.stdout


def test_unreachable_address_fails_clearly(site):
    result = site.digest("add", "https://news.invalid/article")
    assert result.returncode == 1
    assert "cannot fetch the page" in result.stderr and "digest add page.html" in result.stderr


def test_single_newline_paragraphs_are_split_and_wrapped_lines_kept():
    chinese = infer("浙大学术年会上学生唱主角 研究成果让人脑洞大开-新华网\n用空气来洗手，哈口气判断疾病。\n"
                    "这些成果的主要研究者都是学生。\n生物传感器：你的家庭体检医生\n")
    assert chinese.title == "浙大学术年会上学生唱主角 研究成果让人脑洞大开" and chinese.source == "Xinhua"
    assert chinese.body == "用空气来洗手，哈口气判断疾病。\n\n这些成果的主要研究者都是学生。\n\n生物传感器：你的家庭体检医生\n"
    wrapped = infer("A headline of the story here\n\nA sentence wrapped at the\nend of a line. Another one.\n\nNext.\n")
    assert wrapped.body == "A sentence wrapped at the\nend of a line. Another one.\n\nNext.\n"


def test_with_title_the_first_line_stays_in_the_text(site, tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text("Daily Planet\n\nThe real headline of the story\n\nMOSCOW, December 14. The text of it.\n")
    result = site.digest("add", str(raw), "--title", "The real headline of the story", "--source", "TASS",
                         "--published", "2015-12-14")
    assert result.returncode == 0, result.stderr
    written = next(site.articles.rglob("*.md")).read_text()
    assert written.endswith("---\n\nDaily Planet\n\nThe real headline of the story\n\nMOSCOW, December 14. The text of it.\n")
    assert "the text's first line 'Daily Planet' is kept as its first paragraph" in result.stdout


def test_check_warns_on_a_title_that_reads_like_a_paragraph(site):
    site.article("2015/12/a.md", title="'The minister said on Monday that talks would go on, and that no deal was near.'")
    site.article("2015/12/b.md", title="U.S. and Russia agree", body="Another text entirely, on other things.")
    # A long real headline (28 words, as Hindi and Romanian ones run) is none; 40 words are.
    long_headline = " ".join(["Council"] + ["word"] * 26 + ["today"])
    site.article("2015/12/c.md", title=long_headline, body="A third text, about the council's plans for roads.")
    site.article("2015/12/d.md", title=" ".join(["Council"] + ["word"] * 39),
                 body="A fourth text, about the harbour and its new cranes.")
    check = site.digest("check")
    assert ("warning: site_src/articles/2015/12/a.md:2: the title reads like a paragraph (16 words, ends with a full "
            "stop) — give the headline as `title:`") in check.stdout
    assert "b.md:2: the title" not in check.stdout and "c.md:2: the title" not in check.stdout
    assert "d.md:2: the title reads like a paragraph (40 words)" in check.stdout


def test_a_headline_ending_with_the_pages_own_name_loses_it():
    """og:title often ends with the site's name, written a little differently from og:site_name
    ("… - 9to5Mac" on 9To5Mac's pages, "… | Inexhibit" on Inexhibit magazine's); a headline
    whose last part is not that name keeps it."""
    from digest.intake.importer import infer_html
    from digest.settings import load_settings

    story = "<p>" + "Apple cut the price of the MacBook Air at Amazon this week, and AirPods too. " * 6 + "</p>"

    def title_of(title: str, site: str) -> str:
        html = (f'<html><head><meta charset="utf-8"><meta property="og:title" content="{title}">'
                f'<meta property="og:site_name" content="{site}"><title>{title}</title></head>'
                f"<body><article>{story}{story}</article></body></html>")
        return infer_html(html, None, load_settings()).title

    assert title_of("MacBook sale at Amazon from $700, AirPods, more - 9to5Mac", "9To5Mac") == \
        "MacBook sale at Amazon from $700, AirPods, more"
    assert title_of("The 7th Amsterdam Light Festival | Inexhibit", "Inexhibit magazine") == \
        "The 7th Amsterdam Light Festival"
    assert title_of("Star Wars Jedi: Fallen Order review, shoots for the moon - VG247", "VG247") == \
        "Star Wars Jedi: Fallen Order review, shoots for the moon"
    assert title_of("Lexus goes topless with the LC500 Convertible - Auto News", "AutoIndustriya.com") == \
        "Lexus goes topless with the LC500 Convertible - Auto News"
