"""Translation throughput: `digest translate` on this machine against a local Dask cluster
(`dask scheduler` and `--workers` workers started here), on the same real articles.

The articles are the WMT22 zh documents from Xinhua (as benchmarks/intake.py reads them: each
from its "...-新华网" headline line). Each run fills a fresh store from the real zh->en
package; the cluster's store is then compared with the local one, file by file. On a machine
of two cores, expect the cluster to be about as fast as the local run (the point is the
mechanism; spread over machines, throughput grows with the workers): the local run decodes
with every core in one process, each worker with `--worker-threads`.

    uv run --extra cluster python benchmarks/cluster_translate.py [--docs 26] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PACKAGE = SHARED / "models" / "translate-zh_en-1_9.argosmodel"
SOURCE = SHARED / "data" / "mt" / "wmt22-zh-en" / "generaltest2022.zh-en.src.zh"
BIN = Path(sys.executable).parent


def xinhua_documents(count: int) -> list[tuple[str, list[str]]]:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip().endswith("新华网")]
    documents = []
    for n, start in enumerate(starts[:count]):
        end = min(starts[n + 1] if n + 1 < len(starts) else len(lines), start + 40)
        documents.append((lines[start].strip().removesuffix("-新华网").strip(), [t for t in lines[start + 1:end] if t]))
    return documents


def write_site(root: Path, documents) -> None:
    articles = root / "site_src" / "articles" / "2022" / "05"
    articles.mkdir(parents=True)
    for n, (title, paragraphs) in enumerate(documents):
        quoted = title.replace("'", "''")
        (articles / f"xinhua-{n}.md").write_text(
            f"---\ntitle: '{quoted}'\nsource: Xinhua\npublished: 2022-05-{n % 28 + 1:02d}\nlanguage: zh\n---\n\n"
            + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def translate(root: Path, env: dict, *extra: str) -> float:
    started = time.perf_counter()
    ran = subprocess.run([str(BIN / "digest"), "translate", *extra], cwd=root, env=env, capture_output=True, text=True)
    if ran.returncode != 0:
        sys.exit(f"digest translate failed:\n{ran.stdout}\n{ran.stderr}")
    return time.perf_counter() - started


def store(root: Path) -> dict[str, bytes]:
    folder = root / "site_src" / "translations"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=26, help="Xinhua documents (26 in WMT22 zh)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-threads", type=int, default=1, help="CTranslate2 threads per worker")
    parser.add_argument("--chunk-sentences", type=int, default=512,
                        help="translate.chunk_sentences for both runs (the chunks are the cluster's tasks)")
    args = parser.parse_args()
    for path in (PACKAGE, SOURCE):
        if not path.exists():
            sys.exit(f"{path} is absent: the benchmark reads ../shared beside the repository")
    documents = xinhua_documents(args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "DIGEST_MODELS_DIR": str(tmp / "models")}
        subprocess.run([str(BIN / "digest"), "models", "install-file", str(PACKAGE)], env=env, check=True,
                       capture_output=True)
        (tmp / "local.yml").write_text(f"translate:\n  chunk_sentences: {args.chunk_sentences}\n", encoding="utf-8")
        (tmp / "workers.yml").write_text(f"translate:\n  chunk_sentences: {args.chunk_sentences}\n"
                                         f"  threads: {args.worker_threads}\n", encoding="utf-8")
        write_site(tmp / "local", documents)
        write_site(tmp / "cluster", documents)
        local = translate(tmp / "local", env, "--settings", str(tmp / "local.yml"))
        address = f"tcp://127.0.0.1:{free_port()}"
        processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                       address.rsplit(":", 1)[1], "--no-dashboard"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        processes += [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-dashboard",
                                        "--memory-limit", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for _ in range(args.workers)]
        try:
            from distributed import Client
            with Client(address, timeout=30) as client:
                client.wait_for_workers(args.workers, timeout=60)
            clustered = translate(tmp / "cluster", env, "--scheduler", address, "--settings", str(tmp / "workers.yml"))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
        same = store(tmp / "local") == store(tmp / "cluster")
        sentences = sum(len(p) for _, p in documents) + len(documents)  # lines; sentences are more
        print(f"{len(documents)} documents, {sentences} lines, chunks of {args.chunk_sentences} sentences")
        print(f"local (one process, every core): {local:.1f} s")
        print(f"Dask, {args.workers} workers x {args.worker_threads} thread(s): {clustered:.1f} s "
              f"({local / clustered:.2f}x the local speed, start-up and model shipping included)")
        print(f"stores identical, byte for byte: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
