"""``csu-console backup`` / ``restore`` on real SQLite files: the round trip, a backup
taken while the storage writer commits a storm of alerts, the secrets (out by
default, encrypted on demand), a corrupted backup, a data folder in use."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.backup.lock import DataDirLock
from csu_console.backup.make import make_backup, prune
from csu_console.backup.manifest import BackupCorrupt
from csu_console.backup.restore import restore_backup
from csu_console.cli import main
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.errors import UserFacingError
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.writer import StorageWriter

T0 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
PASSPHRASE = "cheval agrafe batterie"


def message(seq: int) -> AlertMessage:
    alert = Alert(
        source="plateforme",
        id=f"SIG-{seq}",
        sent=T0,
        category=Category.RIXE,
        priority=1 + seq % 4,
        location=Location(48.85, 2.35),
    )
    return AlertMessage(seq, alert)


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder (alerts, notes, a snapshot, credentials, a station key) and a
    configuration folder."""
    data = tmp_path / "data"
    store = Store(data / DB_NAME)
    try:
        store.commit_batch([message(n) for n in range(1, 21)], "poste-1", T0)
        for n in range(3):
            store.add_event("note", None, "poste-1", "durand", {"text": f"note {n}"})
    finally:
        store.close()
    (data / "evidence").mkdir()
    (data / "evidence" / "cam-3_20261205.png").write_bytes(b"\x89PNG" + bytes(range(256)) * 8)
    (data / "wall-state.json").write_text('{"tiles": 16}\n', encoding="utf-8")
    (data / "secrets").mkdir()
    creds = data / "secrets" / "stream-credentials.json"
    creds.write_text('{"cam-1": {"user": "admin", "password": "Cam-p4ss"}}\n', encoding="utf-8")
    creds.chmod(0o600)
    (data / "keys").mkdir()
    (data / "keys" / "station.key").write_bytes(b"k" * 32)
    (data / "logs").mkdir()
    (data / "logs" / "csu.log").write_text("journal\n", encoding="utf-8")
    config = tmp_path / "config"
    config.mkdir()
    (config / "site.toml").write_text('[site]\nname = "Ville"\n', encoding="utf-8")
    return data, config


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    sys_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys_stdin
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql).fetchall())
    finally:
        conn.close()


def only_backup(parent: Path) -> Path:
    [folder] = [p for p in parent.iterdir() if p.is_dir()]
    return folder


