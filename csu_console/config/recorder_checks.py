"""Cross-checks of ``[recorder]`` against the site's cameras (the section alone is
checked by the schema)."""

from __future__ import annotations

from collections.abc import Iterable

from csu_console.config.fields import did_you_mean
from csu_console.config.recorder_section import RecorderConfig
from csu_console.config.schema import ConfigProblem

SITE_FILE = "site.toml"


def recorder_problems(recorder: RecorderConfig, camera_ids: Iterable[str]) -> list[ConfigProblem]:
    """Every ``[recorder] record`` id that is not a camera of the site."""
    known = sorted(set(camera_ids))
    problems: list[ConfigProblem] = []
    for cam in recorder.record:
        if cam not in known:
            problems.append(
                ConfigProblem(
                    SITE_FILE,
                    "[recorder]",
                    "record",
                    f"caméra « {cam} » inconnue (absente de cameras.geojson)",
                    did_you_mean(cam, known),
                )
            )
    return problems
