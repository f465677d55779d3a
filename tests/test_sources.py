"""The sources registry (digest/intake/sources.py): validation with `path:line`, how `digest add`
uses it (site names, headline suffixes, one name per publication) and the source pages."""

from __future__ import annotations

import pytest

from digest.errors import DigestError
from digest.intake.importer import infer
from digest.intake.sources import load_sources


@pytest.mark.parametrize("text, line, message", [
    ("- name: X\n  kind: [tabloid]\n", 2, "kind 'tabloid' is not one of wire, newspaper"),
    ("- name: X\n  country: Russia\n", 2, "country 'Russia' is not an ISO 3166-1 code"),
    ("- name: X\n  language: russian\n", 2, "language 'russian' is not an ISO 639-1 code"),
    ("- name: X\n  domains: [http://x.com/]\n", 2, "'http://x.com/' is not a domain name"),
    ("- name: X\n  colour: red\n", 2, "unknown key 'colour'"),
    ("- name: X\n- name: Y\n  aliases: [x]\n", 2, "'x' also names the source on line 1"),
    ("name: X\n", 1, "the sources registry must be a list"),
    ("- aliases: [X]\n", 1, "a source without a `name`"),
])
def test_a_bad_registry_entry_is_a_problem_at_its_line(tmp_path, text, line, message):
    path = tmp_path / "sources.yml"
    path.write_text(text)
    with pytest.raises(DigestError) as error:
        load_sources(path)
    assert f"{path}:{line}: {message}" in str(error.value)


def test_a_site_entry_replaces_the_packaged_one_it_names(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text("- name: Xinhua News Agency\n  aliases: [新华社]\n  country: CN\n")
    registry = load_sources(path)
    assert registry.canonical("新华社") == registry.canonical("Xinhua News Agency") == "Xinhua News Agency"
    assert registry.named("新华网") is None  # the packaged entry is gone with all its names
    assert load_sources().canonical("新华网") == "Xinhua"


@pytest.mark.parametrize("raw, title, source", [
    # A short headline is a headline: only a name the registry knows is a site name.
    ("Putin meets Obama\n\nMOSCOW, December 14. The two presidents met.\n", "Putin meets Obama", None),
    ("Military Review\n\nWashington: Joint efforts are needed\n\nText.\n", "Washington: Joint efforts are needed",
     "Military Review"),
    # A known site after the headline is cut from the title and names the source.
    ("研究成果让人脑洞大开-新华网\n\n用空气来洗手。\n", "研究成果让人脑洞大开", "Xinhua"),
    ("Stocks fall as oil rises | BBC News\n\nShares fell.\n", "Stocks fall as oil rises", "BBC"),
    ("Лавров прибыл в Рим — РИА Новости\n\nТекст новости.\n", "Лавров прибыл в Рим", "RIA Novosti"),
    # An unknown one stays in the title: nothing is cut on a guess.
    ("Trade talks resume - Some Blog\n\nText.\n", "Trade talks resume - Some Blog", None),
    ("新华社北京12月11日电 标题\n\n新华社北京12月11日电 正文。\n", "新华社北京12月11日电 标题", "Xinhua"),
])
def test_add_reads_site_names_and_suffixes_from_the_registry(raw, title, source):
    result = infer(raw)
    assert (result.title, result.source) == (title, source)
    first_body_line = raw.split("\n\n")[2 if source and raw.startswith(("Military",)) else 1]
    assert result.body.startswith(first_body_line.strip())  # no line of the text is lost


def test_aliases_publish_under_one_source_page_with_its_profile(site):
    site.article("2015/12/a.md", title="China and Russia sign a gas deal", source="新华社",
                 body="BEIJING, Dec. 1. China and Russia signed a gas deal on Tuesday.")
    site.article("2015/12/b.md", title="Xinhua reports a new railway line", source="Xinhua",
                 body="A new railway line opened between two northern cities on Monday.")
    site.article("2015/12/c.md", title="Markets rally on the news", source="Reuter",
                 body="Markets rallied on Wednesday after the central bank held its rate.")
    for name in ("d", "e"):  # one warning a source, however many articles it has
        site.article(f"2015/12/{name}.md", title=f"Local council votes {name}", source="Gazeta Local",
                     body=f"The council voted on the budget {name} on Thursday after a long debate.")
    check = site.digest("check")
    assert ("warning: site_src/articles/2015/12/c.md:3: source 'Reuter' is not in the sources registry — "
            "did you mean 'Reuters'? else add it to site_src/sources.yml") in check.stdout
    assert ("warning: site_src/articles/2015/12/d.md:3: source 'Gazeta Local' is not in the sources registry "
            "(2 articles, the first here)") in check.stdout and "e.md:3: source" not in check.stdout
    assert "a.md:3: source" not in check.stdout and "b.md:3: source" not in check.stdout
    site.build()
    assert not (site.site / "sources/xin-hua-she").exists()
    page = site.page("sources/xinhua/index.html")
    assert "2 articles" in page and "China" in page and "wire, state-owned" in page and "新华社" in page
    assert "Xinhua" in site.page("articles/2015/12/a/index.html")
