"""clean(): the five seed articles are pinned line by line (tests/golden/clean/), plus the rule
semantics that keep cleaning conservative and the rule-file checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from digest.intake.clean import clean, load_rules
from digest.errors import DigestError
from digest.model import Article
from digest.settings import load_settings

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
GOLDEN = Path(__file__).parent / "golden" / "clean"


def seed_article(path: Path) -> Article:
    """A seed as the body of an article file: the whole text, file lines = seed lines. The
    headline is the first line, or the second when the first is a short site-name line."""
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[1] if len(lines[0].split()) <= 4 else lines[0]
    return make_article(text, title=title, path=path)


def make_article(body: str, title: str = "Headline of the story", source: str = "Agency",
                 body_line: int = 1, path: Path = Path("a.md")) -> Article:
    return Article(path=path, rel_path=path.name, slug="a", title=title, source=source,
                   published=dt.datetime(2015, 12, 14), has_time=False, body=body, body_line=body_line)


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def _golden_cases():
    return sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("golden", _golden_cases(), ids=lambda p: p.stem)
def test_seed_is_cleaned_as_pinned(golden, settings):
    seed = SEEDS / f"{golden.stem}.txt"
    if not seed.exists():
        pytest.skip(f"seed {seed} absent (the tests read ../shared/seeds)")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    article = clean([seed_article(seed)], settings)[0]

    assert [[r["line"], r["rule"]] for r in article.removed] == expected["removed"]
    assert len(article.paragraphs) == expected["paragraphs"]
    assert article.see_also == expected["see_also"]
    # Every line not removed is in the text, in order: nothing real is dropped silently.
    removed = {r["line"] for r in article.removed}
    kept = [line.strip() for number, line in enumerate(seed.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip() and number not in removed]
    assert " ".join(article.paragraphs) == " ".join(kept)
    assert [n for n, _ in expected["removed"]] == sorted(removed)


def test_golden_covers_every_seed():
    if not SEEDS.exists():
        pytest.skip(f"{SEEDS} absent")
    assert sorted(p.stem for p in SEEDS.glob("*.txt")) == [p.stem for p in _golden_cases()]


def test_removed_lines_are_file_line_numbers(settings):
    article = make_article("Real text of the story goes here, at length.\n\nКоличество просмотров: 20\n",
                           body_line=7)
    clean([article], settings)
    assert article.removed == [{"line": 9, "text": "Количество просмотров: 20", "rule": "view-counter-ru"}]
    assert article.paragraphs == ["Real text of the story goes here, at length."]


def test_footer_rule_only_peels_the_end(settings):
    body = ("Source: a ministry official said the talks would resume.\n\n"
            "Source: Xinhua\n\nThe talks resume on Monday, the official said.\n\nSource: Xinhua\n")
    article = clean([make_article(body)], settings)[0]
    assert [r["line"] for r in article.removed] == [7]
    assert len(article.paragraphs) == 3


def test_a_menu_or_link_list_flattened_into_a_line_goes(settings):
    """Portal pages (the Chinese web-content set) keep their menus and link lists as lines of
    text: they go wherever they stand; lists that are the article's own (a dash as a dash, award
    winners, an allocation list ending in ";", names written with "·") stay."""
    junk = ["搜狐首页 - 新闻 - 体育 - 娱乐 - 财经 - IT - 汽车 - 房产 - 女人",
            "雅虎 - 财经 - 新闻 - 科技 - 旅游- 汽车- 电邮",
            "公司简介 | 联系我们 | 广告服务 | 招聘信息 | 隐私权政策",
            "其他报道 ·舞台剧让自己信心百倍 朱莉娅罗伯茨准备复出 (04-19) ·电话专访阿汤哥：做明星的孩子不容易(组图) (04-19)"
            " ·哈里森福特回应订婚谣言 生活中什么都有可能 (04-19) ·吴君如早产诞下七磅女婴(图) (04-19)",
            "•vip9.5折免运费 •暑期特惠总动员 •爱车清洁用品大检阅 •小家电低价促销"]
    kept = ["Mr Brown - who spoke in London - said the plan - announced last week - would work.",
            "Factual - Serious Desert Interactive Bafta - King Arthur International category - 8 Simple Rules",
            "Necula Georgiana - 1 persoană - Str. Zefirului nr. 9 - 1 cameră și dependințe în suprafață de 35,62 mp;",
            "Results: Spain 2 - 0 Italy, France 1 - 1 Germany, England 3 - 2 Wales",
            "美国总统约瑟夫·拜登 国务卿安东尼·布林肯 防长劳埃德·奥斯汀 和 国家安全顾问杰克·沙利文"]
    article = clean([make_article("\n\n".join(["The story begins here."] + junk + kept))], settings)[0]
    assert {r["rule"] for r in article.removed} == {"link-list"}
    assert article.paragraphs == ["The story begins here."] + kept


def test_tail_rule_never_fires_on_the_first_paragraph(settings):
    article = clean([make_article("Comments:\n\nThe minister declined to comment further.\n")], settings)[0]
    assert article.removed == []


def test_comment_thread_goes_with_everything_after_it(settings):
    body = "The story.\n\nComments (2)\n\nAnna: great\n\nBob: no\n"
    article = clean([make_article(body)], settings)[0]
    assert article.paragraphs == ["The story."]
    assert {r["rule"] for r in article.removed} == {"comment-section-en"}


def test_see_also_block_is_kept_aside(settings):
    body = ("First paragraph of the story.\n\nЧитайте также:\nПутин встретился с Керри\n"
            "Лавров ответил на вопросы\n\nSecond paragraph.\n")
    article = clean([make_article(body)], settings)[0]
    assert article.see_also == ["Путин встретился с Керри", "Лавров ответил на вопросы"]
    assert article.paragraphs == ["First paragraph of the story.", "Second paragraph."]


def test_see_also_followed_by_long_text_is_not_a_block(settings):
    long_text = " ".join(["word"] * 40) + "."
    article = clean([make_article(f"Intro.\n\nRead more\n\n{long_text}\n")], settings)[0]
    assert article.see_also == []
    assert len(article.paragraphs) == 3


def test_a_related_link_on_one_line_is_kept_aside(settings):
    """"Read more: <headline>" (and "[Related: ...]") is a link, its headline a see-also entry;
    a sentence after "Related:" is text."""
    sentence = "Related: " + " ".join(["word"] * 35) + "."
    body = ("The story begins here.\n\nRead more: Alibaba poised to launch record-breaking Hong Kong listing\n\n"
            "The story goes on.\n\n[Related: Salesforce Dreamforce Keynote: AI, Integration]\n\n" + sentence + "\n")
    article = clean([make_article(body)], settings)[0]
    assert article.see_also == ["Alibaba poised to launch record-breaking Hong Kong listing",
                                "Salesforce Dreamforce Keynote: AI, Integration"]
    assert article.paragraphs == ["The story begins here.", "The story goes on.", sentence]


@pytest.mark.parametrize("heading", ["Citește și:", "Citeşte şi", "Lee también:", "Leia também", "À lire aussi :",
                                     "Leggi anche", "Lesen Sie auch:", "Baca juga:", "यह भी पढ़ें", "相关新闻："])
def test_read_also_in_other_languages_is_kept_aside(settings, heading):
    """Romanian "Citește și:" over a headline, on 10 of Telegram's 19 Romanian pages; the same
    heading in other languages (cedilla or comma below alike)."""
    body = f"Primul paragraf al articolului.\n\n{heading}\n\nUn nou parc în Constanța (documente)\n\nUltimul paragraf.\n"
    article = clean([make_article(body)], settings)[0]
    assert article.see_also == ["Un nou parc în Constanța (documente)"]
    assert article.paragraphs == ["Primul paragraf al articolului.", "Ultimul paragraf."]


def test_a_read_also_heading_ending_the_text_goes(settings):
    """Its links were pictures or scripts, gone with the page: the heading alone ends the text."""
    article = clean([make_article("El Gobierno habló ayer.\n\nLa reunión sigue hoy.\n\nRelacionado:\n")], settings)[0]
    assert article.paragraphs == ["El Gobierno habló ayer.", "La reunión sigue hoy."]
    assert article.see_also == []


def test_read_also_with_its_headline_on_one_line_in_another_language(settings):
    body = "El Gobierno habló ayer.\n\nLee también: Nuevas medidas por el coronavirus en Neuquén\n\nFin.\n"
    article = clean([make_article(body)], settings)[0]
    assert article.see_also == ["Nuevas medidas por el coronavirus en Neuquén"]
    assert article.paragraphs == ["El Gobierno habló ayer.", "Fin."]


def test_page_chrome_of_english_news_sites_goes(settings):
    """Lines found on the article-extraction benchmark's pages (Barron's, Fox News, CBS Sports,
    Space.com ...): reprint links and notices, calls to click, a newsletter form, and at the
    end the copyright line and a writer's e-mail; the same words inside a sentence stay."""
    story = ["Shares of Home Depot are dropping after the company cut its sales guidance.",
             "Readers can click here to see the full report, the company said.",
             "The copyright of the photographs stays with the agency, a spokesman said."]
    body = "\n\n".join(["- Order Reprints", "- Print Article",
                         "This copy is for your personal, non-commercial use only. To order presentation-ready "
                         "copies for distribution to your colleagues, clients or customers visit http://www.djreprints.com.",
                         story[0], "CLICK HERE TO GET THE FOX NEWS APP", story[1], "Thanks for signing up!",
                         "There was an error processing your subscription.", story[2],
                         "Email Tariq Malik at tmalik@space.com or follow him @tariqjmalik.",
                         "Copyright ©2019 Dow Jones & Company, Inc. All Rights Reserved", "© Reuters",
                         "Kindly Share This Story:"])
    article = clean([make_article(body)], settings)[0]
    assert article.paragraphs == story
    assert {r["rule"] for r in article.removed} == {"reprints-en", "click-here-en", "newsletter-form-en",
                                                      "follow-us-en", "copyright-en", "bookmark-share"}


