"""The digest on saved news pages it was not tuned on, end to end. Prints figures.

    uv run python benchmarks/unseen_pages.py [--limit N] [--chinese]

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
"""

from __future__ import annotations

import argparse
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


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N pages of each set")
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
    if args.chinese:
        pages = sorted((DATA / "chinese-web-content-extraction" / "original").glob("*.html"))
        if not (pages and MODEL.exists()):
            print(f"Chinese pages: skipped ({DATA} or {MODEL} is absent)")
            return
        with tempfile.TemporaryDirectory() as tmp:
            report("Chinese web-content pages, translated", import_and_translate(pages[:args.limit], Path(tmp)))


if __name__ == "__main__":
    main()
