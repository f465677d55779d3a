"""summarize(): budget, datelines, junk, language of the summary, editor's override."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from digest.intake.clean import clean
from digest.model import Article, Translation
from digest.sentences import SentenceSplitter
from digest.settings import load_settings
from digest.annotate.summarize import count_words, summarize

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def settings():
    return load_settings()


def article(paragraphs: list[str], language: str = "en", title: str = "Headline") -> Article:
    a = Article(path=Path("a.md"), rel_path="a.md", slug="a", title=title, source="X",
                published=dt.datetime(2015, 12, 14), has_time=False, body="\n\n".join(paragraphs),
                body_line=6, language=language)
    a.paragraphs = list(paragraphs)
    return a


ENGLISH = [
    "MOSCOW, December 14. Washington shows no willingness to establish full coordination with Russia "
    "in combating the terrorist group, the Russian foreign ministry said on Monday.",
    "The coalition should rely on international law",  # a subheading: never summary material
    "Unfortunately, even after the attack on the Russian airliner, the United States has been reluctant "
    "to establish full coordination with Russia, the ministry said in a statement.",
    "The Russian side expects explanations on Washington's approach to Syria from the Secretary of State "
    "during his visit to Moscow this week.",
    "Comments by Washington about a certain isolation of Russia are ridiculous, the ministry said.",
    "By John Smith",
]


def test_budget_and_no_dateline_subheading_or_byline(settings):
    a = summarize([article(ENGLISH)], settings)[0]
    assert a.summary_language == "en"
    assert 0 < count_words(a.summary) <= 75
    assert a.summary.startswith("Washington shows no willingness")
    assert "MOSCOW" not in a.summary
    assert "international law" not in a.summary
    assert "John Smith" not in a.summary
    sentences = [s for s in a.summary.split(". ") if s]
    assert len(sentences) <= 3


def test_russian_without_translation_is_summarized_in_russian(settings):
    paragraphs = [
        "СУХУМ, 14 ноя — Sputnik. Глава МИД РФ Сергей Лавров заявил, что удовлетворен итогами встречи "
        "группы поддержки Сирии в Вене.",
        "Россия подтвердила готовность координировать с международной коалицией во главе с США борьбу "
        "с террористами, заявил глава МИД РФ Сергей Лавров.",
    ]
    a = summarize([article(paragraphs, language="ru")], settings)[0]
    assert a.summary_language == "ru"
    assert a.summary.startswith("Глава МИД РФ Сергей Лавров заявил")
    assert "Sputnik" not in a.summary


def test_translation_is_summarized_when_there_is_one(settings):
    a = article(["Глава МИД РФ Сергей Лавров заявил, что удовлетворен итогами встречи в Вене."], language="ru")
    a.translation = Translation(title="Lavrov", paragraphs=ENGLISH[2:4], model="translate-ru_en",
                                model_version="1.9", source_language="ru")
    summarize([a], settings)
    assert a.summary_language == "en"
    assert a.summary.startswith("Unfortunately")


def test_editor_summary_wins(settings):
    a = article(ENGLISH)
    a.summary_override = "  The editor's own words.  "
    summarize([a], settings)
    assert (a.summary, a.summary_language) == ("The editor's own words.", "en")


def test_long_single_sentence_is_cut_to_the_budget(settings):
    sentence = "The minister said " + " ".join(f"word{i}" for i in range(120)) + "."
    a = summarize([article([sentence])], settings)[0]
    assert count_words(a.summary) <= 76  # 75 words and the ellipsis
    assert a.summary.endswith("…")


def test_article_with_no_prose_has_an_empty_summary(settings):
    assert summarize([article(["Photo gallery", "Video"])], settings)[0].summary == ""


def test_deterministic(settings):
    assert summarize([article(ENGLISH)], settings)[0].summary == summarize([article(ENGLISH)], settings)[0].summary


def test_cjk_characters_count_as_words():
    assert count_words("俄罗斯外交部 said") == 7


def test_seeds_summaries_hold_no_junk(settings):
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"{SEEDS} absent")
    articles = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        title = lines[1] if len(lines[0].split()) <= 4 else lines[0]
        a = article([], language="ru" if path.name.startswith("003") else "en", title=title)
        a.body = text
        articles.append(a)
    clean(articles, settings)
    summarize(articles, settings)
    for a in articles:
        assert a.summary and count_words(a.summary) <= 75
        for removed in a.removed:
            assert removed["text"] not in a.summary
        for dateline in ("MOSCOW, December 14", "ROME, 11 December", "СУХУМ", "Sputnik."):
            assert dateline not in a.summary


@pytest.mark.parametrize("dateline", ["SANTA FE, N.M. (AP) —", "LONDON, Dec 14 (Reuters) -",
                                      "KABUL, Afghanistan (AP) —", "WASHINGTON (Reuters) -",
                                      "Surabaya (beritajatim.com) –", "Kediri (example.co.id)-", "Example.com –",
                                      "(CNN)", "Hong Kong (CNN Business)", "(Reuters) —"])
def test_agency_datelines_with_a_state_or_a_date_are_cut(settings, dateline):
    glued = dateline.endswith(")")  # "(CNN)A cat ...": a scrape of CNN's pages glues the outlet on
    a = article([f"{dateline}{'' if glued else ' '}A cat who had been missing for five years in Portland, Oregon, has been found "
                 "in Santa Fe, New Mexico, the city's animal shelter said this week.",
                 "Sasha the black cat was found wandering the streets of the capital, officials said."])
    summarize([a], settings)
    assert a.summary.startswith("A cat who had been missing"), a.summary


def test_a_summary_of_list_items_is_prose(settings):
    """Business Insider opens with its key points as a list ("- Retiring early takes ..."):
    the page shows a list; the summary, prose, takes the items' words without the markers."""
    a = article(["- Retiring early takes time and incredible discipline.",
                 "- You should aim to have at least 25 times your annual expenses saved or invested.",
                 "1. Live below your means and max out your retirement accounts."])
    summary = summarize([a], settings)[0].summary
    assert summary.startswith("Retiring early takes time") and "- " not in summary and "1. " not in summary


