"""Issue 14: the console died with a segmentation fault just after « Rapport PDF ».
The review's exports, PDF and CSV, many times over while an alert storm is stored,
the basemap renders on its thread and the GUI thread is busy when each export ends
— under faulthandler, in a child process: no crash, every export done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("export_stress.py")
ROUNDS = 8  # 16 exports, about 10 s


@pytest.mark.slow
def test_exports_under_load_do_not_crash(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), str(ROUNDS)],
        check=False, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    trace = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error" not in trace, trace
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"DONE {2 * ROUNDS} {2 * ROUNDS}" in proc.stdout
    assert len(list(tmp_path.glob("revue-*.pdf"))) == 1  # same name: the last one kept
