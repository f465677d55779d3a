"""Names in translation: does a registered entity come out under its English form?

    uv run --extra test python benchmarks/translation_names.py [--length-penalty 0.2,1.0]

The WMT22 zh source sentences (../shared/data/mt/wmt22-zh-en) that name one of 16 well-known
entities, with a registry written for this benchmark (Chinese alias -> English name, below:
the forms WMT's reference A uses). For each decoding setting, three ways, in one run with the
real zh->en Argos package: plain (no registry), every name given in English in the source
before translation ("protect all"), and the digest's way (translate, then translate again
only the sentences whose translation lost a registered name, with the name given in English:
digest.translation.translate.NameGuard via translate(..., registry=...)). Name accuracy counts a name
whose English form reference A also uses; chrF (sacrebleu) against reference A over the same
sentences; seconds for the whole translate() call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.annotate.entity_registry import RegistryEntry  # noqa: E402
from digest.model import Article  # noqa: E402
from digest.translation.models import install_file  # noqa: E402
from digest.settings import Settings, load_settings  # noqa: E402
from digest.translation.store import TranslationStore  # noqa: E402
from digest.translation.translate import NameGuard, translate  # noqa: E402

SHARED = REPO.parent / "shared"
PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
WMT = SHARED / "data" / "mt" / "wmt22-zh-en"
NAMES = {"习近平": "Xi Jinping", "伊朗": "Iran", "浙江大学": "Zhejiang University", "拜登": "Biden",
         "普京": "Putin", "耶鲁": "Yale", "新华社": "Xinhua", "特朗普": "Trump", "香港": "Hong Kong",
         "重庆": "Chongqing", "江西": "Jiangxi", "广西": "Guangxi", "上海": "Shanghai",
         "美国": "United States", "日本": "Japan", "俄罗斯": "Russia"}
REGISTRY = [RegistryEntry(re.sub(r"\W+", "-", english.lower()), english, "place", (chinese,))
            for chinese, english in NAMES.items()]


def articles_of(sentences: list[str]) -> list[Article]:
    return [Article(path=Path(f"s{i}.md"), rel_path=f"articles/s{i}.md", slug=f"s{i}", title="",
                    source="WMT22", published=dt.datetime(2022, 1, 1), has_time=False, body=s, body_line=1,
                    language="zh", paragraphs=[s]) for i, s in enumerate(sentences)]


def run(sentences: list[str], models_dir: Path, settings: Settings, registry) -> tuple[list[str], float]:
    articles = articles_of(sentences)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as store:
        translate(articles, settings, TranslationStore(Path(store)), models_dir, registry=registry)
    return [a.translation.paragraphs[0] for a in articles], time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--length-penalty", default="0.2,1.0", help="comma-separated values to compare")
    args = parser.parse_args()
    if not (PACKAGE.exists() and WMT.exists()):
        print(f"skipped: {PACKAGE} or {WMT} is absent")
        return 0
    import sacrebleu

    source = (WMT / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    reference = (WMT / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    rows = [(s, r) for s, r in zip(source, reference) if any(name in s for name in NAMES)]
    sentences, references = [s for s, _ in rows], [r for _, r in rows]
    guard = NameGuard(REGISTRY, "zh")
    protected = [guard.protect(s) for s in sentences]
    models_dir = Path(tempfile.mkdtemp(prefix="digest-models-"))
    install_file(PACKAGE, models_dir)

    def names_right(outputs: list[str]) -> tuple[int, int]:
        right = total = 0
        for output, sentence, ref in zip(outputs, sentences, references):
            for chinese, english in NAMES.items():
                if chinese in sentence and english.lower() in ref.lower():
                    total += 1
                    right += english.lower() in output.lower()
        return right, total

    print(f"{len(sentences)} WMT22 zh sentences naming one of {len(NAMES)} registered entities")
    print(f"{'length penalty':>14} {'way':<12} {'names right':>12} {'chrF':>6} {'seconds':>8}")
    base = load_settings()
    for penalty in (float(v) for v in args.length_penalty.split(",")):
        settings = base.overridden("translate", length_penalty=penalty)
        for way, texts, registry in (("plain", sentences, None), ("protect all", protected, None),
                                     ("digest", sentences, REGISTRY)):
            outputs, seconds = run(texts, models_dir, settings, registry)
            right, total = names_right(outputs)
            chrf = sacrebleu.corpus_chrf(outputs, [references]).score
            print(f"{penalty:>14} {way:<12} {right:>6}/{total:<5} {chrf:6.2f} {seconds:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
