"""A sitemap over the protocol's limit becomes an index of parts, each within it."""

from __future__ import annotations

import gzip

from lxml import etree

from digest.site.sitemaps import NS, split_sitemap

SITE_URL = "https://news.example/"


def sitemap(urls: int) -> bytes:
    entries = "".join(f"<url><loc>{SITE_URL}articles/a{i}/</loc><lastmod>2026-01-01</lastmod></url>"
                      for i in range(urls))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">{entries}</urlset>'.encode()


def locations(path) -> list[str]:
    return etree.parse(str(path)).getroot().xpath("//s:loc/text()", namespaces={"s": NS})


def test_a_sitemap_within_the_limit_is_left_as_mkdocs_wrote_it(tmp_path):
    (tmp_path / "sitemap.xml").write_bytes(sitemap(5))
    assert split_sitemap(tmp_path, SITE_URL, max_urls=5) == 0
    assert (tmp_path / "sitemap.xml").read_bytes() == sitemap(5)
    assert not list(tmp_path.glob("sitemap-*.xml"))


def test_a_sitemap_over_the_limit_is_split_under_an_index_with_every_url_once(tmp_path):
    (tmp_path / "sitemap.xml").write_bytes(sitemap(12))
    assert split_sitemap(tmp_path, SITE_URL, max_urls=5) == 3
    index = etree.parse(str(tmp_path / "sitemap.xml")).getroot()
    assert index.tag == f"{{{NS}}}sitemapindex"
    assert locations(tmp_path / "sitemap.xml") == [f"{SITE_URL}sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [locations(tmp_path / f"sitemap-{n}.xml") for n in (1, 2, 3)]
    assert [len(part) for part in parts] == [5, 5, 2]
    assert sum(parts, []) == [f"{SITE_URL}articles/a{i}/" for i in range(12)]
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == (tmp_path / "sitemap.xml").read_bytes()
    lastmod = etree.parse(str(tmp_path / "sitemap-1.xml")).getroot().xpath("//s:lastmod/text()", namespaces={"s": NS})
    assert lastmod == ["2026-01-01"] * 5