def test_repeated_headline_with_date_and_site_name(settings):
    body = "Daily Planet\n\nHeadline of the story 14.11.2015 22:54\n\nThe story itself.\n"
    article = clean([make_article(body, source="Planet")], settings)[0]
    assert [r["rule"] for r in article.removed] == ["site-name", "repeated-title"]
    assert article.paragraphs == ["The story itself."]


def test_short_lines_above_the_repeated_headline_go_with_it(settings):
    """A kicker above the headline (a saved page's layout) is page furniture: the article starts
    at its headline. Text above it that is a paragraph of its own stays, and so does the headline."""
    kicker = "the minister says walks may resume from 2 May"
    body = f"{kicker}\n\nHeadline of the story\n\nThe story itself.\n"
    article = clean([make_article(body)], settings)[0]
    assert article.paragraphs == ["The story itself."]
    assert [r["text"] for r in article.removed] == [kicker, "Headline of the story"]
    for lede in (" ".join(["A long opening paragraph of the story itself"] * 5), "A short lede, as a sentence."):
        body = f"{lede}\n\nHeadline of the story\n\nThe story itself.\n"
        assert clean([make_article(body)], settings)[0].removed == [], lede


def test_headline_words_at_top_followed_by_text_stay(settings):
    body = "Headline of the story is what everyone talked about on Monday.\n"
    assert clean([make_article(body)], settings)[0].removed == []