def test_a_summary_is_not_empty_however_the_article_is_paragraphed(settings):
    # One paragraph that does not end like a sentence (a credit line at the end), and a
    # one-sentence article shorter than the candidates' minimum: both have sentences.
    text = ("Ministers met in Geneva on Tuesday to discuss the ceasefire in the north. They agreed to meet "
            "again next week. Reporting by John Smith")
    assert summarize([article([text])], settings)[0].summary.startswith("Ministers met in Geneva on Tuesday")
    assert summarize([article(["Putin met Obama."])], settings)[0].summary == "Putin met Obama."


def test_a_sentence_that_leans_on_the_one_before_comes_only_after_it(tmp_path):
    """"He said ..." is the most central sentence here, but without its predecessor it
    dangles: the next best one stands in for it. Half a quote never stands alone either."""
    from digest.annotate.summarize import summarize_text

    paragraphs = ["Foreign ministers met in Rome on Monday to discuss the war in Syria.",
                  "The weather in the city was mild and quiet.",
                  "He said that sanctions against Iran would remain while inspectors check every nuclear site.",
                  "Sanctions against Iran remain, inspectors said after visiting nuclear sites.",
                  "‘Iran's nuclear sites face inspectors and sanctions, officials said."]
    summary = summarize_text(paragraphs, "en", load_settings())
    assert summary.startswith("Foreign ministers") and "Sanctions against Iran remain" in summary
    assert "He said" not in summary and "‘Iran" not in summary
    loose = tmp_path / "settings.yml"
    loose.write_text("summarize:\n  skip_dangling: false\n", encoding="utf-8")
    assert "He said" in summarize_text(paragraphs, "en", load_settings(loose))


