"""Whole-file writes: a temporary file in the same folder, then `os.replace`.

A killed process leaves the old file or the new one, never half of one. The temporary file
is made by `tempfile.mkstemp` (mode 0600, so no other process reads it half-written) and
given the mode a plain `open()` would have given it (0666 less the umask) before it takes
the file's place: an article, a translation or a cache entry is readable by the web server
or the reviewer's tools like any file the user makes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()
FOLDER_MODE = 0o777 & ~_umask()


def write_atomic(path: Path, data: bytes | str | Callable[[BinaryIO], None], *, fsync: bool = True) -> None:
    """Write `data` (text is written as UTF-8 with "\\n" line ends) to `path`, atomically.
    `data` may be a function that writes to the open file: a large pickle is then streamed,
    never held whole in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data.encode("utf-8") if isinstance(data, str) else data)
            if fsync:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