def test_paragraph_printed_twice_goes(settings):
    caption = "A man holds a portrait near the embassy in Damascus"
    body = f"Intro of the story.\n\n{caption}\n\n{caption}\n\nMore of the story.\n"
    article = clean([make_article(body)], settings)[0]
    assert article.paragraphs == ["Intro of the story.", "More of the story."]
    assert [r["rule"] for r in article.removed] == ["printed-twice", "printed-twice"]


def test_a_list_written_line_by_line_keeps_its_items(settings):
    """An editor's list without blank lines between its items was one paragraph, and the page
    showed one item "a ceasefire - access ...". As in CommonMark a bullet starts an item, a
    number only as 1. or after an item; a quotation's lines are one quotation."""
    body = ("Ministers agreed on three points, officials said.\n- a ceasefire from Friday\n- access to the "
            "north\n\nThey scored in the\n2. minute of the game.\n\n1. First point\n2. Second point\n\n"
            "> The talks were hard,\n> but both sides moved.\n")
    article = clean([make_article(body)], settings)[0]
    assert article.paragraphs == ["Ministers agreed on three points, officials said.", "- a ceasefire from Friday",
                                  "- access to the north", "They scored in the 2. minute of the game.",
                                  "1. First point", "2. Second point", "> The talks were hard, but both sides moved."]


