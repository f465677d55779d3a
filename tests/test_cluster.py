"""`digest translate --scheduler` (issue 18): the pending articles decoded by a real Dask
cluster (a `dask scheduler` and two `dask worker` processes on this machine) fill the store
exactly as a local run does, byte for byte; the store is written by the client alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import Site
from .zh_model import PACKAGE, SOURCE, needs_shared

pytestmark = needs_shared
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A scheduler and two single-threaded workers, as a user starts them; their address."""
    distributed = pytest.importorskip("distributed", reason="the cluster extra installs it: uv sync --extra cluster")
    address = f"tcp://127.0.0.1:{free_port()}"
    logs = tmp_path_factory.mktemp("dask")
    common = ["--no-dashboard"]
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                   *common], stdout=subprocess.DEVNULL, stderr=open(logs / "scheduler.log", "w"))]
    time.sleep(1)
    for n in range(2):
        processes.append(subprocess.Popen(
            [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1", "--memory-limit", "0", *common],
            stdout=subprocess.DEVNULL, stderr=open(logs / f"worker{n}.log", "w"),
            env={**os.environ, "OMP_NUM_THREADS": "1"}))
    try:
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def chinese_site(root: Path, models: Path) -> Site:
    """Four real Xinhua articles (WMT22 zh), and the zh->en package installed in `models`."""
    root.mkdir()
    site = Site(root)
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    for n, start in enumerate((3, 156, 191, 279)):
        body = "\n\n".join(lines[start + 1:start + 6])
        site.write(f"2021/12/xinhua-{n}.md", f"---\ntitle: '{lines[start].strip()}'\nsource: Xinhua\n"
                                             f"published: 2021-12-1{n}\nlanguage: zh\n---\n\n{body}\n")
    return site


def store_files(site: Site) -> dict[str, bytes]:
    store = site.docs / "translations"
    return {p.relative_to(store).as_posix(): p.read_bytes() for p in sorted(store.rglob("*")) if p.is_file()}


def test_a_cluster_fills_the_store_exactly_as_a_local_run(scheduler, tmp_path):
    models = tmp_path / "models"
    local = chinese_site(tmp_path / "local", models)
    env = {**os.environ, "DIGEST_MODELS_DIR": str(models)}
    assert local.digest("models", "install-file", str(PACKAGE), "--models-dir", str(models)).returncode == 0
    # chunk_sentences 8: the four articles go in several chunks, so both workers get some.
    (tmp_path / "settings.yml").write_text("translate:\n  chunk_sentences: 8\n", encoding="utf-8")
    settings = ["--settings", str(tmp_path / "settings.yml")]
    ran = subprocess.run([str(Path(sys.executable).parent / "digest"), "translate", *settings],
                         cwd=local.root, env=env, capture_output=True, text=True)
    assert ran.returncode == 0 and "4 of 4 non-English articles have English text" in ran.stdout, ran.stderr
    clustered = chinese_site(tmp_path / "cluster", models)
    ran = subprocess.run([str(Path(sys.executable).parent / "digest"), "translate", *settings,
                          "--scheduler", scheduler], cwd=clustered.root, env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert f"translating on the Dask cluster at {scheduler} (2 worker(s)" in ran.stdout
    assert "4 of 4 non-English articles have English text" in ran.stdout
    expected = store_files(local)
    assert len([name for name in expected if name.endswith(".md")]) == 4, sorted(expected)
    assert store_files(clustered) == expected


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed", reason="the cluster extra installs it: uv sync --extra cluster")
    site = chinese_site(tmp_path / "site", tmp_path / "models")
    env = {**os.environ, "DIGEST_MODELS_DIR": str(tmp_path / "models")}
    assert site.digest("models", "install-file", str(PACKAGE), "--models-dir", str(tmp_path / "models")).returncode == 0
    ran = subprocess.run([str(Path(sys.executable).parent / "digest"), "translate", "--scheduler",
                          f"tcp://127.0.0.1:{free_port()}"], cwd=site.root, env=env, capture_output=True, text=True)
    assert ran.returncode == 1
    assert "--scheduler:0: no Dask scheduler answers at tcp://127.0.0.1:" in ran.stderr
    assert "start one (`dask scheduler`)" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert not (site.docs / "translations").exists() or not any((site.docs / "translations").rglob("*.md"))
