"""HTML import with the real trafilatura, on a small page written here."""

from __future__ import annotations

import socket

import pytest

from digest.errors import DigestError
from digest.intake.extract import extract_html, fetch_url

PARAGRAPHS = [
    "Moscow criticized Washington for its Syria policy on Monday, ahead of the Secretary of State's visit "
    "to Russia, in a statement published by the foreign ministry late in the evening.",
    "The ministry said Washington should assume responsibility for actions of the coalition in Syria, "
    "for its allies not enforcing provisions of the memorandum regarding flight safety.",
    "The ministry reiterated its openness to constructive cooperation based on equality and mutual respect, "
    "and said it expected a business-like conversation during the talks on Tuesday.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Russia criticizes US over Syria | Example News</title>
<meta property="og:title" content="Russia criticizes US over Syria">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2015-12-15T08:30:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Russia criticizes US over Syria</h1>
{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}
</article>
<section class="comments" id="comments"><h3>Comments</h3>
<div class="comment"><p>Great article, totally agree with every word of it, thanks for writing this piece!</p></div>
</section>
<footer>Copyright 2015 Example News. All rights reserved.</footer>
</body></html>"""


def test_extracts_metadata_and_text():
    page = extract_html(PAGE, "https://example.com/world/russia-us-syria")
    assert page["title"] == "Russia criticizes US over Syria"
    assert page["published"] == "2015-12-15"
    assert page["source"] == "Example News"
    assert page["url"] == "https://example.com/world/russia-us-syria"
    assert page["language"] == "en"
    assert page["text"].split("\n\n")[-3:] == PARAGRAPHS
    assert "Great article" not in page["text"]  # comments are never extracted
    assert "Copyright" not in page["text"]


def test_a_byline_in_an_address_is_not_text_but_its_date_counts():
    """<address> holds contact details (a byline), never the article's text; a page that dates
    itself only there keeps its date."""
    byline = '<address><time datetime="2015-12-15T08:30:00Z">15 Dec 2015</time> by <a rel="author">Ivan Petrov</a></address>'
    page = extract_html(PAGE.replace('<meta property="article:published_time" content="2015-12-15T08:30:00Z">', "")
                        .replace("</h1>", "</h1>" + byline))
    assert "Ivan Petrov" not in page["text"]
    assert page["published"] == "2015-12-15"
    assert page["text"].split("\n\n")[-3:] == PARAGRAPHS


def test_a_short_article_keeps_its_lines_apart():
    """Under 250 characters (here with a bare <time> in the article) trafilatura falls back to
    reading the whole <article> as one line (headline, standfirst and text run together, and
    `clean` cannot drop the headline): the text keeps the page's lines."""
    page = extract_html("""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="Cartoon of 27 April">
<meta property="og:site_name" content="Example News"></head>
<body><article><h1>Cartoon of 27 April</h1><h2>The editors' cartoon for Monday</h2>
<address><time datetime="2020-04-27T00:00:00+00:00">27 Apr 2020</time> by <a rel="author">Ann Lee</a></address>
<figure><img src="cartoon.jpg"></figure><p>The mayor and the potholes, drawn by our cartoonist.</p>
</article></body></html>""")
    assert page["text"].split("\n\n") == ["Cartoon of 27 April", "The editors' cartoon for Monday",
                                            "The mayor and the potholes, drawn by our cartoonist."]


def test_a_headline_trafilatura_misses_is_the_line_the_title_starts_with():
    """Markup before <html> (a crawler's wrapper, as in the Chinese web-content set) hides the
    <title> from trafilatura: the headline is then the text's line that <title> starts with, up
    to a separator; a <title> that is only the site's name gives none."""
    headline = "四年前中五百万现穷困潦倒 一夜暴富后如何经营"
    story = "人生如戏。一夜之间，它可以让一个人从身无分文变成百万富翁，也可以让一个人从百万富翁变得一无所有。" * 3
    body = "".join(f"<p>{line}</p>" for line in ["企业服务首页 > 产经资讯 > 商贸 > 正文", headline, story])

    def page(title: str) -> str:
        return (f'<text id="x">\n<html><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><div>{body}</div></body></html></text>")
    assert extract_html(page(f"{headline}__商贸_产业资讯_新浪网"))["title"] == headline
    assert extract_html(page("谢谢您访问〖关注中国中心〗"))["title"] is None


def test_a_page_naming_no_publication_gets_the_one_its_title_ends_with():
    """Saved pages often name their site only in <title> ("Headline_Section_新浪网", "Headline
    --大河网", "Headline - BGR"): its last part is the publication (and leaves the headline), when
    it reads like a name; a second headline, a lower-case phrase or a copyright line is none."""
    story = "人生如戏。一夜之间，它可以让一个人从身无分文变成百万富翁，也可以让一个人从百万富翁变得一无所有。" * 3

    def page(title: str, head: str = "") -> dict:
        return extract_html(f'<html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
                            f"<body><article><p>{story}</p><p>{story}</p></article></body></html>")
    found = page("四年前中五百万现穷困潦倒 一夜暴富后如何经营__商贸_产业资讯_新浪网")
    assert (found["title"], found["source"], found["source_from"]) == (
        "四年前中五百万现穷困潦倒 一夜暴富后如何经营", "新浪网", "title")
    found = page("拿起跨界“指挥棒”她跟学生“较着劲儿”成长--大河网")
    assert (found["title"], found["source"]) == ("拿起跨界“指挥棒”她跟学生“较着劲儿”成长", "大河网")
    assert page("Seeking a bigger role for a big rocket – The Space Review")["source"] == "The Space Review"
    # A second headline (it has punctuation, or is longer than the first), a phrase, a number: no site.
    for title in ("法国报纸摘要 - 马克龙星期一在莫斯科与普京会面", "书记市长这一周 | 奋马扬鞭争春色，“虎”力全开向未来",
                  "Obama - the man who changed America", "Sino-US talks resume", "Covid-19 - 2020"):
        assert page(title)["source"] is None, title
    # trafilatura reads <meta name="copyright"> as the site's name: a copyright line is none.
    found = page("脂溢性脱发：你知道什么该吃什么不该吃吗？-报社新闻-查报纸网",
                 '<meta name="copyright" content="2001-2013 Comsenz Inc.">')
    assert found["source"] == "查报纸网"
    # ... unless nothing else names the publication: then the holder is ("... all rights reserved").
    assert page("江苏多地要求中高风险地区师生员工暂不返校", '<meta name="copyright" content="人民网版权所有">')["source"] == "人民网"
    # A page that names its publication keeps its title whole unless the title ends with that name.
    title = "法国报纸摘要 - 马克龙星期一在莫斯科与普京会面"
    found = page(title, f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="RFI">')
    assert (found["title"], found["source"], found["source_from"]) == (
        "法国报纸摘要 - 马克龙星期一在莫斯科与普京会面", "RFI", "metadata")
    found = page("Bike & Style book review | MoreBikes", '<meta property="og:site_name" content="MoreBikes">')
    assert (found["title"], found["source"]) == ("Bike & Style book review", "MoreBikes")


def test_a_site_name_with_a_tagline_or_a_list_is_its_name():
    """og:site_name carries a tagline or a list of names ("LinkNaija | Nigeria's popular news
    platform", "www.yunnan.cn,云南日报网,..."): the publication is its first name; og:title
    opening with that site name loses it."""
    story = "<p>" + "The actress shared new photos with her fans on Monday, and they loved them. " * 4 + "</p>"

    def page(site: str, title: str) -> dict:
        return extract_html(f'<html><head><meta charset="utf-8"><meta property="og:site_name" content="{site}">'
                            f'<meta property="og:title" content="{title}"><title>{title}</title></head>'
                            f"<body><article>{story}{story}</article></body></html>")
    found = page("LinkNaija | Nigeria's popular news platform",
                 "LinkNaija | Nigeria's popular news platform: Kate Henshaw Is Looking Stunning In New Photos")
    assert (found["source"], found["title"]) == ("LinkNaija", "Kate Henshaw Is Looking Stunning In New Photos")
    assert page("www.yunnan.cn,云南日报网,云南日报报业集团新闻网络信息中心", "17种产品入选国家绿色制造名单")["source"] == "云南日报网"
    assert page("Wikimedia Foundation, Inc.", "Article")["source"] == "Wikimedia Foundation, Inc."


def test_bytes_and_no_url_fall_back_to_what_the_page_says():
    page = extract_html(PAGE.replace('<meta property="og:site_name" content="Example News">', "").encode())
    assert page["url"] is None
    assert page["text"].split("\n\n")[-1] == PARAGRAPHS[-1]


def test_page_without_an_article_is_a_clear_error():
    with pytest.raises(DigestError, match="no article text found in the page"):
        extract_html("<html><head><title>Front page</title></head><body><div></div></body></html>", "https://example.com/")


def test_fetch_refuses_non_http_addresses():
    with pytest.raises(DigestError, match="not an http"):
        fetch_url("file:///etc/passwd", timeout=1)


def test_fetch_failure_names_the_reason_and_the_way_around():
    with socket.socket() as server:  # a port that is bound but never answers the request
        server.bind(("127.0.0.1", 0))
        port = server.getsockname()[1]
    with pytest.raises(DigestError) as error:
        fetch_url(f"http://127.0.0.1:{port}/article", timeout=2)
    message = str(error.value)
    assert message.startswith(f"http://127.0.0.1:{port}/article:0: cannot fetch the page:")
    assert "digest add page.html" in message


def test_table_layout_gives_paragraphs_not_rows():
    from digest.intake.extract import extract_html

    page = ("<html><head><title>T</title></head><body><table><tr><td><p>First paragraph of the article is "
            "here and it is long enough to count as text.</p></td><td>Side</td></tr><tr><td>Second paragraph "
            "of the article, also long enough to count as article text.</td><td></td></tr>"
            "<tr><td>---</td></tr></table></body></html>")
    text = extract_html(page)["text"]
    assert "|" not in text
    assert text.split("\n\n")[:3] == ["First paragraph of the article is here and it is long enough to count as text.",
                                      "Side", "Second paragraph of the article, also long enough to count as article text."]


def test_a_page_in_its_declared_encoding():
    from digest.intake.extract import decode_page

    text = "镕基总理说：经济稳定增长。"  # 镕 is in GBK, not in GB2312: pages declaring gb2312 hold it
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>{text}</p></body></html>'
    assert text in decode_page(page.encode("gb18030"))
    assert "“quoted”" in decode_page('<meta charset="iso-8859-1"><p>“quoted”</p>'.encode("cp1252"))
    assert decode_page("<p>Привет</p>".encode("utf-8")) == "<p>Привет</p>"
