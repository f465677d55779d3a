"""translate() with the real zh->en Argos package on real Chinese news (WMT22 zh-en)."""

from __future__ import annotations

import json
import logging
import shutil


from digest.translation import models
from digest.model import Article
from digest.settings import load_settings
from digest.translation.store import TranslationStore
from digest.translation.translate import (missing_model_notice, provenance, source_text, translate,
                              untranslated_problems)

# Fixtures are used by name: pytest finds them through this import.
from .zh_model import PACKAGE, SOURCE, make_article, models_dir, needs_shared, no_models_env, zh  # noqa: F401

pytestmark = needs_shared


def shaped_article(zh: list[str]) -> Article:
    return make_article("shaped", zh[19], [
        zh[20] + zh[21],
        "> " + zh[22] + "\n> " + zh[23],
        "- " + zh[24] + "\n- " + zh[25],
        "1. " + zh[26],
    ])


def test_paragraphs_quotes_and_list_items_are_kept(models_dir, tmp_path, zh):
    article = shaped_article(zh)
    translate([article], load_settings(), TranslationStore(tmp_path), models_dir)
    english = article.translation
    assert len(english.paragraphs) == len(article.paragraphs) == 4
    assert english.paragraphs[1].startswith("> ") and "\n" not in english.paragraphs[1]
    assert [line[:2] for line in english.paragraphs[2].split("\n")] == ["- ", "- "]
    assert english.paragraphs[3].startswith("1. ")
    everything = english.title + "".join(english.paragraphs)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in everything), everything
    assert " the " in everything
    assert (english.model, english.model_version, english.source_language) == \
        ("translate-zh_en", "1.9", "zh")
    assert provenance(english) == \
        "Machine-translated from Chinese with Argos Translate (translate-zh_en 1.9)"


def test_output_is_deterministic(models_dir, tmp_path, zh):
    first = [make_article("a", zh[0], zh[1:4]), shaped_article(zh)]
    second = [make_article("a", zh[0], zh[1:4]), shaped_article(zh)]
    translate(first, load_settings(), TranslationStore(tmp_path / "one"), models_dir)
    translate(second, load_settings(), TranslationStore(tmp_path / "two"), models_dir)
    assert [a.translation for a in first] == [a.translation for a in second]


def test_progress_counts_articles_and_sentences(models_dir, tmp_path, zh):
    seen = []
    articles = [make_article("a", zh[0], zh[1:3]), make_article("b", zh[3], zh[4:6])]
    translate(articles, load_settings(), TranslationStore(tmp_path), models_dir, progress=seen.append)
    last = seen[-1]
    assert (last.articles_done, last.articles_total) == (2, 2)
    assert last.sentences_done == last.sentences_total >= 6


def test_no_model_leaves_the_original_and_says_how_to_install(models_dir, tmp_path, caplog):
    russian = make_article("ru", "Привет, мир", ["Первый абзац. Второе предложение."], "ru")
    english = make_article("en", "Hello", ["Text."], "en")
    unknown = make_article("und", "???", ["..."], "und")
    with caplog.at_level(logging.WARNING):
        translate([russian, english, unknown], load_settings(), TranslationStore(tmp_path), models_dir)
    assert russian.translation is english.translation is unknown.translation is None
    assert missing_model_notice("ru") == ("Russian → English", "digest models install ru")
    assert "digest models install ru" in caplog.text
    assert [p.path for p in untranslated_problems([russian, english, unknown])] == [str(russian.path)]
    assert not list(tmp_path.rglob("*.md"))


def test_any_xx_en_package_is_used_by_its_pair(models_dir, tmp_path, zh):
    # No ru->en package exists here: relabel the zh->en one as ru->en to run the Russian
    # path (package lookup by pair, Russian sentence rules) end to end.
    root = tmp_path / "models"
    shutil.copytree(models.find_model(models_dir, "zh").path, root / "translate-ru_en-1_9")
    meta_path = root / "translate-ru_en-1_9" / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "from_code": "ru", "from_name": "Russian"}))
    article = make_article("ru", zh[0], [zh[1] + zh[2], zh[3]], "ru")
    translate([article], load_settings(), TranslationStore(tmp_path / "store"), root)
    assert article.translation.model == "translate-ru_en"
    assert len(article.translation.paragraphs) == 2
    assert provenance(article.translation).startswith("Machine-translated from Russian")


def test_source_text_falls_back_to_body_paragraphs():
    article = make_article("x", " Title ", [])
    article.body = "one\n\n\ntwo\nlines\n\n"
    assert source_text(article) == ("Title", ["one", "two\nlines"])


