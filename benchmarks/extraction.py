"""Article-body F1 of `digest.intake.extract.extract_html` vs trafilatura called directly, scored by
the article-extraction benchmark's own evaluate.py.

    uv run python benchmarks/extraction.py [--n-bootstrap N]

Writes output/trafilatura.json (trafilatura.extract with its defaults), output/digest.json
(extract_html's text) and output/digest+clean.json (extract_html, then the `clean` stage, as a
built page shows it) into a temporary directory holding the benchmark's ground truth, and runs
the benchmark's evaluate.py there. Reads ../shared/data/extraction/article-extraction-benchmark;
exits with a message when it is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import trafilatura

from digest.intake.clean import clean
from digest.errors import DigestError
from digest.intake.extract import extract_html
from digest.model import Article
from digest.settings import load_settings

BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction" / "article-extraction-benchmark"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-bootstrap", type=int, default=1000)
    args = parser.parse_args()
    if not BENCHMARK.exists():
        print(f"skipped: {BENCHMARK} is absent (the benchmark reads ../shared/data)")
        return 0
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    settings = load_settings()
    outputs: dict[str, dict] = {"trafilatura": {}, "digest": {}, "digest+clean": {}}
    for key, item in truth.items():
        html = gzip.decompress((BENCHMARK / "html" / f"{key}.html.gz").read_bytes())
        url = item.get("url")
        outputs["trafilatura"][key] = {"articleBody": trafilatura.extract(html, url=url) or ""}
        try:
            page = extract_html(html, url)
        except DigestError:
            page = {"text": "", "title": "", "source": ""}
        outputs["digest"][key] = {"articleBody": page["text"]}
        article = Article(path=Path(f"{key}.md"), rel_path=f"{key}.md", slug=key, title=page["title"] or "",
                          source=page["source"] or "", published=dt.datetime(2019, 1, 1), has_time=False,
                          body=page["text"], body_line=1)
        clean([article], settings)
        outputs["digest+clean"][key] = {"articleBody": "\n\n".join(article.paragraphs)}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copy(BENCHMARK / "ground-truth.json", work)
        (work / "output").mkdir()
        versions = {"trafilatura": trafilatura.__version__}
        for name, output in outputs.items():
            (work / "output" / f"{name}.json").write_text(
                json.dumps({"version": versions.get(name, "ours"), "output": output}), encoding="utf-8")
        print(f"{len(truth)} pages; F1/precision/recall of article-body shingles (the benchmark's evaluate.py)")
        return subprocess.run([sys.executable, str(BENCHMARK / "evaluate.py"), "--n-bootstrap", str(args.n_bootstrap)],
                              cwd=work).returncode


if __name__ == "__main__":
    sys.exit(main())
