"""argostranslate's own translate(), article by article: the baseline for benchmarks/translation.py.

Runs inside the throwaway venv that benchmarks/translation.py creates (argostranslate needs
stanza and torch, which the project itself never installs). Reads a JSON job on stdin:
{"articles": [[line, ...], ...], "beam_size": 4, "threads": 2}; writes
{"lines": [...], "seconds": s} on stdout. The ARGOS_* variables are set by the caller.

Offline: argostranslate 1.11 splits sentences with stanza when the package has a
`stanza/` folder (ours does), else with MiniSBD, which downloads an .onnx model. The
zh->en 1.9 package ships the stanza tokenizer it was built with (stanza 1.1's format and
resources.json); stanza 1.10, which argostranslate 1.11 pins, first downloads a newer
resources file and cannot read that old model. The venv therefore holds stanza 1.1.1,
which reads the packaged files as they are and downloads nothing.
"""

import json
import sys
import time

from argostranslate import translate


def main() -> None:
    job = json.load(sys.stdin)
    # Warm up (load the model and the stanza splitter) outside the timed part.
    translate.translate(job["articles"][0][0], "zh", "en")
    lines = []
    started = time.perf_counter()
    for article in job["articles"]:
        english = translate.translate("\n".join(article), "zh", "en").split("\n")
        assert len(english) == len(article), "argostranslate changed the paragraph count"
        lines.extend(english)
    json.dump({"lines": lines, "seconds": time.perf_counter() - started}, sys.stdout)


if __name__ == "__main__":
    main()
