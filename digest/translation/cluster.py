"""`digest translate --scheduler ADDRESS`: the chunks of pending sentences decoded by the
workers of a Dask distributed cluster (`dask scheduler`, `dask worker ADDRESS`, started by the
user), the translations written here alone.

Why Dask: a well-kept engine that already schedules tasks on many machines, retries them and
moves data; a worker needs only `pip install 'digest[cluster]'` (dask's `distributed` is an
optional extra: the default install does not carry it).

- The client reads the installed package (its model and SentencePiece files) and hands it to
  the cluster once (`Client.scatter`, to every worker): workers need no model installed. A
  worker unpacks it into its own scratch folder (Dask's, removed when the worker stops) and
  keeps the loaded model for every chunk after (one model per worker process).
- Each task is one chunk exactly as the local run cuts and sorts it (translate._Batch), and a
  worker decodes it with the same code (decoding.Decoder): the same text, byte for byte, as a
  local run on the same kind of device. A worker's `--device auto` is its own: a worker with a
  GPU decodes there.
- Results come back as each chunk finishes (`as_completed`) and the client stores each article
  as soon as its chunk is in: the store has one writer, and a client that is stopped keeps
  every article that arrived. A chunk whose task fails (a worker that dies, a lost connection)
  is run again, `retries` times, by Dask.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path, PurePosixPath

from ..errors import DigestError, Problem
from .decoding import Decoder, DecodingOptions, NameGuard, resolve_device
from .models import ModelPackage

RETRIES = 3  # runs of a failed chunk after its first, each on any worker


def connect(address: str, timeout: float = 10):
    """A Dask client connected to the scheduler at `address`; DigestError naming the fix when
    dask's distributed is not installed or the scheduler does not answer."""
    try:
        from distributed import Client
    except ImportError:
        raise DigestError(Problem("--scheduler", 0, "Dask's `distributed` is not installed",
                                  "install the cluster extra: pip install 'digest[cluster]' (uv sync --extra cluster)")) from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DigestError(Problem("--scheduler", 0, f"no Dask scheduler answers at {address} ({exc})",
                                  "start one (`dask scheduler`) and its workers (`dask worker ADDRESS`), "
                                  "then give its address, e.g. tcp://10.0.0.5:8786")) from None


class ClusterRunner:
    """Decodes the chunks on the cluster's workers (same interface as translate.LocalRunner)."""

    def __init__(self, client, options: DecodingOptions, device_setting: str, compute_type: str):
        self.client = client
        self.options = options
        self.device_setting = device_setting  # resolved by each worker for itself
        self.compute_type = compute_type
        self.shipped: dict[str, tuple[str, object]] = {}  # package path -> (key, its data on the cluster)
        workers = len(client.scheduler_info().get("workers", {}))
        self.where = (f"on the Dask cluster at {client.scheduler.address} ({workers} worker(s), "
                      f"each on its own device: {device_setting})")

    def english(self, package: ModelPackage, chunks: list[list[str]], registry: list):
        """(chunk index, its English) for each chunk, in the order they finish."""
        from distributed import as_completed

        key, data = self._ship(package)
        spec = (key, package.target_prefix, self.options, self.device_setting, self.compute_type,
                tuple(registry), package.from_code)
        futures = {self.client.submit(translate_chunk, data, spec, chunk, pure=False, retries=RETRIES): k
                   for k, chunk in enumerate(chunks)}
        try:
            for future in as_completed(futures):
                try:
                    english = future.result()
                except Exception as exc:  # the task's own error, after its retries
                    raise DigestError(Problem(package.path, 0, f"a cluster worker failed on a chunk of "
                                              f"{len(chunks[futures[future]])} sentences after {RETRIES} retries: "
                                              f"{type(exc).__name__}: {str(exc)[:300]}",
                                              "see the worker's log; the articles translated so far are stored, "
                                              "run the same command again for the rest")) from None
                yield futures[future], english
        finally:
            for future in futures:
                future.cancel()

    def _ship(self, package: ModelPackage) -> tuple[str, object]:
        """The package's files as one zip on every worker, sent once per run."""
        if str(package.path) not in self.shipped:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
                for path in sorted(package.path.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(package.path).as_posix())
            data = buffer.getvalue()
            key = f"{package.name}-{package.version}-{hashlib.sha256(data).hexdigest()[:16]}"
            self.shipped[str(package.path)] = (key, self.client.scatter(data, broadcast=True, hash=False))
        return self.shipped[str(package.path)]


# -- on the workers ----------------------------------------------------------------------------

_DECODERS: dict[str, Decoder] = {}  # one loaded model per package, per worker process
_GUARDS: dict[tuple, NameGuard] = {}
_LOCK = threading.Lock()  # a worker with several threads loads each model once


def translate_chunk(data: bytes, spec: tuple, sentences: list[str]) -> list[str]:
    """Run on a worker: the English of one chunk's sentences (decoding.Decoder.english)."""
    key, target_prefix, options, device_setting, compute_type, registry, language = spec
    with _LOCK:
        decoder = _DECODERS.get(key)
        if decoder is None:
            folder = _unpacked(key, data)
            decoder = _DECODERS[key] = Decoder(folder / "model", folder / "sentencepiece.model", target_prefix,
                                               options, resolve_device(device_setting, compute_type))
        guard = None
        if registry:
            guard = _GUARDS.get((key, registry))
            if guard is None:
                guard = _GUARDS[(key, registry)] = NameGuard(list(registry), language)
    return decoder.english(sentences, guard)


def _unpacked(key: str, data: bytes) -> Path:
    """The package unpacked in the worker's own scratch folder (Dask's `local_directory`,
    removed when the worker stops), once per worker process."""
    from distributed import get_worker

    folder = Path(get_worker().local_directory) / "digest-models" / key
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=folder.parent))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                if PurePosixPath(member).is_absolute() or ".." in PurePosixPath(member).parts:
                    raise ValueError(f"the package names a file outside it: {member!r}")
            archive.extractall(staging)
        staging.rename(folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder
