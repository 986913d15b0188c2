"""``csu-console extractions``: the register of video extractions on requisition,
listed in French or written to a CSV file (logged as an ``export`` event)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from csu_console.config import default_config_dir
from csu_console.errors import CsuError


def add_extractions_command(sub: Any) -> None:
    """The sub-command's parser (called by :func:`csu_console.cli.build_parser`)."""
    p = sub.add_parser("extractions", help="registre des extractions vidéo sur réquisition")
    p.add_argument("--data-dir", "--data", dest="data_dir", type=Path, default=None,
                   help="dossier des données (défaut : celui de l'utilisateur)")  # fmt: skip
    p.add_argument("--config", type=Path, default=None, help="dossier du site")
    p.add_argument("--csv", type=Path, metavar="FICHIER",
                   help="écrire le registre en CSV (journalisé dans la main courante)")  # fmt: skip
    p.add_argument("--since", help="depuis (date ISO 8601, heure du site si sans fuseau)")
    p.add_argument("--until", help="jusqu'à (date ISO 8601, exclue)")
    p.add_argument("--why", default="registre des extractions (CNIL)",
                   help="motif de l'export CSV (journalisé)")  # fmt: skip


def _bound(text: str | None, name: str, tz: ZoneInfo) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CsuError(f"--{name} : date ISO 8601 attendue, reçu {text!r}") from None
    return (at if at.tzinfo else at.replace(tzinfo=tz)).astimezone(UTC)


def _local(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")


def extractions_command(args: argparse.Namespace, db: Path, out: TextIO) -> int:
    """List the register (newest first) or write it to ``--csv``."""
    from csu_console.cli_access import who_runs
    from csu_console.config import site_timezone
    from csu_console.storage.admin import CLI_STATION
    from csu_console.storage.extractions import export_register, list_extractions
    from csu_console.storage.store import Store

    if not db.exists():
        raise CsuError(f"base introuvable : {db}")
    tz = ZoneInfo(site_timezone(args.config or default_config_dir()))
    start, end = _bound(args.since, "since", tz), _bound(args.until, "until", tz)
    if args.csv is not None:
        store = Store(db, tz=tz)
        try:
            result = export_register(
                store, args.csv, tz, station=CLI_STATION, operator=who_runs(),
                reason=args.why, start=start, end=end, via="cli",
            )  # fmt: skip
        finally:
            store.close()
        out.write(f"{result.rows} extraction(s) écrite(s) dans {result.path} "
                  f"(sha256 {result.sha256})\n")  # fmt: skip
        return 0
    store = Store(db, readonly=True, tz=tz)
    try:
        records = list_extractions(store, start, end)
    finally:
        store.close()
    for r in records:
        req = r.request
        q = req.requisition
        held = "conservée" if r.released_at is None else (
            f"levée le {r.released_at.astimezone(tz):%d/%m/%Y %H:%M}"
        )  # fmt: skip
        written = [f for f in r.files if f.written]
        missing = [f.camera_id for f in r.files if not f.written]
        out.write(
            f"n° {r.pk} le {r.at.astimezone(tz):%d/%m/%Y %H:%M} par {r.operator or '?'}"
            f" ({r.station or '?'}) – réquisition « {q.number} » du {q.issued_on:%d/%m/%Y},"
            f" {q.service}, OPJ {q.opj}\n"
            f"    caméras {', '.join(req.camera_ids)} du {_local(req.start, tz)}"
            f" au {_local(req.end, tz)} – {len(written)} fichier(s)"
            f" dans {r.folder} – {held}\n"
        )
        for f in written:
            out.write(f"    {f.path.name}  {f.size} octets  sha256 {f.sha256}\n")
        if missing:
            out.write(f"    sans enregistrement : {', '.join(missing)}\n")
    out.write(f"{len(records)} extraction(s)\n")
    return 0
