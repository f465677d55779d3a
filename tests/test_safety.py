"""Safety (issue 2, point 5): no XSS payload is live anywhere in the built site.

A corpus of real payloads (tests/data/xss/payloads.txt, families named with their source) goes
into every untrusted place of an article: the file name (the slug), title, source, summary, tags,
the text (as a paragraph and inline), and hostile-but-http `url`s (tests/data/xss/urls.txt).
Non-http urls and bad language codes must stop the build instead (path:line, no site).

The real `mkdocs build` builds the payload site once per module, next to a clean baseline site
(same theme, benign articles using every feature). Then:
  * statically, every HTML page and Material's search/search_index.json (its results show text
    with innerHTML) are parsed with html5lib, which parses like a browser: no on* attribute, no
    javascript:/vbscript:/data: URL, no active element (script, iframe, object, embed, base, form,
    meta, img, svg, ...) unlike the baseline's, every <script> and <style> one of the baseline's;
    the XML files (feeds, sitemap) carry no script URL or live html content; template and
    snippet markers were never evaluated or included, in pages or in either search index;
  * dynamically, in Chromium driven by Playwright, every page is loaded (as frames of one
    harness page, 16 at a time), payload text is typed into the search box and a result opened;
    alert/confirm/prompt/print are hooked in every frame and dialogs recorded: none may fire.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import html5lib
import pytest
import yaml
from lxml import etree

from .conftest import Site

CORPUS = Path(__file__).parent / "data" / "xss"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 # Only the local server resolves: pages do not wait on Google Fonts offline,
                 # and nothing a payload names leaves the machine.
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

# Written beside the site's mkdocs.yml: a snippet include (`--8<-- "secret.txt"`) would copy it.
SECRET = "SNIPPET-CANARY-d41d8cd98f00b204"
# What evaluated template payloads would print, and what file/command payloads would read.
NEVER_IN_SITE = {
    "7006652": "{{ 1234*5678 }} was evaluated",
    "7777777": "{{7*'7'}} was evaluated",
    "111111122222223333333": "a {% for %} loop in article text was evaluated",
    "root:x:0:0": "/etc/passwd was included",
    "uid=": "a template payload ran `id`",
    SECRET: "pymdownx.snippets included secret.txt",
}

# Elements that run, load, submit or embed something. On payload pages each must be one the
# baseline has (same tag, same attribute names); every other element only has to pass the
# attribute rules, so benign template changes do not trip this test.
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "param", "base",
          "form", "input", "button", "textarea", "select", "option", "isindex", "keygen", "meta",
          "link", "style", "img", "image", "picture", "source", "track", "video", "audio", "bgsound",
          "svg", "math", "use", "animate", "set", "animatemotion", "animatetransform", "handler",
          "foreignobject", "details", "marquee", "template", "portal", "noscript", "xmp", "plaintext",
          "noembed", "noframes", "canvas", "area", "map", "dialog", "slot", "xss"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "srcdoc", "background", "poster",
                  "lowsrc", "dynsrc", "codebase", "cite", "ping", "longdesc", "manifest", "icon",
                  "to", "from", "values", "by"}
SAFE_DATA_URL = re.compile(r"data:image/(png|gif|jpe?g|webp)[;,]")
SCHEME_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
RELATIVE = re.compile(r"(?:\.\.?/)*\.\.?(?=[/\"])")


# --- the corpus ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Payload:
    family: str
    number: int
    text: str


def read_corpus(name: str) -> list[Payload]:
    """Payloads of a corpus file: `# family: NAME — source` opens a family, `esc:` lines are decoded."""
    payloads, family = [], None
    for line in (CORPUS / name).read_text(encoding="utf-8").split("\n"):
        if match := re.match(r"# family: (\S+)", line):
            family = match.group(1)
        elif line.strip() and not line.startswith("#"):
            assert family, f"{name}: payload before the first '# family:' line: {line!r}"
            text = _unescape(line[4:]) if line.startswith("esc:") else line
            payloads.append(Payload(family, len(payloads), text))
    return payloads


def _unescape(text: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\"}
    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[ntr0\\])",
                  lambda m: simple.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text)


def by_family(payloads: list[Payload], family: str) -> list[Payload]:
    return [p for p in payloads if p.family == family]


PAYLOADS = read_corpus("payloads.txt")
URLS = read_corpus("urls.txt")


# --- the sites -----------------------------------------------------------------------------

def write_article(site: Site, rel: str, fields: dict, body: str) -> Path:
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000)
    return site.write(rel, f"---\n{front}---\n\n{body}\n")


def file_name(text: str, limit: int = 120) -> str:
    """The payload as a file name: no '/' or control characters, at most `limit` bytes."""
    name = re.sub(r"[\x00-\x1f]", "", text.replace("/", "\u2044"))
    while len(name.encode()) > limit:
        name = name[:-1]
    return name


def article_fields(payload: Payload, number: int) -> dict:
    month, day = number % 12 + 1, number % 28 + 1
    published = f"2015-{month:02d}-{day:02d}" + (" 08:30" if number % 2 else "")
    return {"title": payload.text, "source": payload.text, "published": published,
            "language": "en", "summary": payload.text, "tags": [payload.text, "xss"],
            "story": payload.family}


def article_body(payload: Payload) -> str:
    # Words of its own keep each text apart from the others (near-duplicate check).
    own_words = " ".join(f"w{payload.number}n{k}" for k in range(12))
    return (f"Payload {payload.number} of the {payload.family} family: {own_words}.\n\n"
            f"{payload.text}\n\nInline: before {payload.text} after.")


BENIGN = [  # (title, source, published, text): shared names make entities and related coverage
    ("Syria talks resume in Vienna", "Reuters", "2015-11-14",
     "Foreign ministers met in Vienna on Saturday to resume talks on Syria. John Kerry and Sergei "
     "Lavrov said the United Nations would oversee a ceasefire.\n\nThe talks in Vienna included Iran "
     "and Saudi Arabia.\n\n- a list\n- of items\n\n> quoted words\n\n3. three"),
    ("Vienna talks on Syria agree on ceasefire timetable", "TASS", "2015-11-15 08:30",
     "Sergei Lavrov said in Vienna that the talks on Syria agreed a timetable for a ceasefire. "
     "John Kerry welcomed it.\n\nThe United Nations will oversee the process, Lavrov said."),
    ("Kerry and Lavrov meet in Moscow on Syria", "BBC", "2015-12-15 22:54",
     "John Kerry met Sergei Lavrov in Moscow to discuss Syria and the Vienna talks. The United "
     "Nations Security Council will vote on a resolution."),
]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Site:
    """The same site with benign articles using every feature: what the theme itself puts on pages."""
    site = Site(tmp_path_factory.mktemp("baseline"))
    for number, (title, source, published, body) in enumerate(BENIGN):
        fields = article_fields(Payload("benign", number, title), number)
        fields.update(source=source, published=published, url=f"https://example.com/news/{number}",
                      summary=f"Summary of {title}.", tags=["syria", "diplomacy"], story="syria-talks")
        write_article(site, f"2015/{number}.md", fields, body)
    site.build()
    return site


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Site:
    site = Site(tmp_path_factory.mktemp("xss"))
    (site.root / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    accepted = by_family(URLS, "accepted")
    for payload in PAYLOADS:
        fields = article_fields(payload, payload.number)
        if payload.number < len(accepted):
            fields["url"] = accepted[payload.number].text
        folder = payload.family
        if payload.family == "breakouts":  # payloads in folder names too
            folder += "/" + file_name('"><img src=x onerror=alert(1)>')
        write_article(site, f"{folder}/{payload.number:03d} {file_name(payload.text)}.md",
                      fields, article_body(payload))
    site.build()
    return site


def html_pages(site: Site) -> list[Path]:
    return sorted(site.site.rglob("*.html"))


# --- static checks -------------------------------------------------------------------------

def parse(text: str):
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def parse_fragment(text: str):
    return html5lib.parseFragment(text, treebuilder="etree", namespaceHTMLElements=False)


def local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def elements(root):
    return (el for el in root.iter() if isinstance(el.tag, str))


def signature(el) -> tuple[str, tuple[str, ...]]:
    return local(el.tag), tuple(sorted({local(name) for name in el.attrib}))


CODE = {"script", "style"}  # elements whose content runs: compared with the baseline's


def code_signature(el) -> str:
    """A <script> or <style> by its src or its text, paths relative to the page removed."""
    src = el.get("src")
    text = src if src is not None else " ".join((el.text or "").split())
    return f"{local(el.tag)} " + ("src=" if src is not None else "inline=") + RELATIVE.sub("", text)


def dangerous_url(value: str) -> bool:
    # Browsers drop leading C0/space and inner tab/newline before reading the scheme;
    # dropping every such character (and zero-width ones) is stricter still.
    url = SCHEME_NOISE.sub("", value).lower()
    if url.startswith("data:"):
        return not SAFE_DATA_URL.match(url)
    return url.startswith(("javascript:", "vbscript:", "livescript:", "mocha:"))


def live_markup(root, allowed: set, code: set) -> list[str]:
    """What in a parsed page (or fragment) could run: one line per finding."""
    found = []
    for el in elements(root):
        tag = local(el.tag)
        for name, value in el.attrib.items():
            attr = local(name)
            if attr.startswith("on"):
                found.append(f"<{tag} {attr}={value!r}>: event-handler attribute")
            if attr in URL_ATTRIBUTES and any(dangerous_url(v) for v in value.split(";")):
                found.append(f"<{tag} {attr}={value!r}>: script URL")
            if attr == "srcdoc":
                found.append(f"<{tag} srcdoc={value!r}>: inline document")
            if attr == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.I):
                found.append(f"<{tag} style={value!r}>: script in style")
        if tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            found.append(f"<meta http-equiv=refresh content={el.get('content')!r}>")
        if tag in CODE and code_signature(el) not in code:
            found.append(f"<{tag}> not in the baseline: {code_signature(el)[:120]!r}")
        if tag in ACTIVE and signature(el) not in allowed:
            found.append(f"<{tag} {' '.join(signature(el)[1])}>: element the baseline does not have")
    return found


@dataclass
class Vocabulary:
    """Signatures of the active elements, and the scripts, of the clean baseline build."""

    pages: set
    index: set
    code: set  # code_signature() of each <script> and <style>


@pytest.fixture(scope="module")
def vocabulary(baseline: Site) -> Vocabulary:
    pages, code = set(), set()
    for path in html_pages(baseline):
        root = parse(path.read_text(encoding="utf-8"))
        pages |= {signature(el) for el in elements(root) if local(el.tag) in ACTIVE}
        code |= {code_signature(el) for el in elements(root) if local(el.tag) in CODE}
    index = set()
    lunr = baseline.site / "search" / "search_index.json"
    for doc in search_docs(baseline) if lunr.exists() else []:
        for field in ("title", "text"):
            index |= {signature(el) for el in elements(parse_fragment(doc.get(field, "")))
                      if local(el.tag) in ACTIVE}
    return Vocabulary(pages, index, code)


def search_docs(site: Site) -> list[dict]:
    return json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_corpus_covers_the_families():
    families = defaultdict(int)
    for payload in PAYLOADS:
        families[payload.family] += 1
    assert set(families) == {"owasp", "portswigger", "url-schemes", "svg-mathml", "breakouts",
                             "template", "markdown", "entities", "unicode"}
    assert 80 <= len(PAYLOADS) <= 140
    assert len(by_family(URLS, "accepted")) >= 5 and len(by_family(URLS, "rejected")) >= 8


def test_baseline_itself_is_clean(baseline: Site, vocabulary: Vocabulary):
    # The rules must not flag the theme's own pages, or the payload checks mean nothing.
    for path in html_pages(baseline):
        found = live_markup(parse(path.read_text(encoding="utf-8")), vocabulary.pages, vocabulary.code)
        assert not found, f"{path}: {found}"
    assert any(c.startswith("script") for c in vocabulary.code), \
        "the baseline has no <script>: Material's pages did not build"


def test_rules_catch_live_markup(vocabulary: Vocabulary):
    # The checker must fail on the payloads themselves when they are not escaped.
    # Parsed as whole documents: a stray <body onload=...> adds its attributes to <body>.
    live = [p for p in PAYLOADS if live_markup(parse(p.text), vocabulary.pages, vocabulary.code)]
    markup = [p for p in PAYLOADS if "<" in p.text and p.family in ("owasp", "portswigger", "svg-mathml")]
    missed = [p.text for p in markup if p not in live]
    assert not missed, f"the static rules would not notice these payloads unescaped: {missed}"


def test_every_page_is_inert(payload_site: Site, vocabulary: Vocabulary):
    pages = html_pages(payload_site)
    assert len(pages) > len(PAYLOADS), "fewer pages than payload articles: the site is incomplete"
    problems = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(payload_site.site)
        problems += [f"{rel}: {found}" for found in live_markup(parse(text), vocabulary.pages, vocabulary.code)]
        problems += [f"{rel}: {why}" for marker, why in NEVER_IN_SITE.items() if marker in text]
        if not re.fullmatch(r"[a-z0-9/_.-]+", rel.as_posix()):
            problems.append(f"{rel}: page address is not plain ASCII")
    assert not problems, f"{len(problems)} live payload(s):\n" + "\n".join(problems[:40])


def test_search_indexes_are_inert(payload_site: Site, vocabulary: Vocabulary):
    """Material's lunr index holds HTML that its results show with innerHTML: no live markup.
    Pagefind's fragments hold plain text that digest-search.js escapes (the browser test
    below covers that). In both: nothing evaluated or included, and the payloads are there."""
    problems, indexed = [], []
    if (payload_site.site / "search" / "search_index.json").exists():
        for doc in search_docs(payload_site):
            for field in ("title", "text"):
                for found in live_markup(parse_fragment(doc.get(field, "")), vocabulary.index, set()):
                    problems.append(f"{doc['location']} {field}: {found}")
                indexed.append(doc.get(field, ""))
    for fragment in sorted(payload_site.site.glob("pagefind/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        indexed.append(json.dumps(json.loads(data), ensure_ascii=False))
    text = "\n".join(indexed)
    problems += [why for marker, why in NEVER_IN_SITE.items() if marker in text]
    assert not problems, f"{len(problems)} live payload(s) in the search index:\n" + "\n".join(problems[:40])
    assert "w0n0" in text and f"w{len(PAYLOADS) - 1}n0" in text, "the payload articles are not indexed"


def test_feeds_and_sitemaps_are_inert(payload_site: Site, vocabulary: Vocabulary):
    """Every XML file of the site: no script URL, no live markup in type="html" content."""
    problems = []
    for path in sorted(payload_site.site.rglob("*.xml")):
        rel = path.relative_to(payload_site.site)
        root = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False, no_network=True))
        for el in root.iter(etree.Element):
            for name, value in el.attrib.items():
                if local(name) in URL_ATTRIBUTES and dangerous_url(value):
                    problems.append(f"{rel}: <{local(el.tag)} {local(name)}={value!r}>: script URL")
            if el.get("type") in ("html", "xhtml"):
                content = (el.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in el)
                problems += [f"{rel}: <{local(el.tag)}>: {found}"
                             for found in live_markup(parse_fragment(content), vocabulary.index, set())]
        text = path.read_text(encoding="utf-8")
        problems += [f"{rel}: {why}" for marker, why in NEVER_IN_SITE.items() if marker in text]
    assert not problems, f"{len(problems)} live payload(s) in XML files:\n" + "\n".join(problems[:40])


def article_parts(path: Path) -> tuple[str, str]:
    """(headline, whole text) of the <article> on a generated article page."""
    root = parse(path.read_text(encoding="utf-8"))
    article = next(el for el in elements(root) if local(el.tag) == "article"
                   and "digest-article" in (el.get("class") or "").split())
    headline = next(el for el in elements(article) if local(el.tag) == "h1")
    return "".join(headline.itertext()), "".join(article.itertext())


def comparable(text: str) -> str:
    # html5lib turns NUL into U+FFFD; whitespace differs between source and page.
    return re.sub(r"[\s\x00\ufffd]", "", text)


def test_payloads_are_on_the_pages_as_text(payload_site: Site):
    """Inert because escaped, not because dropped: each headline and text shows the payload."""
    from digest.intake.articles import load_articles
    from digest.settings import load_settings

    articles, _ = load_articles(payload_site.docs, load_settings())
    assert len(articles) == len(PAYLOADS)
    missing_title, missing_text = [], []
    for article in articles:
        payload = PAYLOADS[int(article.path.name[:3])]
        page = payload_site.site / article.page_uri.removesuffix(".md") / "index.html"
        headline, text = article_parts(page)
        if comparable(headline) != comparable(payload.text):
            missing_title.append((payload.number, headline))
        if comparable(f"before {payload.text} after") not in comparable(text):
            missing_text.append(payload.number)
    assert not missing_title, f"headlines not shown as text: {missing_title}"
    assert not missing_text, f"texts not shown as text: {missing_text}"


# --- what must stop the build ---------------------------------------------------------------

def test_script_urls_and_bad_languages_stop_the_build(tmp_path: Path):
    site = Site(tmp_path)
    expected = []  # (path shown in messages, line)
    write_article(site, "2015/good.md", article_fields(Payload("benign", 0, "A good one"), 0),
                  "A plain article that is fine.")

    def bad(rel: str, key: str, value: str) -> None:
        fields = article_fields(Payload("benign", len(expected) + 1, f"Bad {len(expected)}"), len(expected) + 1)
        fields[key] = value
        path = write_article(site, rel, fields, f"Text {len(expected)} of an article with a bad {key}.")
        line = next(n for n, text in enumerate(path.read_text().split("\n"), 1) if text.startswith(f"{key}:"))
        expected.append((f"site_src/articles/{rel}", line))

    for number, url in enumerate(by_family(URLS, "rejected")):
        bad(f"2015/url-{number}.md", "url", url.text)
    for number, payload in enumerate(PAYLOADS[::25]):
        bad(f"2015/language-{number}.md", "language", payload.text)
    # `story` and a registry `slug` become page addresses: a '../' wrote outside the site.
    for number, story in enumerate(["../../story-escape", PAYLOADS[0].text, "Syria talks"]):
        bad(f"2015/story-{number}.md", "story", story)
    canary = tmp_path / "yaml-tag-ran"
    yaml_tag = site.write("2015/yaml-tag.md", f"""\
        ---
        title: !!python/object/apply:os.system ["touch {canary}"]
        source: Reuters
        published: 2015-12-14
        ---

        A YAML tag must not construct Python objects.
        """)
    expected.append(("site_src/articles/2015/yaml-tag.md", 2))

    built = site.build(check=False)
    checked = site.digest("check")
    assert built.returncode != 0 and checked.returncode == 1
    assert not site.site.exists(), "a site was written from articles that failed the checks"
    assert not canary.exists(), f"{yaml_tag}: the YAML tag ran a command"
    for output in (built.stderr, checked.stdout + checked.stderr):
        missing = [f"{path}:{line}" for path, line in expected
                   if not re.search(rf"^(ERROR\s+-\s+)?{re.escape(path)}:{line}: ", output, re.M)]
        assert not missing, f"no path:line message for {missing} in:\n{output}"
    assert not list(tmp_path.parent.glob("*-escape*")) and not list(tmp_path.glob("*-escape*"))


def test_entity_registry_slugs_stop_the_build(tmp_path: Path):
    site = Site(tmp_path)
    for number, (title, source, published, body) in enumerate(BENIGN):
        fields = article_fields(Payload("benign", number, title), number)
        fields.update(source=source, published=published)
        write_article(site, f"2015/{number}.md", fields, body)
    (site.docs / "entities.yml").write_text(
        "- name: Sergei Lavrov\n  type: person\n  slug: ../../registry-escape\n"
        "- name: John Kerry\n  type: person\n  slug: '\"><img src=x onerror=alert(1)>'\n", encoding="utf-8")
    built = site.build(check=False)
    checked = site.digest("check")
    assert built.returncode != 0 and checked.returncode == 1
    assert not site.site.exists(), "a site was written from a registry that failed the checks"
    assert not list(tmp_path.glob("*-escape*")) and not list(tmp_path.parent.glob("*-escape*"))
    for output in (built.stderr, checked.stdout + checked.stderr):
        for line in (3, 6):
            assert re.search(rf"entities\.yml:{line}: .*not a slug", output), \
                f"registry slug on line {line} accepted:\n{output}"


# --- in a real browser ---------------------------------------------------------------------

HOOKS = """
(() => {
  window.__xss = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const record = (...args) => {
      const call = `${name}(${args.map(String).join(", ")}) on ${location.href}`;
      window.__xss.push(call);
      try { window.__xss_report(call); } catch (e) {}
    };
    Object.defineProperty(window, name, {value: record, writable: false, configurable: false});
  }
})();
"""


@pytest.fixture(scope="module")
def server(payload_site: Site):
    handler = functools.partial(_QuietHandler, directory=str(payload_site.site))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a page left before its last file arrived: a broken pipe, nothing to report


FRAMES = 16  # pages loaded at once, as same-origin iframes of one harness page
HARNESS = "/__xss_harness__"  # served by the route below, not by the site
# Loads the batch, then reads each (same-origin) frame: hooks present, calls, title.
LOAD_FRAMES = """async (urls) => {
  document.body.replaceChildren();
  const frames = await Promise.all(urls.map(url => new Promise(loaded => {
    const frame = document.createElement("iframe");
    frame.onload = () => loaded(frame);
    frame.width = 1280; frame.height = 900; frame.src = url;
    document.body.append(frame);
  })));
  return frames.map(frame => {
    const w = frame.contentWindow;
    const unhooked = Array.isArray(w.__xss) ? [] : [`hooks not installed on ${frame.src}`];
    const title = w.document.title === "XSS" ? [`document.title='XSS' on ${frame.src}`] : [];
    return [...unhooked, ...(w.__xss || []), ...title];
  }).flat();
}"""


@dataclass
class Browser:
    """A Chromium tab with alert/confirm/prompt/print hooked (in every frame), and what fired."""

    page: object
    calls: list  # hooked calls, reported to Python as they happen
    dialogs: list  # dialogs that still opened

    def fired(self) -> list[str]:
        found = list(self.calls) + [f"dialog: {message}" for message in self.dialogs]
        for frame in self.page.frames:
            if frame.evaluate("document.title") == "XSS":
                found.append(f"document.title='XSS' on {frame.url}")
        return found

    def visit(self, server: str, paths: list[str]) -> list[str]:
        """Load every page, FRAMES at a time, each to its load event; what fired on them.

        One foreground tab: Chromium throttles background tabs. Frames rather than one
        navigation per page: a few hundred pages load in seconds, not a minute."""
        self.page.goto(f"{server}{HARNESS}", wait_until="load")
        fired = []
        for start in range(0, len(paths), FRAMES):
            fired += self.page.evaluate(LOAD_FRAMES, [f"{server}/{path}" for path in paths[start:start + FRAMES]])
        return fired + self.fired()


@pytest.fixture(scope="module")
def browser(server: str):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install it with `apt-get install -y chromium` (see README)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra: uv sync --extra test")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        hooked = Browser(page, [], [])
        page.route(f"{server}{HARNESS}", lambda route: route.fulfill(
            content_type="text/html", body="<!doctype html><title>harness</title><body></body>"))
        page.expose_function("__xss_report", lambda call: hooked.calls.append(call))
        page.add_init_script(HOOKS)
        page.on("dialog", lambda dialog: (hooked.dialogs.append(dialog.message), dialog.dismiss()))
        yield hooked
        chromium.close()


def test_no_payload_runs_in_the_browser(payload_site: Site, server: str, browser: Browser):
    pages = [path.relative_to(payload_site.site).as_posix().removesuffix("index.html")
             for path in html_pages(payload_site)]
    fired = browser.visit(server, pages)
    # And as real top-level visits: the home page, and an article with Material's
    # search.highlight marking the words of the `h` parameter.
    article = next(rel for rel in pages if rel.startswith("articles/"))
    for rel in ("", f"{article}?h=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%22%3E%3Cscript%3Ealert(1)%3C/script%3E"):
        browser.page.goto(f"{server}/{rel}", wait_until="load")
        assert browser.page.evaluate("Array.isArray(window.__xss)"), "the hooks were not installed"
        fired += browser.fired()
    assert not fired, f"payloads ran: {sorted(set(fired))}"


SEARCHES = ["alert", "script alert", "onerror", "javascript", "svg onload", "<img src=x onerror=alert(1)>",
            '"><script>alert(1)</script>', "{{ 1234*5678 }}"]
RESULTS_READY = """() => !/Initializing|Type to start/i.test(
    document.querySelector('.md-search-result__meta').textContent)"""


def test_no_payload_runs_in_search_results(server: str, browser: Browser):
    page, shown = browser.page, 0
    page.goto(f"{server}/", wait_until="load")
    search = page.locator("input.md-search__input")
    for query in SEARCHES:
        search.click()
        search.fill("")  # back to "Type to start searching", so the wait below sees new results
        search.press("End")
        search.fill(query)
        search.press("End")
        page.wait_for_function(RESULTS_READY, timeout=10_000)
        for _ in range(3):  # Material renders more results as the list scrolls
            page.mouse.wheel(0, 3000)
            page.wait_for_timeout(50)
        shown += page.locator(".md-search-result__item").count()
        assert not browser.fired(), f"search for {query!r} ran a payload: {browser.fired()}"
    assert shown > 0, "search showed no results at all: the check above saw nothing"
    search.fill("alert")
    search.press("End")
    # The results of "alert" (not the last query's, still shown while it is searched): their
    # links carry ?h=alert; the first opens its page.
    page.locator('.md-search-result__item a[href*="h=alert"]').first.click()
    page.wait_for_load_state("load")
    assert "h=alert" in page.url
    assert not browser.fired(), f"payloads ran: {browser.fired()}"
