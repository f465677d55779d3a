"""link(): the five seeds (cleaned by the real clean stage, no translation) form the story,
related coverage across languages and "See also" links the issue asks for; editors'
`story:` pins merge and split stories."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from digest.intake.clean import clean
from digest.annotate.entities import RussianNLP, load_registry
from digest.annotate.link import link
from digest.model import Article
from digest.settings import load_settings

from .conftest import requires_shared

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
REGISTRY = REPO / "site_src" / "entities.yml"

# seed file prefix -> (slug, source, published, language), as the editors would set them
SEED_META = {
    "000": ("ministry-us-reluctant", "Russian wire", dt.datetime(2015, 12, 14), "en"),
    "001": ("lavrov-on-joining-coalition", "Russian wire", dt.datetime(2015, 12, 11), "en"),
    "002": ("russia-criticizes-us", "Xinhua", dt.datetime(2015, 12, 15), "en"),
    "003": ("lavrov-rf-gotova", "Спутник-Абхазия", dt.datetime(2015, 11, 14, 22, 54), "ru"),
    "004": ("washington-joint-efforts", "Military Review", dt.datetime(2015, 9, 28), "en"),
}


def seed_articles() -> list[Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is absent: these tests read ../shared beside the repository")
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        slug, source, published, language = SEED_META[path.name[:3]]
        text = path.read_text(encoding="utf-8")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        title = lines[1] if len(lines[0].split()) <= 4 else lines[0]
        articles.append(Article(path=path, rel_path=path.name, slug=slug, title=title, source=source,
                                published=published, has_time=False, body=text, body_line=1,
                                language=language))
    return clean(articles, load_settings())


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return seed_articles()


@pytest.fixture(scope="module")
def nlp() -> RussianNLP:
    return RussianNLP()  # natasha's models, loaded once for the module


@pytest.fixture(scope="module")
def linked(seeds, nlp):
    return link(seeds, load_settings(), load_registry(REGISTRY), nlp)


def story_of(stories, slug):
    return next((s for s in stories if slug in s.articles), None)


def test_no_translation_is_involved(seeds):
    assert all(a.translation is None for a in seeds)
    assert next(a for a in seeds if a.slug == "lavrov-rf-gotova").english_paragraphs == []


def test_000_and_002_are_one_story_and_each_others_top_related(linked):
    stories, _, related = linked
    story = story_of(stories, "ministry-us-reluctant")
    assert story is not None and "russia-criticizes-us" in story.articles
    assert related["ministry-us-reluctant"][0].slug == "russia-criticizes-us"
    assert related["russia-criticizes-us"][0].slug == "ministry-us-reluctant"
    assert related["russia-criticizes-us"][0].same_story


def test_story_has_title_timeline_attributed_summary_and_entities(linked):
    stories, _, _ = linked
    story = story_of(stories, "ministry-us-reluctant")
    assert story.articles == ["ministry-us-reluctant", "russia-criticizes-us"]  # oldest first
    assert story.first_published < story.last_published
    assert story.title in {"Russia criticizes US for lack of willingness to coordinate over Syria crisis",
                           "The Russian foreign Ministry: US reluctant to establish coordination with "
                           "Russia in the fight against IG"}
    assert {s.source for s in story.summary} == {"Russian wire", "Xinhua"}
    assert all(s.article in story.articles for s in story.summary)
    assert {"john-kerry", "moscow", "washington"} <= set(story.entities)


def test_see_also_headline_links_000_to_001(linked, seeds):
    _, _, related = linked
    names = next(a for a in seeds if a.slug == "ministry-us-reluctant").see_also
    assert "Lavrov on joining the coalition of the US: ready for dialogue under visor will not take" in names
    links = [r for r in related["ministry-us-reluctant"] if r.see_also]
    assert [r.slug for r in links] == ["lavrov-on-joining-coalition"]


def test_see_also_matches_a_slightly_different_headline(seeds, nlp):
    articles = [dataclasses.replace(a) for a in seeds]
    articles[0].see_also = ["Lavrov on joining coalition of the US: ready for dialogue under visor won't take"]
    _, _, related = link(articles, load_settings(), nlp=nlp)
    assert [r.slug for r in related[articles[0].slug] if r.see_also] == ["lavrov-on-joining-coalition"]


SHARED_WITH_ENGLISH = {"sergey-lavrov", "john-kerry", "islamic-state", "syria", "united-states"}


def test_russian_seed_is_related_to_english_coverage_and_shares_entity_pages(linked, seeds):
    _, entities, related = linked
    english = {a.slug for a in seeds if a.language == "en"}
    assert {r.slug for r in related["lavrov-rf-gotova"]} & english
    assert any(r.slug == "lavrov-rf-gotova" for slug in english for r in related.get(slug, []))
    by_slug = {e.slug: e for e in entities}
    for slug in SHARED_WITH_ENGLISH:
        mentioned_in = set(by_slug[slug].mentions)
        assert "lavrov-rf-gotova" in mentioned_in and mentioned_in & english, slug
    assert by_slug["sergey-lavrov"].type == "person"
    assert by_slug["islamic-state"].type == "organisation"
    assert by_slug["syria"].type == "place"


def test_related_reasons(linked):
    _, _, related = linked
    record = related["russia-criticizes-us"][0]
    assert {"john-kerry", "washington"} <= set(record.shared_entities)
    assert "--10-31" in record.shared_numbers  # "Oct. 31" and "October 31"
    assert record.days_apart == 1.0
    assert all(r.score > 0 for records in related.values() for r in records)


def test_cross_script_entities_without_a_registry(seeds, nlp):
    """Transliteration and inflection alone make Лавров / Сергеем Лавровым / Sergei Lavrov and
    Керри / John Kerry one entity each."""
    _, entities, related = link(seeds, load_settings(), registry=None, nlp=nlp)
    by_name = {e.name: e for e in entities}
    for name in ("Sergei Lavrov", "John Kerry"):
        entity = next(e for e in entities if e.name.endswith(name.split()[-1]))
        assert entity.type == "person"
        assert "lavrov-rf-gotova" in entity.mentions and "russia-criticizes-us" in entity.mentions, name
    assert "Лавров" not in by_name and "Керри" not in by_name
    assert {r.slug for r in related["lavrov-rf-gotova"]} & {"russia-criticizes-us", "ministry-us-reluctant"}


def test_is_deterministic(seeds, linked, nlp):
    assert link(seeds, load_settings(), load_registry(REGISTRY), nlp) == linked


def pinned(seeds, pins: dict[str, str]) -> list[Article]:
    return [dataclasses.replace(a, story_override=pins.get(a.slug)) for a in seeds]


def test_pins_merge_and_split_stories(seeds, nlp):
    articles = pinned(seeds, {"lavrov-rf-gotova": "kerry-lavrov", "washington-joint-efforts": "kerry-lavrov",
                              "ministry-us-reluctant": "ministry-statement", "russia-criticizes-us": "xinhua-view"})
    stories, _, related = link(articles, load_settings(), load_registry(REGISTRY), nlp)
    merged = next(s for s in stories if s.slug == "kerry-lavrov")
    assert merged.pinned
    assert merged.articles == ["washington-joint-efforts", "lavrov-rf-gotova"]
    # the same event, split by the editors: two stories, no longer "same story"
    assert story_of(stories, "ministry-us-reluctant").slug == "ministry-statement"
    assert story_of(stories, "russia-criticizes-us").slug == "xinhua-view"
    assert not any(r.same_story for r in related["russia-criticizes-us"])
    # most recent activity first
    assert [s.slug for s in stories] == ["xinhua-view", "ministry-statement", "kerry-lavrov"]


def test_a_pin_names_the_story_it_joins(seeds, nlp):
    articles = pinned(seeds, {"russia-criticizes-us": "kerry-visit"})
    stories, _, _ = link(articles, load_settings(), load_registry(REGISTRY), nlp)
    story = story_of(stories, "ministry-us-reluctant")
    assert story.slug == "kerry-visit" and "russia-criticizes-us" in story.articles
    assert story.pinned


def test_empty_input():
    assert link([], load_settings()) == ([], [], {})


def test_links_json_record_is_documented_shape(seeds, linked):
    import json

    from digest.cli.links import FORMAT, links_record

    record = json.loads(json.dumps(links_record(seeds, *linked), ensure_ascii=False))
    assert record["format"] == FORMAT == "digest-links/1"
    story = record["stories"][0]
    assert [a["slug"] for a in story["articles"]] == ["ministry-us-reluctant", "russia-criticizes-us"]
    assert set(story) == {"slug", "title", "pinned", "first_published", "last_published", "articles",
                          "summary", "entities"}
    pair = next(p for p in record["related"] if p["article"] == "ministry-us-reluctant" and p["rank"] == 1)
    assert pair["related"] == "russia-criticizes-us" and pair["same_story"] and 0 < pair["score"] <= 1
    lavrov = next(e for e in record["entities"] if e["slug"] == "sergey-lavrov")
    mentions = [m for m in lavrov["mentions"] if m["article"] == "lavrov-rf-gotova"]
    assert mentions[0]["field"] == "title" and mentions[0]["text"] == "Лавров"
    mention = next(m for m in mentions if m["field"] == "paragraphs")
    paragraphs = next(a for a in seeds if a.slug == "lavrov-rf-gotova").paragraphs
    assert paragraphs[mention["paragraph"]][mention["start"]:mention["end"]] == mention["text"]


def test_entity_pages_need_three_articles_or_two_languages(seeds, nlp, tmp_path):
    """Found entities named in two articles of one language count in the scores but get no
    page (nor a listing); in two languages they do. The threshold is a setting."""
    languages = {a.slug: a.language for a in seeds}
    _, paged, _ = link(seeds, load_settings(), registry=None, nlp=nlp)
    for entity in paged:
        assert len(entity.mentions) >= 3 or len({languages[s] for s in entity.mentions}) > 1, entity.name
    (tmp_path / "settings.yml").write_text("link:\n  entity_page_min_articles: 2\n", encoding="utf-8")
    _, more, _ = link(seeds, load_settings(tmp_path / "settings.yml"), registry=None, nlp=nlp)
    extra = {e.slug: e for e in more}.keys() - {e.slug for e in paged}
    assert extra, "the seeds name some entities in just two English articles"
    for entity in (e for e in more if e.slug in extra):
        assert len(entity.mentions) == 2 and {languages[s] for s in entity.mentions} == {"en"}


def test_candidate_scores_are_the_pair_scores(seeds, nlp):
    """candidate_pairs scores shortlists with numpy; each score must be score(i, j)'s. Real
    BBC articles beside the seeds (English and Russian channels, entities, numbers)."""
    from digest.annotate.entities import find_entities, word_lists
    from digest.annotate.features import features as _features
    from digest.annotate.link import _Scorer

    bbc = requires_shared("data", "summarization", "bbc-news-summary", "BBC News Summary", "News Articles")
    articles = list(seeds)
    for n, path in enumerate(sorted(bbc.glob("*/*.txt"))[:300:3]):
        title, _, body = path.read_text(encoding="latin-1").strip().partition("\n")
        articles.append(Article(path=path, rel_path=path.name, slug=f"bbc-{n}", title=title.strip(),
                                source="BBC", published=dt.datetime(2015, 12, 1 + n % 28), has_time=False,
                                body=body, body_line=2, language="en"))
    settings = load_settings()
    articles = clean(articles, settings)
    section, words = settings.section("link"), word_lists()
    scorer = _Scorer(_features(articles, find_entities(articles, settings, nlp=nlp, words=words), words, section),
                     section)
    pairs = scorer.candidate_pairs()
    assert sum(len(found) for found in pairs.values()) > 500
    for i, found in pairs.items():
        assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)
        for j, score in found:
            assert score == pytest.approx(scorer.score(i, j)[0], abs=1e-12), (i, j)


def post(slug: str, language: str, text: str) -> Article:
    a = Article(path=Path(f"{slug}.md"), rel_path=f"{slug}.md", slug=slug, title=text[:60], source=slug,
                published=dt.datetime(2021, 5, 1), has_time=False, body=text, body_line=1, language=language)
    a.paragraphs = [text]
    return a


def test_an_untranslated_post_with_few_names_is_linked_to_its_english_version(nlp):
    # A Russian post without a translation, almost no names: its English version is found by
    # the spelling of every word (telefon/phone, kamera/camera, batareya/battery), not by the
    # one number it shares with an unrelated English article; Russian posts on the same
    # theme, which outscore both, do not push its English coverage off the list.
    russian = ("вчера купил новый телефон за 15000 рублей: батарея держит два дня, камера отличная, "
               "экран яркий, зарядка быстрая, советую всем друзьям и знакомым")
    english = ("yesterday I bought a new phone for 15000 rubles: the battery lasts two days, the camera is "
               "excellent, the screen is bright, the charging is fast, I recommend it to all my friends")
    others = [post(f"ru-{n}", "ru", f"купил телефон, батарея держит {n} дня, камера так себе, экран тусклый, "
                                    f"зарядка медленная, вернул в магазин номер {n}") for n in range(2, 9)]
    unrelated = post("en-council", "en", "The city council approved 15000 new parking spaces near the "
                                         "stadium after a long debate about traffic in the old town")
    articles = [post("ru-post", "ru", russian), post("en-post", "en", english), unrelated, *others]
    _, _, related = link(articles, load_settings(), nlp=nlp)
    listed = [r.slug for r in related["ru-post"]]
    assert [s for s in listed if s.startswith("en-")][0] == "en-post", listed
    assert sum(s.startswith("ru-") for s in listed) >= 3, listed


def test_two_latin_script_languages_are_not_related_by_their_shared_alphabet(nlp):
    """The spelling of every word links an untranslated text in another script to English
    (above). Between Spanish and English it measured cognates: a museum's exhibition was
    related to an economy report (0.42, above the two versions of one story, 0.32); on the
    Telegram contest's pages 73 such pairs in French, Italian, Spanish, Portuguese and Romanian
    were English reports' related coverage. Their names still relate the versions of one story."""
    museum = post("es-1", "es", "La administración del museo presentó la información sobre la situación de la "
                                "colección y la comisión confirmó la decisión de la dirección general sobre la "
                                "exposición")
    economy = post("en-1", "en", "The national administration presented information on the situation of the economy "
                                 "and the commission confirmed the decision of the general direction about inflation")
    talks_es = post("es-2", "es", "Serguéi Lavrov y John Kerry se reunieron en Ginebra el lunes para hablar de Siria, "
                                  "informó el Ministerio de Asuntos Exteriores de Rusia")
    talks_en = post("en-2", "en", "Sergei Lavrov and John Kerry met in Geneva on Monday to discuss Syria, the Russian "
                                  "Foreign Ministry said")
    _, _, related = link([museum, economy, talks_es, talks_en], load_settings(), nlp=nlp)
    assert not related.get("es-1"), related.get("es-1")
    assert [r.slug for r in related["es-2"]] == ["en-2"], related["es-2"]


