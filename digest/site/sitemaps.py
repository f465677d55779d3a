"""A sitemap that search engines accept however large the digest grows.

The sitemap protocol (sitemaps.org) takes at most 50,000 URLs and 50 MB in one file; a
digest of 100,000 articles has some 250,000 pages. MkDocs writes one sitemap.xml (and its
.gz) of every page; when it is over the limits, split_sitemap() cuts it into
sitemap-1.xml, sitemap-2.xml … and makes sitemap.xml their index, which is what crawlers
and robots.txt already point at. lxml (feedgen's dependency) reads and writes the XML.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from ..atomic import write_atomic

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1000 * 1000  # the protocol's 50 MB, with room for the XML around the URLs


def split_sitemap(site: Path, site_url: str | None, max_urls: int = MAX_URLS) -> int:
    """Split site/sitemap.xml into parts of at most `max_urls` URLs under an index, when it
    is over the protocol's limits; return the number of parts written (0: left as it is)."""
    from lxml import etree

    path = Path(site) / "sitemap.xml"
    if not path.is_file():
        return 0
    size = path.stat().st_size
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    urls = root.findall(f"{{{NS}}}url")
    if len(urls) <= max_urls and size <= MAX_BYTES:
        return 0
    per_part = min(max_urls, max(1, len(urls) * MAX_BYTES // (2 * size)))
    index = etree.Element(f"{{{NS}}}sitemapindex", nsmap={None: NS})
    parts = [urls[start:start + per_part] for start in range(0, len(urls), per_part)]
    for number, part in enumerate(parts, 1):
        urlset = etree.Element(f"{{{NS}}}urlset", nsmap={None: NS})
        urlset.extend(part)
        name = f"sitemap-{number}.xml"
        write_atomic(Path(site) / name, etree.tostring(urlset, xml_declaration=True, encoding="UTF-8"), fsync=False)
        entry = etree.SubElement(index, f"{{{NS}}}sitemap")
        # The protocol wants absolute locations; without a site_url MkDocs' own sitemap has
        # no usable URLs either, and a relative one is the best there is.
        etree.SubElement(entry, f"{{{NS}}}loc").text = f"{site_url}{name}" if site_url else name
    xml = etree.tostring(index, xml_declaration=True, encoding="UTF-8")
    write_atomic(path, xml, fsync=False)
    write_atomic(path.with_name("sitemap.xml.gz"), gzip.compress(xml, mtime=0), fsync=False)  # as MkDocs writes it
    return len(parts)