def test_a_connecting_phrase_leans_on_the_sentence_before_it():
    """"On the other hand, ..." (a Hong Kong paper's machine-translated summary opened so) or
    "При этом ..." answers a sentence the summary would leave out."""
    from digest.annotate.summarize import dangling

    assert dangling("On the other hand, the government said it would end the contract.")
    assert dangling("“In addition, prices rose,” he said.") and dangling("При этом цены выросли на 3%.")
    assert not dangling("Ontario said on Monday that prices rose.")
    assert not dangling("For the first time, exports fell.")


def test_half_a_quote_in_straight_single_quotes_leans_on_its_other_half():
    """British outlets quote with straight single quotes, which are also apostrophes: a summary
    of a Daily Mail report held "'Every time you get to play with the world's best you'll take
    something away." (the quote goes on in the next sentence)."""
    from digest.annotate.summarize import dangling

    assert dangling("'Every time you get to play with the world's best you'll take something away.")
    assert dangling("Today was a great day for all of us,' Smith added.")
    for whole in ("'Ours was tough,' said the champion.", "Smith, 38, said: 'We are proud of the team.'",
                  "The players' wages rose.", "Smith said 'no' to the plan.", "Rock 'n' roll is here.",
                  "The fans' chants of 'Judas' rang out."):
        assert not dangling(whole), whole


def test_a_date_inside_the_first_sentence_is_not_a_dateline(settings):
    # "The pair married March 21" reads like "MOSCOW, December 14." to a loose pattern; a
    # dateline's place is capitalised words and its date ends with a full stop or a dash.
    first = ("The pair married March 21 at the cancer centre in Houston, after the groom was told his "
             "illness had returned.")
    a = summarize([article([first, "Doctors at the centre had treated him for two years before the wedding."])],
                  settings)[0]
    assert a.summary.startswith(first)


def test_the_summary_ends_where_the_lead_goes_on_past_the_budget(settings):
    # The second sentence does not fit beside the first: the summary stops there rather than
    # skip to the short third one, which would leave a gap in the lead's story.
    first = "Floods closed the main road between the two northern towns on Sunday, officials in the region said."
    long = ("Rescue teams worked through the night to reach families cut off by the water in villages along "
            "the river valley, where rain had fallen without a break for four days and the level of the river "
            "rose higher than at any time since records began more than a century ago, when the first "
            "gauges were set up on the old stone bridge below the town.")
    short = "Schools across the district will stay closed until Wednesday."
    summary = summarize([article([first, long, short])], settings)[0].summary
    assert count_words(first) + count_words(long) > 75
    assert summary == first


def test_the_lead_is_the_first_sentence_that_stands_alone(settings):
    # A feature opening with "They ..." leans on what follows: the summary's lead is the next
    # sentence, and the summary ends where the sentence after that does not fit, as above.
    opener = "They are the strange concrete arrows that hikers keep finding in the deserts of the American west."
    first = "Giant concrete arrows built in the 1920s once guided the first airmail pilots across the country."
    long = ("Each arrow was painted bright yellow and stood beside a steel tower carrying a rotating beacon, "
            "so that pilots flying at night between the coasts could follow a chain of lights and arrows from "
            "one landing field to the next, long before radio navigation replaced them in the following decade "
            "and the towers were taken down, their steel sold for scrap when the war came.")
    short = "A few dozen arrows survive today on private land."
    summary = summarize([article([opener, first, long, short])], settings)[0].summary
    assert count_words(first) + count_words(long) > 75
    assert summary == first


@pytest.mark.parametrize("language, text, first", [
    ("lv", "Šā gada 25. aprīlī 96 gadu vecumā mūžībā devās publicists. Žurnāls uzrunāja viņa draugus.",
     "Šā gada 25. aprīlī 96 gadu vecumā mūžībā devās publicists."),
    ("pl", "Dnia 25. kwietnia zmarł znany publicysta. Miał 96 lat.", "Dnia 25. kwietnia zmarł znany publicysta."),
])
def test_no_sentence_is_cut_at_an_ordinal_date(language, text, first):
    """sentencex ends a sentence at "25." before a month in lower case: no sentence opens in
    lower case, so the piece goes back to the one before it."""
    assert SentenceSplitter(language).split(text)[0] == first