def test_a_registered_name_comes_out_under_its_english_form(models_dir, tmp_path, zh):
    """The model writes 浙江大学 as "the University of Zhejiang"; the registry says "Zhejiang
    University": that sentence is translated again with the name given in English. Sentences
    that keep their names are not touched, and without the registry nothing changes."""
    from digest.annotate.entity_registry import RegistryEntry

    sentence = next(line for line in zh if line.startswith("用空气来洗手"))
    other = next(line for line in zh if line.startswith("这种智能手术灯已经在浙江大学医学院附属"))
    article = make_article("zju", "学术年会", [sentence, other])
    plain = make_article("zju", "学术年会", [sentence, other])
    registry = [RegistryEntry("zhejiang-university", "Zhejiang University", "organisation",
                              ("浙江大学", "Zhejiang Univ."))]
    translate([plain], load_settings(), TranslationStore(tmp_path / "plain"), models_dir)
    translate([article], load_settings(), TranslationStore(tmp_path / "names"), models_dir, registry=registry)
    assert "University of Zhejiang" in plain.translation.paragraphs[0]
    assert "Zhejiang University" in article.translation.paragraphs[0]
    assert article.translation.paragraphs[1] == plain.translation.paragraphs[1]  # kept its name: as it was
    assert "Zhejiang University" in article.translation.paragraphs[1]


def test_name_guard_reads_inflected_russian_and_keeps_latin_aliases():
    """No ru->en model here: the guard alone. Лаврова (genitive) names the registry's Sergey
    Lavrov; "Lavrov" is one of its Latin forms, "Lavrova" is not."""
    from digest.annotate.entity_registry import RegistryEntry
    from digest.translation.translate import NameGuard

    guard = NameGuard([RegistryEntry("sergey-lavrov", "Sergey Lavrov", "person",
                                     ("Sergei Lavrov", "Lavrov", "Сергей Лавров", "Лавров"))], "ru")
    sentence = "Позиция Лаврова не изменилась."
    assert [(s, e) for s, e, _ in guard.names(sentence)] == [(8, 15)]
    assert guard.lost(sentence, "Lavrova's position has not changed.")
    assert not guard.lost(sentence, "Lavrov's position has not changed.")
    assert guard.protect(sentence) == "Позиция Sergey Lavrov не изменилась."


def test_device_auto_is_the_cpu_here_with_the_same_output(models_dir, tmp_path, zh):
    """No GPU on this machine: auto runs on the CPU, exactly as cpu does; cuda is refused
    with what to pass instead."""
    import pytest

    from digest.errors import DigestError
    from digest.translation.translate import resolve_device

    assert resolve_device("auto") == ("cpu", "auto") == resolve_device("cpu")
    with pytest.raises(DigestError, match="cuda: CTranslate2 sees no GPU on this machine — use --device auto"):
        resolve_device("cuda")
    with pytest.raises(DigestError, match="'gpu' is not one of auto, cpu, cuda"):
        resolve_device("gpu")
    outputs = []
    for device in ("auto", "cpu"):
        article = make_article("a", zh[3], zh[4:7])
        translate([article], load_settings().overridden("translate", device=device),
                  TranslationStore(tmp_path / device), models_dir)
        outputs.append(article.translation.paragraphs)
    assert outputs[0] == outputs[1]


def test_apostrophes_come_out_as_english_writes_them(models_dir, tmp_path):
    """The zh->en package writes "Ministry ' s" (its training English was tokenised): the
    stored English joins the apostrophe back; a quotation mark between spaces stays."""
    from digest.translation.decoding import joined_apostrophes

    article = make_article("apostrophe", "余姚市人民法院", ["为此，陆先生将林某起诉至余姚市人民法院。"])  # WMT22 zh
    translate([article], load_settings(), TranslationStore(tmp_path), models_dir)
    english = article.translation.title + " " + " ".join(article.translation.paragraphs)
    assert "'s" in english and " ' " not in english, english
    assert joined_apostrophes("the farmers ' interests in coup d ' état, don ' t") == \
        "the farmers' interests in coup d'état, don't"
    assert joined_apostrophes("the so-called ' reform ' plan") == "the so-called ' reform ' plan"


def test_a_sentence_the_model_loops_on_is_decoded_again(models_dir, tmp_path):
    """The zh->en package loops on some names ("Zhou Zhou Zhi Zhi Zhi Zi Zi Zi ..." for 周其仁,
    from a Chinese web page; "Zhu Zhu Zhu Zhu" for 朱棣): such a sentence is decoded again with
    a repeat penalised; a repeat the source holds stays."""
    from digest.translation.decoding import repeats_itself

    article = make_article("loop", "周其仁", ["周其仁把话讲得既了然又含蓄。", "朱棣迁都北京后，在东华门开辟了两华里长的灯市。"])
    translate([article], load_settings(), TranslationStore(tmp_path), models_dir)
    for source, english in zip(article.paragraphs, article.translation.paragraphs):
        assert not repeats_itself(english, source), english
    assert repeats_itself("Zhu Zhu Zhu Zhu has opened a light market", "朱棣迁都北京后")
    assert not repeats_itself("Ha ha ha ha!", "哈哈哈哈！")
