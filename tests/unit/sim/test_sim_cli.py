"""``csu-sim`` as a process: scenario replay, steady rate, token refusal."""

from __future__ import annotations

import json
from pathlib import Path

from support import CONFIG_DIR, wait_until

from csu_console.sim.control import SimProcess


def test_scenario_is_replayed_in_order(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.jsonl"
    alert = {
        "id": "scn-1",
        "source": "voisins-vigilants",
        "sent": "2026-11-21T22:00:00+01:00",
        "category": "cambriolage",
        "location": {"lat": 60.17, "lon": 24.94},
    }
    lines = [
        {"delay_s": 0, "alert": alert},
        {"delay_s": 0, "raw": "pas du json"},
        {"delay_s": 0, "emit": 2},
        "ligne cassée {",
    ]
    scenario.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines), encoding="utf-8"
    )
    with SimProcess(CONFIG_DIR, extra_args=["--scenario", str(scenario)]) as sim:
        wait_until(lambda: sim.command("stats")["messages"] == 4, 20, "scénario rejoué")
        assert ["voisins-vigilants", "scn-1"] in sim.command("ids")
        assert sim.command("stats")["valid"] == 3
        assert "ligne ignorée" in sim.log_path.read_text(encoding="utf-8")


def test_steady_rate_emits_alerts_by_itself() -> None:
    with SimProcess(CONFIG_DIR, extra_args=["--rate", "600", "--seed", "1"]) as sim:
        wait_until(lambda: sim.command("stats")["valid"] >= 3, 20, "alertes émises au fil de l'eau")
