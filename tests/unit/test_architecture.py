"""The core is Qt-free: business rules, storage, config, link and simulator
must run (and be tested) without PySide6."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import csu_console

QT_FREE = (
    "csu_console.core",
    "csu_console.storage",
    "csu_console.config",
    "csu_console.net",
    "csu_console.sim",
    "csu_console.mapdata",
    "csu_console.hub",
    "csu_console.central",
    "csu_console.recorder",
    "csu_console.media.replay",
    "csu_console.media.probe",
    "csu_console.backup",
)
PACKAGE_DIR = Path(csu_console.__file__).resolve().parent

_IMPORT_ALL = """
import importlib, pkgutil, sys
names = []
for pkg in {packages!r}:
    module = importlib.import_module(pkg)
    names.append(pkg)
    for info in pkgutil.walk_packages(module.__path__, pkg + "."):
        if info.name.endswith(".__main__"):
            continue  # importing it would run the program
        importlib.import_module(info.name)
        names.append(info.name)
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(len(names))
print(",".join(qt))
"""


def _sources() -> list[Path]:
    files: list[Path] = []
    for pkg in QT_FREE:
        files += sorted((PACKAGE_DIR / pkg.split(".", 1)[1].replace(".", "/")).rglob("*.py"))
    return files


def test_core_packages_import_without_qt() -> None:
    """Import every module in a fresh interpreter: PySide6 must not come along."""
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL.format(packages=QT_FREE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    count, qt = proc.stdout.splitlines()
    expected = [p for p in _sources() if p.name != "__main__.py"]
    assert int(count) == len(expected), "some modules were not imported"
    assert qt == "", f"Qt-free packages pulled in: {qt}"


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_no_pyside_import_line(path: Path) -> None:
    """Also catches imports hidden in functions, which the subprocess test misses."""
    text = path.read_text(encoding="utf-8")
    bad = [
        f"{n}: {line.strip()}"
        for n, line in enumerate(text.splitlines(), 1)
        if re.match(r"\s*(from|import)\s", line) and "PySide6" in line
    ]
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.Import):
            bad += [f"{node.lineno}: import {a.name}" for a in node.names if "PySide6" in a.name]
        elif isinstance(node, ast.ImportFrom) and "PySide6" in (node.module or ""):
            bad.append(f"{node.lineno}: from {node.module} import ...")
    assert not bad, f"{path.name} imports Qt:\n" + "\n".join(bad)


def test_no_asyncio_wait_for() -> None:
    """``asyncio.timeout`` only: on Python 3.11, ``wait_for`` swallows a task's
    cancellation when its awaitable completes in the same turn of the loop. A hub
    station's delivery task survived its cancel that way, kept pulling alerts for a
    closed connection and held the hub's stop for 8 s (stop 27's CI failure)."""
    bad = [
        f"{path.relative_to(PACKAGE_DIR)}:{n}"
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "asyncio.wait_for(" in line or re.match(r"\s*from asyncio import .*\bwait_for\b", line)
    ]
    assert not bad, "asyncio.wait_for, use asyncio.timeout:\n" + "\n".join(bad)
