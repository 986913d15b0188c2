"""``csu-console signals``: a simulated history for the demo (``generate``) and a
weak-signal scan of the stored history printed in French (``scan``)."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from csu_console.config import default_config_dir
from csu_console.errors import CsuError


def add_signals_command(sub: Any) -> None:
    """The sub-command's parser (called by :func:`csu_console.cli.build_parser`)."""
    p = sub.add_parser("signals", help="signaux faibles : historique simulé, analyse")
    s_sub = p.add_subparsers(dest="signals_command", required=True)
    gen = s_sub.add_parser(
        "generate", help="écrire un historique simulé (démo, captures d'écran) dans la base"
    )
    gen.add_argument("--weeks", type=int, default=26, help="semaines d'historique (défaut : 26)")
    gen.add_argument("--per-day", type=float, default=12.0,
                     help="signalements par jour sur le site (défaut : 12)")  # fmt: skip
    gen.add_argument("--seed", type=int, default=19, help="graine (même graine, même historique)")
    gen.add_argument("--plant", action="store_true",
                     help="planter une récurrence, un regroupement et un terme récurrent"
                     " dans la dernière semaine")  # fmt: skip
    gen.add_argument("--now", help="fin de l'historique (ISO 8601 ; défaut : maintenant)")
    scan = s_sub.add_parser("scan", help="analyser l'historique et lister les signaux")
    scan.add_argument("--at", help="instant de l'analyse (ISO 8601 ; défaut : maintenant)")
    scan.add_argument("--json", action="store_true", help="une ligne JSON par signal")
    for q in (gen, scan):
        q.add_argument("--data-dir", "--data", dest="data_dir", type=Path, default=None,
                       help="dossier des données (défaut : celui de l'utilisateur)")  # fmt: skip
        q.add_argument("--config", type=Path, default=None, help="dossier du site")


def _instant(text: str | None, name: str) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CsuError(f"--{name} : date ISO 8601 attendue, reçu {text!r}") from None
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def signals_command(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    """``signals generate`` or ``signals scan``."""
    from csu_console.config import load_site

    site = load_site(args.config or default_config_dir())
    if args.signals_command == "generate":
        return _generate(args, site, db, out)
    return _scan(args, site, db, out)


def generate_history(
    site: Any,
    db: Path,
    *,
    weeks: int = 26,
    per_day: float = 12.0,
    seed: int = 19,
    plant: bool = False,
    now: datetime | None = None,
) -> tuple[int, Any]:
    """Write a generated history into the station database ``db``: (how many were new,
    the generation with its planted signals). Used by ``signals generate`` and by
    the demo's first start."""
    from csu_console.core.weak_signals.generator import NO_PLANTS, PlantSpec, generate
    from csu_console.storage.admin import CLI_STATION
    from csu_console.storage.signal_history import store_history
    from csu_console.storage.store import Store

    if weeks < 1 or weeks > 260:
        raise CsuError(f"--weeks : de 1 à 260 semaines, reçu {weeks}")
    if per_day <= 0:
        raise CsuError(f"--per-day : nombre positif attendu, reçu {per_day}")
    territory = site.territory
    if not territory.zones:
        raise CsuError("le site n'a aucune zone : rien où placer l'historique")
    made = generate(
        territory, now or datetime.now(UTC), weeks=weeks, per_day=per_day, seed=seed,
        plants=PlantSpec() if plant else NO_PLANTS, timezone=site.site.timezone,
    )  # fmt: skip
    store = Store(db)
    try:
        stored = store_history(store, made.history, CLI_STATION)
    finally:
        store.close()
    return stored, made


def _generate(args: argparse.Namespace, site: Any, db: Path, out: TextIO) -> int:
    stored, made = generate_history(
        site, db, weeks=args.weeks, per_day=args.per_day, seed=args.seed,
        plant=args.plant, now=_instant(args.now, "now"),
    )  # fmt: skip
    out.write(
        f"{stored} signalement(s) écrit(s) sur {args.weeks} semaines dans {db}"
        f" ({len(made.history) - stored} déjà présent(s)).\n"
    )
    for planted in made.planted:
        what = planted.term or planted.category or ", ".join(planted.communes)
        out.write(f"planté : {planted.kind.value} ({what}), {len(planted.keys)} signalements\n")
    return 0


def _scan(args: argparse.Namespace, site: Any, db: Path, out: TextIO) -> int:
    from csu_console.core.weak_signals.detector import DetectorParams, detect
    from csu_console.storage.signal_history import load_history
    from csu_console.storage.store import Store

    if not db.exists():
        raise CsuError(f"base introuvable : {db}")
    now = _instant(args.at, "at")
    params = DetectorParams()
    since = now - timedelta(days=params.window_days + 7 * params.baseline_weeks)
    store = Store(db, readonly=True)
    try:
        history = load_history(store, since, now)
    finally:
        store.close()
    signals = detect(history, site.territory, now, params)
    tz = ZoneInfo(site.site.timezone)
    if args.json:
        for s in signals:
            row = {
                "id": s.id, "kind": s.kind.value, "title": s.title, "test": s.test,
                "strength": round(s.strength, 3), "start": s.start.isoformat(),
                "end": s.end.isoformat(), "observed": s.observed,
                "expected": round(s.expected, 3), "p_value": s.p_value,
                "category": s.category, "zones": list(s.zone_ids),
                "communes": list(s.communes), "term": s.term, "alerts": len(s.alerts),
            }  # fmt: skip
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return 0
    out.write(
        f"{len(history)} signalement(s) lus, {len(signals)} signal(aux) faible(s)"
        f" au {now.astimezone(tz):%d/%m/%Y %H:%M}\n"
    )
    for s in signals:
        out.write(f"- {s.title}\n    {s.test} ; {len(s.alerts)} alerte(s)\n")
    return 0
