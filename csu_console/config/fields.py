"""Shared steps of config validation: property checks with "did you mean" hints, and
reading a file into problems rather than exceptions (``site.toml``, GeoJSON files)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from csu_console.config.aliases import KEY_ALIASES
from csu_console.config.checks import Invalid, describe
from csu_console.config.schema import ConfigProblem, FieldSpec


def did_you_mean(word: str, choices: Mapping[str, object] | list[str]) -> str:
    """``vouliez-vous dire « x » ?`` for the closest choice, or "" when none is close."""
    alias = KEY_ALIASES.get(word.lower())
    if alias is not None and alias in choices:
        return f"vouliez-vous dire « {alias} » ?"
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"vouliez-vous dire « {matches[0]} » ?" if matches else ""


def validate_fields(
    data: Mapping[str, Any],
    specs: Mapping[str, FieldSpec],
    *,
    file: str,
    where: str,
    what: str = "clé",
) -> tuple[dict[str, Any], list[ConfigProblem]]:
    """Check ``data`` against ``specs``: unknown keys, missing required keys, bad values.

    Returns the parsed values of the valid keys present in ``data`` and one problem
    per bad key; ``what`` names a key in messages (« clé », « propriété »).
    """
    values: dict[str, Any] = {}
    problems: list[ConfigProblem] = []
    for key, value in data.items():
        spec = specs.get(key)
        if spec is None:
            hint = did_you_mean(key, specs)
            problems.append(ConfigProblem(file, where, key, f"{what} inconnue", hint))
            continue
        try:
            values[key] = spec.check(value)
        except Invalid as exc:
            message = f"{exc.expected}, reçu {describe(value)}"
            problems.append(ConfigProblem(file, where, key, message))
    for key, spec in specs.items():
        if spec.required and key not in data:
            problems.append(
                ConfigProblem(file, where, key, f"obligatoire, absent ({_expected(spec)})")
            )
    return values, problems


def _expected(spec: FieldSpec) -> str:
    try:
        spec.check(None)
    except Invalid as exc:
        return exc.expected
    return "valeur attendue"


def read_text(path: Path, problems: list[ConfigProblem]) -> str | None:
    """The file's text, or None with the reason (absent, not UTF-8, unreadable) noted."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(ConfigProblem(path.name, "", "", f"fichier absent de {path.parent}"))
    except UnicodeDecodeError as exc:
        message = f"encodage invalide à l'octet {exc.start}, UTF-8 attendu"
        problems.append(ConfigProblem(path.name, "", "", message))
    except OSError as exc:
        message = f"lecture impossible : {exc.strerror or exc}"
        problems.append(ConfigProblem(path.name, "", "", message))
    return None


def load_json(path: Path, problems: list[ConfigProblem]) -> Any:
    """The parsed JSON, or None with the reason noted; duplicate keys are noted too."""
    content = read_text(path, problems)
    if content is None:
        return None
    duplicates: list[tuple[str, str]] = []  # (key, id of the object holding it)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj:
                duplicates.append((key, str(dict(items).get("id", ""))))
            obj[key] = value
        return obj

    try:
        data = json.loads(content, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        where = f"ligne {exc.lineno}, colonne {exc.colno}"
        problems.append(ConfigProblem(path.name, where, "", f"JSON invalide : {exc.msg}"))
        return None
    for key, owner in dict.fromkeys(duplicates):
        where = f"objet « {owner} »" if owner else ""
        message = "clé en double dans un même objet (la dernière valeur l'emporte)"
        problems.append(ConfigProblem(path.name, where, key, message))
    return data
