"""Search records (digest/site/search_records.py): names in every script, bigrams of unsegmented text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digest.model import Article, Entity, Story
from digest.site.search_records import article_record, bigrams, names, page_record


def test_bigrams_cut_each_unsegmented_run_and_leave_other_words():
    assert bigrams("奥密克戎 variant 病") == "奥密 密克 克戎 病"
    assert bigrams("WHO：新冠病毒") == "新冠 冠病 病毒"
    assert bigrams("ภาษาไทย") == "ภา าษ ษา าไ ไท ทย"
    assert bigrams("Lavrov, Лавров") == ""


def test_names_keep_every_alias_once_in_order():
    lavrov = Entity("sergey-lavrov", "Sergey Lavrov", "person", aliases=["Lavrov", "Лавров", "Sergey Lavrov"])
    un = Entity("united-nations", "United Nations", "organisation", aliases=["ООН", "Lavrov"])
    assert names([lavrov, un]) == ["Sergey Lavrov", "Lavrov", "Лавров", "United Nations", "ООН"]


def test_article_record_has_its_filters_date_names_and_bigrams():
    article = Article(path=Path("a.md"), rel_path="a.md", slug="a", title="新冠病毒", source="Xinhua",
                      published=dt.datetime(2021, 11, 29, 8, 0), has_time=True, body="奥密克戎", body_line=5,
                      language="zh", paragraphs=["奥密克戎"])
    story = Story("s", "Omicron spreads", ["a"])
    entity = Entity("who", "World Health Organization", "organisation", aliases=["世卫组织"])
    record = article_record(article, story, [entity])
    assert record["filters"] == {"type": "Article", "source": "Xinhua", "language": "Chinese",
                                 "month": "2021-11", "story": "Omicron spreads"}
    assert record["date"] == "2021-11-29"
    assert record["names"] == ["World Health Organization", "世卫组织"]
    assert record["bigrams"] == "新冠 冠病 病毒 奥密 密克 克戎"
    assert article_record(article, None, [])["filters"]["story"] is None


def test_page_record_is_found_by_its_entities_names():
    entity = Entity("kerry", "John Kerry", "person", aliases=["Kerry", "Джон Керри"])
    record = page_record("Person", "John Kerry", "Person · 4 articles", "A person.", [entity])
    assert record["filters"] == {"type": "Person", "month": None}
    assert record["names"] == ["John Kerry", "Kerry", "Джон Керри"]
    assert record["date"] is None
