"""The one exception type of the digest, and the problem record `digest check` reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: printed as `path:line: message — fix`."""

    path: Path | str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"  # "error" fails check and build; "warning" fails only --strict

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


class DigestError(Exception):
    """A problem that stops the work; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("digest", 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
