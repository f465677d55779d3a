"""The digest on saved news pages it was not tuned on, end to end. Prints figures.

    uv run python benchmarks/unseen_pages.py [--limit N]

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


def import_pages(pages: list[Path], root: Path) -> Path:
    """An empty digest at `root` holding `pages`, imported by `digest add`; its docs dir."""
    folder = root / "pages"
    folder.mkdir(parents=True)
    for page in pages:
        target = folder / page.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes())
    docs = root / "site_src"
    docs.mkdir()
    shutil.copy(REPO / "site_src" / "about.md", docs / "about.md")
    subprocess.run([str(DIGEST), "add", "--docs-dir", str(docs), str(folder)], capture_output=True, text=True)
    return docs


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


def _latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N pages of each set")
    args = parser.parse_args()
    sets = {"Telegram contest pages": sorted((DATA / "telegram-contest-2020-pages" / "html").glob("*.html")),
            "article-extraction benchmark pages": sorted(
                (DATA / "article-extraction-benchmark" / "html").glob("*.html.gz"))}
    if not all(sets.values()):
        print(f"skipped: {DATA} is absent (../shared/data is not mounted)")
        return
    for name, pages in sets.items():
        with tempfile.TemporaryDirectory() as tmp:
            report(name, import_pages(pages[:args.limit], Path(tmp)))


if __name__ == "__main__":
    main()
