"""A screenshot of the real demo, as an operator sees it: ``csu-console demo`` on its
own X server (Xvfb) with a window manager (openbox), maximised, after the first
alerts arrived.

    .venv/bin/python docs/demo_screenshot.py --size 1920x1080 --theme sombre
    .venv/bin/python docs/demo_screenshot.py --all      # the four of the docs

writes ``docs/screenshot-<width>-<theme>.png``. Each run uses a fresh data folder
and a copy of ``config/`` with ``[ui] theme`` and ``scale`` set, so nothing of the
checkout changes (the basemap imported on the first run is kept in ``var/maps``).
Needs Xvfb, openbox, xdotool and ImageMagick's ``import`` (``make deps`` installs them).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
SIZES = ("1920x1080", "1366x768")
THEMES = ("sombre", "clair")


def wait_until(what: str, predicate: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"demo_screenshot : {what} : délai dépassé ({timeout_s:g} s)")
        time.sleep(0.2)


def free_display() -> int:
    """A display number nobody uses (from :90 up)."""
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("demo_screenshot : aucun numéro d'écran X libre")


def stop(proc: subprocess.Popen[bytes], timeout_s: float = 10.0) -> None:
    """Stop one process we started (SIGTERM, then SIGKILL)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def x_server(display: int, size: str) -> Iterator[dict[str, str]]:
    """Xvfb at ``size`` with openbox on it; yields the environment to run clients in."""
    xvfb = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stderr=subprocess.DEVNULL,
    )
    env = dict(os.environ, DISPLAY=f":{display}")
    try:
        wait_until("Xvfb", lambda: Path(f"/tmp/.X11-unix/X{display}").exists(), 10)
        wm = subprocess.Popen(["openbox"], env=env, stderr=subprocess.DEVNULL)
        try:
            time.sleep(1.0)  # openbox manages the windows mapped after it
            yield env
        finally:
            stop(wm)
    finally:
        stop(xvfb)


def site_copy(dest: Path, theme: str, scale: float) -> Path:
    """``config/`` copied to ``dest`` with ``[ui]`` set; relative paths made absolute."""
    shutil.copytree(REPO / "config", dest)
    toml = dest / "site.toml"
    text = toml.read_text(encoding="utf-8")
    # "../var/maps/…" was relative to config/: point it at the checkout's folder.
    text = re.sub(
        r'= "(\.\.?/[^"]*)"',
        lambda m: f'= "{(REPO / "config" / m.group(1)).resolve()}"',
        text,
    )
    text = re.sub(r"(?ms)^\[ui\].*?(?=^\[|\Z)", "", text)
    text += f'\n[ui]\ntheme = "{theme}"\nscale = {scale}\n'
    toml.write_text(text, encoding="utf-8")
    return dest


def alerts_stored(db: Path) -> int:
    """How many alerts the console stored so far (0 while the base is not there)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return int(con.execute("SELECT count(*) FROM alerts").fetchone()[0])
    except sqlite3.Error:
        return 0


def console_window(env: dict[str, str]) -> str | None:
    """The X id of the console's main window, once it is mapped."""
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^CSU Console"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return found[0] if found else None


def shoot(
    size: str, theme: str, scale: float, out: Path, settle_s: float, lang: str, display: int
) -> None:
    """One screenshot of the demo at ``size`` in ``theme``, on X display ``display``."""
    with tempfile.TemporaryDirectory(prefix="csu-shot-") as tmp_name:
        tmp = Path(tmp_name)
        config = site_copy(tmp / "config", theme, scale)
        data = tmp / "data"
        with x_server(display, size) as env:
            env["PYTHONPATH"] = str(REPO)
            env["QT_QPA_PLATFORM"] = "xcb"
            log = (tmp / "demo.log").open("wb")
            demo = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "csu_console.cli",
                    "demo",
                    "--config",
                    str(config),
                    "--data-dir",
                    str(data),
                    "--lang",
                    lang,
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=REPO,
            )
            try:
                wait_until("fenêtre de la console", lambda: console_window(env) is not None, 120)
                window = console_window(env)
                assert window is not None
                # Maximised as an operator would (the console asks for it already).
                subprocess.run(
                    ["xdotool", "windowstate", "--add", "MAXIMIZED_VERT,MAXIMIZED_HORZ", window],
                    env=env,
                    check=False,
                    capture_output=True,
                )
                db = data / "csu.sqlite3"
                wait_until("premières alertes", lambda: alerts_stored(db) >= 3, 60)
                time.sleep(settle_s)  # the map, the wall and the banner follow them
                out.parent.mkdir(parents=True, exist_ok=True)
                subprocess.run(["import", "-window", "root", str(out)], env=env, check=True)
                print(f"écrit {out}")
            finally:
                stop(demo, 20)
                log.close()
                if demo.returncode not in (0, -signal.SIGTERM):
                    sys.stderr.write((tmp / "demo.log").read_text(errors="replace")[-4000:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="1920x1080")
    parser.add_argument("--theme", choices=THEMES, default="sombre")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--out", type=Path, help="défaut : docs/screenshot-<largeur>-<thème>.png")
    parser.add_argument("--settle", type=float, default=8.0, help="secondes après les alertes")
    parser.add_argument("--display", type=int, help="numéro d'écran X (défaut : un libre)")
    parser.add_argument("--all", action="store_true", help="les deux tailles, les deux thèmes")
    args = parser.parse_args(argv)
    jobs = [(s, t) for s in SIZES for t in THEMES] if args.all else [(args.size, args.theme)]
    for size, theme in jobs:
        out = args.out if args.out and not args.all else None
        out = out or DOCS / f"screenshot-{size.split('x')[0]}-{theme}.png"
        display = args.display if args.display is not None else free_display()
        shoot(size, theme, args.scale, out, args.settle, args.lang, display)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
