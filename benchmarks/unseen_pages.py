"""The digest on saved news pages it was not tuned on, end to end. Prints figures.

    uv run python benchmarks/unseen_pages.py [--limit N] [--chinese] [--news]

Imports the Telegram contest's 488 pages (one hour of 2020's news, ~20 languages) and the
article-extraction benchmark's 181 pages (English news and blogs, 2010-2019) with `digest add`
into an empty digest each (as an editor would: a folder at a time, no flags), then links them as
the build does (`digest links`: stories, entities, related coverage, storylines; no translation
model is installed, so every non-English article stays in its language) and prints what a reader
would see go wrong, none of which has a gold standard:
  * languages detected;
  * stories mixing languages (one headline each, to judge), storylines and the days they span;
  * entities typed person that are one word the digest also writes in lower case ("Los", "Se");
  * entities named in two scripts, with their forms (a consonant skeleton joins them);
  * related pairs across languages that share no entity (a shared figure or spelling alone).
`--chinese` also imports the Chinese web-content set's 69 pages (2004-2022 portals, forums and
government sites; a page naming no publication anywhere is added again with --source, as an
editor would), installs ../shared/models' zh->en package, translates them (~8 min here) and
reports the same, plus what a reader of the English would see go wrong: people known by
several full names (to judge: Sergei/Sergey Lavrov is one, Liu Xin/Lu Xian two), sentences
where the translation loops on a word, and apostrophes written between spaces.
`--news` also links the 498 CNN, Daily Mail and BBC reports of ../shared/data/summarization/
frank-cnndm-xsum (text, no page: cleaned, summarised and linked in this process as the build
does, ~3 min) and prints, to judge by eye, the people a reader may find wrong (one word no
full name holds, or the same one word in several reports: "Swansea", "Michael"), the acronyms
joined to a name ("BBC" = "Benavista Bowls Club" was wrong), and summaries that open with a
page widget or an outlet's tag ("Share this with...", "(CNN)").
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "extraction"
DIGEST = Path(sys.executable).parent / "digest"
MODEL = REPO.parent / "shared" / "models" / "translate-zh_en-1_9.argosmodel"


def import_pages(pages: list[Path], root: Path) -> tuple[Path, str]:
    """An empty digest at `root` holding `pages`, imported by `digest add`: its docs dir and
    what `digest add` reported."""
    folder = root / "pages"
    folder.mkdir(parents=True)
    for page in pages:
        target = folder / page.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes())
    docs = root / "site_src"
    docs.mkdir()
    shutil.copy(REPO / "site_src" / "about.md", docs / "about.md")
    done = subprocess.run([str(DIGEST), "add", "--docs-dir", str(docs), str(folder)], capture_output=True, text=True)
    return docs, done.stderr


def import_and_translate(pages: list[Path], root: Path) -> Path:
    """import_pages, then each page that names no publication added again with --source,
    then `digest translate` with the zh->en package from ../shared/models."""
    docs, reported = import_pages(pages, root)
    unnamed = re.findall(r"^(?:\[\d+/\d+\] )?(\S+\.html):1: the page does not name its publication",
                         reported, re.M)
    for page in unnamed:
        subprocess.run([str(DIGEST), "add", "--docs-dir", str(docs), "--source", "(not named)", page],
                       capture_output=True, text=True)
    models = root / "models"
    subprocess.run([str(DIGEST), "models", "install-file", "--models-dir", str(models), str(MODEL)],
                   capture_output=True, text=True, check=True)
    subprocess.run([str(DIGEST), "translate", "--docs-dir", str(docs), "--models-dir", str(models)],
                   capture_output=True, text=True)
    return docs


def report_english(docs: Path, links: dict) -> None:
    """What a reader of the translations would see go wrong (--chinese)."""
    several = [e for e in links["entities"] if e["type"] == "person"
               and len({m["text"] for m in e["mentions"] if " " in m["text"]}) > 1]
    print(f"  people known by several full names (to judge): {len(several)}")
    for entity in several[:10]:
        print("    " + ", ".join(sorted({m["text"] for m in entity["mentions"] if " " in m["text"]})[:5]))
    english = [p.read_text(encoding="utf-8") for p in sorted((docs / "translations").rglob("*.md"))]
    loops = sum(len(re.findall(r"\b(\w+)(?:\W+\1\b){3,}", text, re.IGNORECASE)) for text in english)
    apostrophes = sum(text.count(" ' ") for text in english)
    print(f"  translations {len(english)}: a word looping four times or more {loops}, "
          f"apostrophes between spaces {apostrophes}")


def report(name: str, docs: Path) -> None:
    articles = sorted(docs.glob("articles/*/*/*.md"))
    meta = {}
    for path in articles:
        text = path.read_text(encoding="utf-8")
        language = re.search(r"^language: (.*)$", text, re.M)
        title = re.search(r"^title: (.*)$", text, re.M)
        meta[path.stem] = (language.group(1) if language else "und", title.group(1).strip("'\"") if title else "")
    out = subprocess.run([str(DIGEST), "links", "--json", "--docs-dir", str(docs)], capture_output=True, text=True)
    links = json.loads(out.stdout)
    print(f"{name}: {len(articles)} articles imported; languages: "
          + ", ".join(f"{code} {n}" for code, n in Counter(m[0] for m in meta.values()).most_common()))

    mixed = [s for s in links["stories"] if len({a["language"] for a in s["articles"]}) > 1]
    print(f"  stories {len(links['stories'])}, mixing languages {len(mixed)}")
    for story in mixed:
        print("    " + " | ".join(f"{a['language']}: {a['title'][:45]}" for a in story["articles"][:3]))
    spans = Counter(s["first_published"][:10] == s["last_published"][:10] for s in links["storylines"])
    print(f"  storylines {len(links['storylines'])}, of them within one day {spans[True]}")

    lower = Counter()
    for path in articles:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        lower.update(word for word in re.findall(r"\w+", body) if word.islower())
    people = [e for e in links["entities"] if e["type"] == "person"]
    common = [e["name"] for e in people if " " not in e["name"] and lower[e["name"].lower()] >= 3]
    print(f"  entities {len(links['entities'])} ({len(people)} people); one-word people the text also writes "
          f"in lower case: {len(common)} {common[:8]}")
    scripts = [e for e in links["entities"] if len({_latin(m["text"]) for m in e["mentions"]}) > 1]
    print(f"  entities named in two scripts (to judge: Turcia/Турции is one place, Bankia/Бабенко no one): "
          f"{len(scripts)}")
    for entity in scripts:
        forms = Counter(m["text"] for m in entity["mentions"])
        print(f"    {entity['type']}: " + ", ".join(form for form, _ in forms.most_common(4)))

    across = [r for r in links["related"] if meta[r["article"]][0] != meta[r["related"]][0]]
    bare = [r for r in across if not r["shared_entities"]]
    print(f"  related pairs {len(links['related'])}; across languages {len(across)}, "
          f"{len(bare)} of them sharing no entity")
    if (docs / "translations").is_dir():
        report_english(docs, links)


def report_news_texts(limit: int | None) -> None:
    sys.path.insert(0, str(REPO))
    from digest.annotate.link import link
    from digest.annotate.summarize import summarize
    from digest.intake.clean import clean
    from digest.model import Article
    from digest.settings import load_settings

    folder = REPO.parent / "shared" / "data" / "summarization" / "frank-cnndm-xsum"
    articles = []
    for name in ("cnndm", "xsum"):
        for n, line in enumerate((folder / f"{name}_test.jsonl").read_text(encoding="utf-8").splitlines()[:limit]):
            row = json.loads(line)
            articles.append(Article(path=Path(f"{name}{n}.md"), rel_path=f"{name}{n}.md", slug=f"{name}-{n}",
                                    title=f"Report {n}", source="CNN" if name == "cnndm" else "BBC",
                                    published=dt.datetime(2016, 1 + n % 12, 1 + n % 28), has_time=False,
                                    body=row["text"], body_line=1, language="en"))
    settings = load_settings()
    summarize(clean(articles, settings), settings)
    _stories, entities, _related = link(articles, settings)
    people = [e for e in entities if e.type == "person"]
    one_word = [e.name for e in people if " " not in e.name and not any(" " in a for a in e.aliases)]
    print(f"CNN, Daily Mail and BBC reports: {len(articles)} articles; entities {len(entities)} "
          f"({len(people)} people, {sum(e.type == 'organisation' for e in entities)} organisations, "
          f"{sum(e.type == 'place' for e in entities)} places)")
    print(f"  people named by one word only (to judge: Neymar is one, Swansea and Michael are not): "
          f"{len(one_word)} {one_word[:20]}")
    acronyms = [(e.name, a) for e in entities for a in [e.name, *e.aliases]
                if re.fullmatch(r"[A-Z]{2,6}", a) and any(" " in b for b in [e.name, *e.aliases])]
    spelled = {e.name: next((a for a in e.aliases if " " in a), "") for e in entities}
    print(f"  acronyms joined to a name (to judge): {len(acronyms)} "
          + ", ".join(f"{a} = {name if a != name else spelled[name]}" for name, a in acronyms[:20]))
    widgets = re.compile(r"^(\(CNN\)|Share this with|Media playback)|Scroll down for video")
    opening = [a.summary[:60] for a in articles if widgets.search(a.summary)]
    print(f"  summaries opening with a widget or an outlet's tag: {len(opening)} {opening[:3]}; "
          f"empty: {sum(not a.summary for a in articles)}")


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N pages of each set")
    parser.add_argument("--news", action="store_true", help="also the CNN, Daily Mail and BBC reports, as text")
    parser.add_argument("--chinese", action="store_true",
                        help="also the Chinese web-content pages, translated with ../shared/models' zh->en package")
    args = parser.parse_args()
    sets = {"Telegram contest pages": sorted((DATA / "telegram-contest-2020-pages" / "html").glob("*.html")),
            "article-extraction benchmark pages": sorted(
                (DATA / "article-extraction-benchmark" / "html").glob("*.html.gz"))}
    if not all(sets.values()):
        print(f"skipped: {DATA} is absent (../shared/data is not mounted)")
        return
    for name, pages in sets.items():
        with tempfile.TemporaryDirectory() as tmp:
            report(name, import_pages(pages[:args.limit], Path(tmp))[0])
    if args.news:
        report_news_texts(args.limit)
    if args.chinese:
        pages = sorted((DATA / "chinese-web-content-extraction" / "original").glob("*.html"))
        if not (pages and MODEL.exists()):
            print(f"Chinese pages: skipped ({DATA} or {MODEL} is absent)")
            return
        with tempfile.TemporaryDirectory() as tmp:
            report("Chinese web-content pages, translated", import_and_translate(pages[:args.limit], Path(tmp)))


if __name__ == "__main__":
    main()