def test_the_sounds_channel_exists_only_beside_an_untranslated_article_and_holds_its_grams():
    from digest.annotate.features import _name_grams, _sounds
    from digest.cache import Cache

    russian = post("ru-post", "ru", "купил новый телефон, камера отличная")
    english = post("en-post", "en", "I bought a new phone, the camera is excellent")
    assert _sounds([english], Cache(None)) == [None]
    ru_counts, en_counts = _sounds([russian, english], Cache(None))
    assert set(ru_counts) == set(_name_grams([russian.title, *russian.paragraphs], every_word=True))
    assert en_counts and set(en_counts) <= set(ru_counts)  # " cam", "came", "amer", "mera"
    assert " the" not in en_counts


def test_a_shared_figure_alone_joins_no_texts_in_scripts_without_capitals(nlp):
    """An Arabic and a Hindi report (no translation, no capitals, no names) that share a
    figure, and two articles that share only "COVID-19", are no story: a number glued to a
    word is a name, and a text without capitals has no names channel to count its figures twice."""
    arabic = post("ar-1", "ar", "أعلنت البلدية توزيع أربعين ألف حصة غذائية على العائلات المحتاجة في المدينة "
                                "خلال الأسبوع المقبل بكلفة 40 مليار ليرة")
    hindi = post("hi-1", "hi", "मुख्यमंत्री ने सोमवार को नई योजना शुरू की जिसके तहत 40 लाख परिवारों को मुफ्त दवा दी "
                               "जाएगी और अस्पतालों में नए बिस्तर जोड़े जाएंगे")
    english = post("en-1", "en", "The museum reopened its doors on Monday with a new exhibition of "
                                 "paintings; visitors must book tickets online because of COVID-19")
    spanish = post("es-1", "es", "El equipo ganó el partido del domingo y los aficionados celebraron en las "
                                 "calles pese a las restricciones por la COVID-19")
    stories, _, related = link([arabic, hindi, english, spanish], load_settings(), nlp=nlp)
    assert stories == [], [s.articles for s in stories]
    # Neither has English: the spelling of an Arabic and a Hindi text compares nothing.
    assert "hi-1" not in [r.slug for r in related.get("ar-1", [])], related.get("ar-1")
    from digest.annotate.features import _NUMBER, _name_grams
    assert [m.group() for m in _NUMBER.finditer("COVID-19 cases rose to 1,500 at -22 degrees")] == ["1,500", "22"]
    assert _name_grams(arabic.paragraphs) == {}