def test_round_trip_through_the_command_line(
    capsys: pytest.CaptureFixture[str], site: tuple[Path, Path], tmp_path: Path
) -> None:
    data, config = site
    alerts_before = rows(data / DB_NAME, "SELECT * FROM alerts ORDER BY pk")
    events_before = rows(data / DB_NAME, "SELECT * FROM events ORDER BY pk")
    code, out, err = run(
        capsys, "backup", "--to", str(tmp_path / "sauv"), "--data", str(data),
        "--config", str(config),
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    folder = only_backup(tmp_path / "sauv")
    assert folder.name.startswith("sauvegarde-")
    assert folder.stat().st_mode & 0o077 == 0  # personal data: private to its owner
    assert f"sauvegarde écrite : {folder}" in out
    assert "secrets : exclus" in out
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    assert listed == {
        "data/csu.sqlite3",
        "data/evidence/cam-3_20261205.png",
        "data/wall-state.json",
        "config/site.toml",
    }
    assert manifest["chain_ok"] is True and manifest["secrets"] == "exclus"
    # Nothing secret anywhere in the backup, not even in a file's bytes.
    for path in folder.rglob("*"):
        if path.is_file():
            assert b"Cam-p4ss" not in path.read_bytes(), path
    # The backup is in the source's logbook, with the manifest's digest.
    [(details,)] = rows(data / DB_NAME, "SELECT details FROM events WHERE kind = 'backup'")
    assert json.loads(str(details))["manifest_sha256"] in out

    target, target_config = tmp_path / "restored", tmp_path / "restored-config"
    code, out, err = run(
        capsys, "restore", "--from", str(folder), "--data", str(target),
        "--config", str(target_config),
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert "main courante intacte (23 événements)" in out
    db = target / DB_NAME
    assert rows(db, "SELECT * FROM alerts ORDER BY pk") == alerts_before
    restored_events = rows(db, "SELECT * FROM events ORDER BY pk")
    assert restored_events[: len(events_before)] == events_before
    assert rows(db, f"SELECT kind FROM events WHERE pk > {events_before[-1][0]}") == [("restore",)]
    assert (target / "evidence" / "cam-3_20261205.png").read_bytes() == (
        data / "evidence" / "cam-3_20261205.png"
    ).read_bytes()
    assert (target_config / "site.toml").read_text(encoding="utf-8") == '[site]\nname = "Ville"\n'
    assert not (target / "secrets").exists() and not (target / "keys").exists()
    code, out, err = run(capsys, "logbook", "verify", "--data", str(target))
    assert code == 0, out
    assert out.startswith(f"chaîne intacte : {len(events_before) + 1} événements")


def test_a_backup_during_a_storm_restores_into_a_verified_chain(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    """A thread commits alerts through the storage writer (as the console's link
    does) while backups are taken: each restores, and its chain verifies."""
    data, _ = site
    writer = StorageWriter(data / DB_NAME)
    writer.start()
    stop = threading.Event()
    committed: list[int] = []

    def storm() -> None:
        seq = 1000
        while not stop.is_set():
            batch = [message(seq + i) for i in range(5)]
            writer.submit(lambda s, b=batch: s.commit_batch(b, "poste-1")).result(timeout=30)
            seq += 5
            committed.append(seq)

    thread = threading.Thread(target=storm, name="storm")
    thread.start()
    try:
        results = []
        for n in range(3):
            now = T0 + timedelta(seconds=n)
            results.append(make_backup(data, tmp_path / "sauv", now=now, record=lambda d: None))
    finally:
        stop.set()
        thread.join(timeout=30)
        writer.close()
    assert committed, "the storm wrote nothing"
    counts = []
    for n, result in enumerate(results):
        target = tmp_path / f"restored-{n}"
        restored = restore_backup(result.path, target, who="test")
        assert restored.events == result.events
        report = Store(target / DB_NAME, readonly=True)
        try:
            chain = report.verify_chain()
            counts.append(report.count("alerts"))
        finally:
            report.close()
        assert chain.broken is None
        assert chain.count == result.events + 1  # + the restore
    assert counts == sorted(counts)
    assert counts[-1] > 20, "no backup caught the storm's alerts"


def test_encrypted_secrets_restore_with_the_passphrase_only(
    capsys: pytest.CaptureFixture[str], site: tuple[Path, Path], tmp_path: Path
) -> None:
    data, config = site
    code, out, err = run(
        capsys, "backup", "--to", str(tmp_path / "sauv"), "--data", str(data),
        "--config", str(config), "--with-secrets", "--passphrase-stdin",
        stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert "secrets : chiffrés dans secrets.enc" in out
    folder = only_backup(tmp_path / "sauv")
    assert b"Cam-p4ss" not in (folder / "secrets.enc").read_bytes()

    wrong = tmp_path / "wrong"
    code, out, err = run(
        capsys, "restore", "--from", str(folder), "--data", str(wrong), "--with-secrets",
        "--passphrase-stdin", stdin="pas la bonne phrase\n",
    )  # fmt: skip
    assert code == 2
    assert "phrase de passe incorrecte" in err
    assert not (wrong / DB_NAME).exists(), "a refused restore wrote the database"

    good = tmp_path / "good"
    code, out, err = run(
        capsys, "restore", "--from", str(folder), "--data", str(good), "--with-secrets",
        "--passphrase-stdin", stdin=PASSPHRASE + "\n",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert "secrets : restaurés" in out
    creds = good / "secrets" / "stream-credentials.json"
    assert creds.read_bytes() == (data / "secrets" / "stream-credentials.json").read_bytes()
    assert creds.stat().st_mode & 0o077 == 0
    assert (good / "keys" / "station.key").read_bytes() == b"k" * 32


def test_a_short_passphrase_is_refused(site: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = site
    with pytest.raises(UserFacingError, match="12 caractères au moins"):
        make_backup(data, tmp_path / "sauv", passphrase="court", record=lambda d: None)
    assert list((tmp_path / "sauv").iterdir()) == [], "a failed backup left a folder"


@pytest.mark.parametrize("damage", ["evidence", "database", "extra", "manifest", "missing"])
def test_a_corrupted_backup_is_refused_in_french(
    capsys: pytest.CaptureFixture[str], site: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    data, _ = site
    folder = make_backup(data, tmp_path / "sauv", record=lambda d: None).path
    if damage == "evidence":
        shot = folder / "data" / "evidence" / "cam-3_20261205.png"
        raw = bytearray(shot.read_bytes())
        raw[10] ^= 0xFF
        shot.write_bytes(bytes(raw))
        expected = "evidence/cam-3_20261205.png : empreinte SHA-256 différente du manifeste"
    elif damage == "database":
        with (folder / "data" / DB_NAME).open("ab") as fh:
            fh.write(b"\0" * 10)
        expected = "data/csu.sqlite3 : taille"
    elif damage == "extra":
        (folder / "data" / "intrus.sh").write_text("rm -rf /\n", encoding="utf-8")
        expected = "data/intrus.sh : fichier absent du manifeste"
    elif damage == "manifest":
        (folder / "manifest.json").write_text("{tronqué", encoding="utf-8")
        expected = "manifeste illisible"
    else:
        (folder / "data" / "wall-state.json").unlink()
        expected = "data/wall-state.json : absent"
    target = tmp_path / "restored"
    code, _, err = run(capsys, "restore", "--from", str(folder), "--data", str(target))
    assert code == 2
    assert expected in err
    assert not (target / DB_NAME).exists()
    code, _, err = run(capsys, "restore", "--check", "--from", str(folder), "--data", str(target))
    assert code == 2 and expected in err


def test_restore_refuses_a_folder_a_console_uses(site: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = site
    folder = make_backup(data, tmp_path / "sauv", record=lambda d: None).path
    target = tmp_path / "running"
    console = DataDirLock(target)
    assert console.acquire()
    try:
        with pytest.raises(UserFacingError, match=r"une console utilise .* arrêtez-la"):
            restore_backup(folder, target)
        assert not (target / DB_NAME).exists()
    finally:
        console.release()
    restore_backup(folder, target)  # stopped: it goes through
    assert (target / DB_NAME).exists()


def test_an_existing_database_is_replaced_only_when_asked_and_kept_aside(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    data, _ = site
    folder = make_backup(data, tmp_path / "sauv", record=lambda d: None).path
    target = tmp_path / "target"
    store = Store(target / DB_NAME)
    store.add_event("note", None, "poste-9", "martin", {"text": "à garder"})
    store.close()
    with pytest.raises(UserFacingError, match="contient déjà une base : ajoutez --remplacer"):
        restore_backup(folder, target)
    result = restore_backup(folder, target, replace=True, now=T0)
    assert result.moved_aside is not None
    kept = rows(result.moved_aside / DB_NAME, "SELECT details FROM events")
    assert any("à garder" in str(r[0]) for r in kept)
    assert rows(target / DB_NAME, "SELECT count(*) FROM alerts") == [(20,)]


def test_corrupt_manifest_entry_outside_the_backup_is_refused(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    data, _ = site
    folder = make_backup(data, tmp_path / "sauv", record=lambda d: None).path
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append({"path": "../../etc/passwd", "size": 1, "sha256": "0"})
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupCorrupt, match="chemin hors de la sauvegarde"):
        restore_backup(folder, tmp_path / "t")


def test_keep_prunes_the_oldest_backups(site: tuple[Path, Path], tmp_path: Path) -> None:
    data, _ = site
    made = [
        make_backup(data, tmp_path / "sauv", now=T0 + timedelta(days=d), record=lambda d: None)
        for d in range(4)
    ]
    removed = prune(tmp_path / "sauv", keep=2)
    assert removed == [made[0].path, made[1].path]
    assert sorted(p.name for p in (tmp_path / "sauv").iterdir()) == [
        made[2].path.name,
        made[3].path.name,
    ]