def test_extra_rules_and_disabled_rules_come_from_settings(tmp_path):
    extra = tmp_path / "site.yml"
    extra.write_text("rules:\n  - id: our-promo\n    kind: line\n    description: Our promo line.\n"
                     "    pattern: 'buy our app.*'\n", encoding="utf-8")
    user = tmp_path / "settings.yml"
    user.write_text(f"clean:\n  extra_pattern_files: ['{extra}']\n  disabled_rules: [view-counter-ru]\n",
                    encoding="utf-8")
    settings = load_settings(user)
    body = "The story.\n\nBuy our app today!\n\nПросмотров: 5\n"
    article = clean([make_article(body)], settings)[0]
    assert [r["rule"] for r in article.removed] == ["our-promo"]


@pytest.mark.parametrize("entry, message", [
    ("  - id: x\n    kind: lines\n    description: d\n    pattern: 'a'\n", "unknown kind 'lines'"),
    ("  - id: x\n    kind: line\n    description: d\n", "has no pattern"),
    ("  - id: x\n    kind: line\n    description: d\n    pattern: '(a'\n", "bad pattern"),
    ("  - id: x\n    kind: line\n    pattern: 'a'\n", "has no description"),
    ("  - id: view-counter\n    kind: line\n    description: d\n    pattern: 'a'\n", "already used"),
])
def test_bad_rule_files_name_file_and_line(tmp_path, entry, message):
    extra = tmp_path / "bad.yml"
    extra.write_text("rules:\n  - id: fine\n    kind: line\n    description: d\n    pattern: 'b'\n" + entry,
                     encoding="utf-8")
    user = tmp_path / "settings.yml"
    user.write_text(f"clean:\n  extra_pattern_files: ['{extra}']\n", encoding="utf-8")
    with pytest.raises(DigestError) as error:
        load_rules(load_settings(user))
    assert message in str(error.value)
    assert str(error.value).startswith(f"{extra}:6:")


def test_every_packaged_rule_is_documented(settings):
    for rule in load_rules(settings):
        assert rule.description.strip(), rule.id


def test_a_widget_glued_to_the_text_is_cut_and_the_text_kept(settings):
    """A scrape that lost its line breaks glues BBC's share and media-player widgets to the
    text (81 of XSum's 251 texts), the Daily Mail's "Scroll down for video" (66 of CNN/DM's
    247); the rest of the line is the article. Words that are not the whole widget stay."""
    body = ("Share this withEmailFacebookMessengerTwitterPinterestWhatsAppLinkedinCopy this linkResearchers found "
            "that four out of five children had tried new food at school.\n\n"
            "Media playback is not supported on this device\n\n"
            "Media playback is unsupported on your deviceWorld champion Lewis Hamilton started from the back.\n\n"
            "She said you cannot share this with email alone. We have replaced them?\"Media playback is not "
            "supported on this deviceCurtis believes the squad is good enough. Scroll down for video Mr Curtis said so.")
    article = clean([make_article(body, body_line=5)], settings)[0]
    assert article.paragraphs == ["Researchers found that four out of five children had tried new food at school.",
                                  "World champion Lewis Hamilton started from the back.",
                                  "She said you cannot share this with email alone. We have replaced them?\" Curtis "
                                  "believes the squad is good enough. Mr Curtis said so."]
    assert [(r["line"], r["rule"]) for r in article.removed] == [(5, "share-widget-glued-en"),
                                                                  (7, "share-widget-glued-en"),
                                                                  (9, "share-widget-glued-en"),
                                                                  (11, "share-widget-glued-en"),
                                                                  (11, "scroll-for-video-en")]
    assert article.removed[0]["text"].endswith("Copy this link")


def test_a_site_glued_rule_that_can_match_nothing_cuts_only_what_it_matches(tmp_path):
    extra = tmp_path / "site.yml"
    extra.write_text("rules:\n  - id: our-tag\n    kind: glued\n    description: Our tag.\n"
                     "    pattern: '(\\[promo\\])?'\n", encoding="utf-8")
    user = tmp_path / "settings.yml"
    user.write_text(f"clean:\n  extra_pattern_files: ['{extra}']\n", encoding="utf-8")
    article = clean([make_article("[promo]The story goes on.\n\nA second paragraph.")], load_settings(user))[0]
    assert article.paragraphs == ["The story goes on.", "A second paragraph."]
    assert [(r["text"], r["rule"]) for r in article.removed] == [("[promo]", "our-tag")]
