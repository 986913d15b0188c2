"""``csu-recorder``: run the recorder, or say what it holds (filled in by issue 18's
recorder work; the entry point is declared in pyproject.toml)."""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    raise SystemExit("csu-recorder : pas encore disponible")
