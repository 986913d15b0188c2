"""Weak signals, the issue's figures in one run.

Runs each part as its own process, one after the other, and gathers their last lines:

* ``bench/weak_signals_scan.py`` — a full detector scan over 1M alerts (goal ≤ 2 s);
* ``bench/weak_signals_heatmap.py`` — the heatmap layer over 20,000 points during pan
  and zoom (goal: p95 frame ≤ 16 ms);
* ``bench/weak_signals_quality.py`` — recall of planted signals and false signals per
  week on pure background, over many seeds (goals: recall ≥ 90 %, ≤ 1 false/week).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=$PWD .venv/bin/python bench/weak_signals.py \
        [--quick] [--only PART]

``mapalone`` runs the heatmap part's frames with the heatmap hidden: the map's own
cost on the same machine at the same time, to read the heatmap's as a difference.

Last line: every part's ``name=value`` pairs, prefixed by the part.
"""

from __future__ import annotations

import sys

from bench_parts import run_parts

PARTS = (
    ("scan", "weak_signals_scan.py"),
    ("heatmap", "weak_signals_heatmap.py"),
    ("mapalone", "weak_signals_heatmap.py --off"),  # the same frames, heatmap hidden
    ("quality", "weak_signals_quality.py"),
)
#: ``--quick``: a check that the parts run, not figures (see each script's options).
QUICK: dict[str, list[str]] = {
    "scan": ["--alerts", "200000", "--stored", "0", "--runs", "1"],
    "quality": ["--seeds", "10"],
}


if __name__ == "__main__":
    sys.exit(run_parts(__doc__ or "", PARTS, QUICK))