def test_a_storys_key_sentences_stand_alone(nlp):
    """The sentence two reports share most may lean on the one before it ("But the talks ..."):
    a story's summary quotes sentences that stand alone."""
    shared = "But the talks on the Syria ceasefire in Geneva ended without a deal on Monday evening"
    articles = [post("en-a", "en", f"Officials met in Geneva on Monday to discuss the ceasefire in Syria. {shared}."),
                post("en-b", "en", f"Diplomats gathered in Geneva for talks on the Syria ceasefire on Monday. "
                                   f"{shared}, officials said.")]
    stories, _, _ = link(articles, load_settings(), nlp=nlp)
    assert len(stories) == 1 and stories[0].summary, stories
    assert not any(k.text.startswith("But") for k in stories[0].summary), [k.text for k in stories[0].summary]


def test_a_storys_key_sentences_lose_their_datelines(nlp):
    """A key sentence quoted on the story page starts where the news does, as an article's
    summary does ("HONOLULU, Hawaii (HawaiiNewsNow) - NASA scientists ...")."""
    text = ("NASA scientists using a telescope atop Mauna Kea have confirmed the presence of water vapor on the "
            "surface of Europa, one of the moons of Jupiter")
    articles = [post("en-a", "en", f"HONOLULU, Hawaii (HawaiiNewsNow) - {text}, the agency said."),
                post("en-b", "en", f"WASHINGTON — {text}, officials said on Monday.")]
    stories, _, _ = link(articles, load_settings(), nlp=nlp)
    assert len(stories) == 1, stories
    assert {k.text[:13] for k in stories[0].summary} == {"NASA scientis"}, [k.text for k in stories[0].summary]


def test_a_daily_column_for_two_dates_is_two_events(nlp):
    """"Прогноз погоды на 8 ноября" and "... на 9 ноября" read alike word for word (a daily
    column): headlines naming different dates are two events; the same date, one story."""
    body = ("Синоптики обещают в Москве облачную погоду, небольшой снег и гололедицу, температура воздуха "
            "ночью составит минус пять градусов, днем около нуля, ветер северо-западный, давление растет.")

    def column(slug: str, day: int, source: str) -> Article:
        article = post(slug, "ru", body)
        article.title, article.source = f"Прогноз погоды на {day} ноября", source
        return article
    articles = [column("a", 8, "Вести"), column("b", 9, "Вести"), column("c", 8, "Известия")]
    stories, _, _ = link(articles, load_settings(), [], nlp)
    assert [sorted(story.articles) for story in stories] == [["a", "c"]]
