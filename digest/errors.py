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


def summarized(problems: list[Problem], shown: int = 5) -> list[str]:
    """The problems as lines, in order, each kind (same message and fix) shown for its first
    `shown` files, then summed up in one line: a digest imported with a broken encoding
    gives one warning per file, and thousands of identical lines hide the one that matters.
    `digest check` lists every one."""
    lines: list[str] = []
    seen: dict[tuple, int] = {}
    for problem in problems:
        kind = (problem.message, problem.fix, problem.severity)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= shown:
            lines.append(str(problem))
    for (message, _, _), count in seen.items():
        if count > shown:
            lines.append(f"{count - shown:,} more file(s): {message} (the same as above; "
                         "`digest check` lists every one)")
    return lines


class DigestError(Exception):
    """A problem that stops the work; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("digest", 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
