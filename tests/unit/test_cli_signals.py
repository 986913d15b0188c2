"""``csu-console signals generate`` then ``signals scan`` on a real database, in
process, on the demo site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_cli_logbook import run

from csu_console.storage.store import DB_NAME, Store

AT = "2026-12-05T09:00:00+00:00"


def test_generate_then_scan(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, _err = run(
        capsys, "signals", "generate", "--weeks", "10", "--data-dir", str(data),
        "--seed", "2", "--plant", "--now", AT,
    )  # fmt: skip
    assert code == 0, out
    assert "planté : recurrence" in out and "planté : term" in out
    store = Store(data / DB_NAME, readonly=True)
    try:
        stored = store.count("alerts")
    finally:
        store.close()
    assert f"{stored} signalement(s) écrit(s) sur 10 semaines" in out
    code, out, _err = run(capsys, "signals", "scan", "--data-dir", str(data), "--at", AT, "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    kinds = {r["kind"] for r in rows}
    assert {"recurrence", "term"} <= kinds
    assert all(r["title"] and r["test"] and r["alerts"] >= 3 for r in rows)
    code, out, _err = run(capsys, "signals", "scan", "--data-dir", str(data), "--at", AT)
    assert code == 0 and "signal(aux) faible(s) au 05/12/2026 10:00" in out


def test_bad_arguments_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(
        capsys, "signals", "generate", "--weeks", "0", "--data-dir", str(tmp_path)
    )
    assert code == 2 and "--weeks" in err
    code, _out, err = run(capsys, "signals", "scan", "--data-dir", str(tmp_path), "--at", "hier")
    assert code == 2
