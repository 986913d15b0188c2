"""Run a figure's parts as separate processes, one after the other, and gather them.

Each part is a bench script whose last line holds ``name=value`` pairs; the parts
run in turn (on two cores they would compete otherwise) and the gathered pairs,
prefixed by the part's name, make the aggregator's own last line.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def pairs(line: str) -> dict[str, str]:
    """The ``name=value`` tokens of a line."""
    found = {}
    for token in line.split():
        name, sep, value = token.partition("=")
        if sep:
            found[name] = value
    return found


def run_parts(
    doc: str, parts: Sequence[tuple[str, str]], quick: Mapping[str, Sequence[str]]
) -> int:
    """Parse ``--quick``/``--only``, run the parts, print every pair; 1 if one failed."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=[p for p, _ in parts], action="append")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(BENCH.parent)}
    gathered: dict[str, str] = {}
    failed = []
    for part, script in parts:
        if args.only and part not in args.only:
            continue
        extra = list(quick.get(part, ())) if args.quick else []
        name, *fixed = script.split()  # « script.py --option »: a part with its options
        command = [sys.executable, str(BENCH / name), *fixed, *extra]
        print(f"== {part}: {' '.join(command[1:])}", flush=True)
        started = time.monotonic()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        print(done.stdout.rstrip(), flush=True)
        if done.returncode != 0:
            print(done.stderr.rstrip()[-2000:], file=sys.stderr)
            failed.append(part)
            continue
        lines = [line for line in done.stdout.splitlines() if "=" in line]
        for name, value in pairs(lines[-1] if lines else "").items():
            gathered[name if name.startswith(part) else f"{part}_{name}"] = value
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    if failed:
        print(f"parties en échec : {', '.join(failed)}", file=sys.stderr)
    print(" ".join(f"{k}={v}" for k, v in gathered.items()))
    return 1 if failed else 0
