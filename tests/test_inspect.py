"""`digest inspect`: the JSON record on an article file and on raw text, text form, CLI glue."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from digest.cli import inspect as cli_inspect
from digest.inspect import SCHEMA, inspect_file, render_text
from digest.settings import load_settings

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

ARTICLE = """---
title: Лавров ответил на вопросы
source: Спутник
published: 2015-11-14
---

Лавров ответил на вопросы 14.11.2015 22:54

СУХУМ, 14 ноя — Sputnik. Глава МИД РФ Сергей Лавров заявил, что удовлетворен итогами встречи группы поддержки Сирии в Вене.

Россия подтвердила готовность координировать с международной коалицией во главе с США борьбу с террористами, заявил глава МИД РФ.

Читайте также:
Керри прибыл в Москву

Количество просмотров: 2090

Наверх
"""


@pytest.fixture(scope="module")
def settings():
    return load_settings()


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "site_src" / "articles" / "2015" / "11" / "lavrov.md"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_record_of_an_article_file(article_file, settings):
    record = inspect_file(article_file, settings)
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record  # plain JSON types only
    assert set(record) == {"schema", "file", "slug", "url", "title", "source", "language", "paragraphs",
                           "removed", "see_also", "translation", "summary", "mentions"}
    assert record["slug"] == "lavrov" and record["url"] == "articles/2015/11/lavrov/"
    lavrov = [m for m in record["mentions"] if m["text"] == "Сергей Лавров"]
    assert lavrov == [{"text": "Сергей Лавров", "type": "person", "entity": None, "field": "paragraphs",
                       "paragraph": 0, "start": lavrov[0]["start"], "end": lavrov[0]["start"] + 13}]
    assert record["paragraphs"][0][lavrov[0]["start"]:lavrov[0]["end"]] == "Сергей Лавров"
    assert {m["type"] for m in record["mentions"]} <= {"person", "organisation", "place"}
    assert record["schema"] == SCHEMA
    assert record["language"]["code"] == "ru" and record["language"]["detected"] is True
    assert 0.9 <= record["language"]["confidence"] <= 1
    assert [(r["line"], r["rule"]) for r in record["removed"]] == [
        (7, "repeated-title"), (13, "see-also-ru"), (14, "see-also-ru"), (16, "view-counter-ru"),
        (18, "back-to-list-ru")]
    assert all(r["description"] for r in record["removed"])
    assert record["see_also"] == ["Керри прибыл в Москву"]
    assert len(record["paragraphs"]) == 2
    assert record["translation"] is None
    assert record["summary"]["language"] == "ru" and record["summary"]["from"] == "text"
    assert record["summary"]["text"].startswith("Глава МИД РФ Сергей Лавров заявил")


def test_language_given_in_front_matter_is_not_detected(article_file, settings):
    article_file.write_text(ARTICLE.replace("published:", "language: ru\npublished:"), encoding="utf-8")
    assert inspect_file(article_file, settings)["language"] == {"code": "ru", "confidence": 1.0, "detected": False}


def test_raw_seed_text_is_inspected_as_it_would_be_imported(settings):
    seed = SEEDS / "004_2defbf39a6ebba5d.txt"
    if not seed.exists():
        pytest.skip(f"{seed} absent")
    record = inspect_file(seed, settings)
    assert record["title"].startswith("Washington: Joint efforts")
    assert record["language"]["code"] == "en"
    assert record["removed"][0] == {"line": 18, "text": "Photos used:", "rule": "photos-used",
                                    "description": record["removed"][0]["description"]}
    assert len(record["removed"]) == 29 and len(record["paragraphs"]) == 7
    assert "Andrey" not in record["summary"]["text"]


def test_text_form_names_rules(article_file, settings):
    text = render_text(inspect_file(article_file, settings))
    assert "language: ru (detected, confidence" in text
    assert "  16  view-counter-ru" in text
    assert "see also (kept aside):\n  - Керри прибыл в Москву" in text


def _run(argv):
    parser = argparse.ArgumentParser()
    cli_inspect.add_subcommands(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_json_and_errors(article_file, capsys, tmp_path):
    assert _run(["inspect", str(article_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["see_also"] == ["Керри прибыл в Москву"]
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: x\n", encoding="utf-8")
    assert _run(["inspect", str(broken)]) == 1
    assert "front matter is not closed" in capsys.readouterr().err
    assert _run(["inspect", str(tmp_path / "missing.md")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_cli_many_files_one_json_line_each_with_the_registrys_entities(article_file, capsys, tmp_path):
    """One line per readable file, in order; a broken one is reported and the rest go on."""
    (article_file.parents[3] / "entities.yml").write_text(
        "- name: Sergey Lavrov\n  type: person\n  aliases: [Сергей Лавров, Лавров]\n", encoding="utf-8")
    english = article_file.with_name("kerry.md")
    english.write_text("---\ntitle: Kerry in Moscow\nsource: Wire\npublished: 2015-12-15\n---\n\n"
                       "US Secretary of State John Kerry met Sergey Lavrov in Moscow on Tuesday.\n",
                       encoding="utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text("---\ntitle: x\n", encoding="utf-8")
    assert _run(["inspect", str(article_file), str(broken), str(english), "--json"]) == 1
    captured = capsys.readouterr()
    assert "broken.md" in captured.err
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["slug"] for r in records] == ["lavrov", "kerry"]
    assert records[1]["url"] == "articles/2015/12/kerry/"
    mentions = {m["text"]: m for m in records[1]["mentions"]}
    assert mentions["Sergey Lavrov"]["entity"] == "sergey-lavrov" and mentions["Sergey Lavrov"]["type"] == "person"
    assert mentions["John Kerry"]["type"] == "person" and mentions["John Kerry"]["entity"] is None
    assert mentions["Moscow"]["type"] == "place"
    assert all(m["entity"] == "sergey-lavrov" for m in records[0]["mentions"] if "Лавров" in m["text"])


def test_a_path_given_from_the_repository_finds_the_articles_translation(article_file, settings, monkeypatch):
    """`digest inspect site_src/articles/...md` run from the repository (a relative path) reads
    the translation store as the build does: the summary and entities come from the English."""
    from digest.intake.articles import parse_article
    from digest.intake.clean import clean
    from digest.model import Translation
    from digest.translation.store import TranslationStore, text_hash
    from digest.translation.translate import source_text

    docs = article_file.parents[3]
    article, _ = parse_article(article_file, docs, settings)
    clean([article], settings)
    english = Translation("Lavrov answered questions",
                          ["Foreign Minister Sergei Lavrov said he was satisfied with the meeting in Vienna.",
                           "Russia confirmed it was ready to coordinate with the coalition led by the United States."],
                          "translate-ru_en", "1.9", "ru")
    TranslationStore(docs / settings.section("translate")["store_dir"]).save(
        article, english, text_hash(*source_text(article)))
    monkeypatch.chdir(docs.parent)
    record = inspect_file(Path("site_src/articles/2015/11/lavrov.md"), settings)
    assert record["translation"] == {"model": "translate-ru_en", "model_version": "1.9", "edited": False,
                                     "stale": False}
    assert record["summary"]["from"] == "translation"
    assert any(m["text"] == "Sergei Lavrov" and m["field"] == "translation" for m in record["mentions"])
