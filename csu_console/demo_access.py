"""Finding the demo again from the command line: its account's password, which
data folder the data sub-commands use, and wiping it (``demo --reset``).

- The demo logs its account in without a password; after a handover (Ctrl+L) the
  trainee logs back in with :data:`DEMO_PASSWORD`, which the demo prints at start
  (:func:`demo_hint`). It is the password of the demo's account only: an account
  made with ``csu-console users add`` keeps its own.
- The data sub-commands (``users``, ``export``, ``logbook verify``, ``purge``,
  ``config import|restore``) use ``--data-dir`` when given; otherwise, run from
  the checkout where the demo has data, the demo's ``var/demo``; otherwise the
  user's folder (``~/.local/share/csu-console``). Without ``--data-dir`` they
  say which they chose (:func:`command_data_dir`, :func:`data_dir_notice`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TextIO

from csu_console.paths import REPO_DIR, default_data_dir

#: The demo account's password (3 kinds of characters, without the login, as
#: ``check_new_password`` wants). Public by design: it only opens the demo.
DEMO_PASSWORD = "Releve-2026"

#: Where ``csu-console demo`` keeps its data unless told otherwise.
DEMO_DATA_DIR = REPO_DIR / "var" / "demo"

_DB_NAME = "csu.sqlite3"  # storage.store.DB_NAME (not imported: no storage at start-up)


def shown_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when inside it (what one would type), else absolute."""
    try:
        return str(path.resolve().relative_to(cwd.resolve())) or "."
    except ValueError:
        return str(path)


def command_data_dir(given: Path | None, cwd: Path) -> tuple[Path, str]:
    """The data folder of a data sub-command, and why that one (French)."""
    if given is not None:
        return given, "--data-dir"
    inside = cwd.resolve() == REPO_DIR or REPO_DIR in cwd.resolve().parents
    if inside and (DEMO_DATA_DIR / _DB_NAME).is_file():
        return DEMO_DATA_DIR, "données de la démo, commande lancée depuis le dépôt"
    return default_data_dir(), "dossier de l'utilisateur"


def data_dir_notice(path: Path, why: str, cwd: Path) -> str:
    """The line a data sub-command prints (on stderr) before it starts."""
    return (
        f"csu-console : dossier des données : {shown_path(path, cwd)} ({why} ; "
        "--data-dir pour un autre)"
    )


def demo_hint(login: str, data_dir: Path, cwd: Path) -> str:
    """What the demo prints at start: how to log back in after a handover, and the
    commands that reach its data."""
    d = shown_path(data_dir, cwd)
    return (
        f"Démo : le compte « {login} » est connecté d'office. Après une relève (Ctrl+L), "
        "se reconnecter avec :\n"
        f"    identifiant : {login}    mot de passe : {DEMO_PASSWORD}\n"
        f"  Données de la démo : {d}. Autres comptes (superviseur, installateur…) :\n"
        f"    csu-console users add chef --role superviseur --data-dir {d}\n"
        f"    csu-console users passwd {login} --data-dir {d}   (changer ce mot de passe)"
    )


#: Left in a demo's data folder: ``demo --reset`` only ever wipes such a folder.
DEMO_MARKER = "DEMO-CSU.txt"


def reset_demo_data(data_dir: Path, out: TextIO) -> int:
    """Wipe a demo's data folder (``demo --reset``): 0, or 2 when the folder is not
    a demo's (neither the checkout's ``var/demo`` nor marked by a demo run)."""
    target = data_dir.expanduser().resolve()
    if not target.exists():
        out.write(f"csu-console demo : rien à effacer ({target} n'existe pas)\n")
        return 0
    if target != DEMO_DATA_DIR.resolve() and not (target / DEMO_MARKER).is_file():
        out.write(
            f"csu-console demo : {target} n'est pas un dossier de démonstration "
            f"({DEMO_MARKER} absent) : rien n'est effacé\n"
        )
        return 2
    shutil.rmtree(target)
    out.write(
        f"csu-console demo : données de démonstration effacées ({target}) : "
        "la démo repart de zéro\n"
    )
    return 0


def mark_demo_data(data_dir: Path) -> None:
    """Mark ``data_dir`` as a demo's (see :func:`reset_demo_data`)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / DEMO_MARKER
    if not marker.exists():
        marker.write_text(
            "Données de « csu-console demo » : « csu-console demo --reset » efface ce dossier.\n",
            encoding="utf-8",
        )
