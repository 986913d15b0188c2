"""Stream credentials: a private file (0600), refused when others can read it, never
in a log line, in the GeoJSON or in an export."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from csu_console.config import default_config_dir, load_site
from csu_console.config.secrets import (
    Credentials,
    SecretsError,
    SecretStore,
    camera_with_credentials,
    cameras_with_credentials,
    default_secrets_path,
    extract_credentials,
    split_credentials,
    usable_keyring,
    with_credentials,
)

PASSWORD = "p@ss:w/rd%é"


@pytest.fixture
def store(tmp_path: Path) -> SecretStore:
    return SecretStore(tmp_path / "data" / "secrets" / "stream-credentials.json")


def test_file_created_0600_in_a_0700_folder(store: SecretStore) -> None:
    store.set("cam-01", Credentials("admin", PASSWORD))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    assert store.get("cam-01") == Credentials("admin", PASSWORD)
    assert store.get("cam-02") is None


def test_set_remove_ids(store: SecretStore) -> None:
    assert store.ids() == []
    store.set("cam-02", Credentials("u2", "p2"))
    store.set("cam-01", Credentials("u1", "p1"))
    store.set("cam-01", Credentials("u1", "p1bis"))
    assert store.ids() == ["cam-01", "cam-02"]
    assert store.get("cam-01") == Credentials("u1", "p1bis")
    store.remove("cam-02")
    store.remove("cam-absente")
    assert store.ids() == ["cam-01"]
    assert SecretStore(store.path).get("cam-01") == Credentials("u1", "p1bis")  # on disk
    assert not [p for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.expected_logs("csu.config.secrets")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_file_readable_by_others_is_refused(
    store: SecretStore, mode: int, caplog: pytest.LogCaptureFixture
) -> None:
    store.set("cam-01", Credentials("admin", PASSWORD))
    os.chmod(store.path, mode)
    with pytest.raises(SecretsError) as info:
        store.get("cam-01")
    assert f"droits {mode:04o}" in str(info.value)
    assert f"chmod 600 {store.path}" in str(info.value)
    assert PASSWORD not in str(info.value)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert f"{mode:04o}" in errors[0].getMessage() and str(store.path) in errors[0].getMessage()
    with pytest.raises(SecretsError):
        store.set("cam-02", Credentials("x", "y"))  # nor written over


@pytest.mark.expected_logs("csu.config.secrets")
@pytest.mark.parametrize(
    "content", [b"{not json " + PASSWORD.encode(), b'{"cameras": []}', b'{"cameras": {"c": 1}}']
)
def test_corrupt_file_is_refused_without_quoting_it(
    store: SecretStore, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    os.chmod(store.path, 0o600)
    with pytest.raises(SecretsError, match="corrompu"):
        store.ids()
    assert PASSWORD not in caplog.text


def test_secrets_never_logged(store: SecretStore, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store.set("cam-01", Credentials("admin", PASSWORD))
    store.get("cam-01")
    store.remove("cam-01")
    assert "cam-01" in caplog.text
    assert PASSWORD not in caplog.text and "admin" not in caplog.text
    assert PASSWORD not in repr(Credentials("admin", PASSWORD))


def test_default_location_follows_the_data_dir(tmp_path: Path) -> None:
    assert default_secrets_path(tmp_path) == tmp_path / "secrets" / "stream-credentials.json"


def test_keyring_absent_here_means_the_file() -> None:
    # The default install has no ``keyring`` package: the 0600 file is used.
    assert usable_keyring() is None


class MemoryKeyring:
    """Stands in for the system keyring, which cannot run here (no D-Bus session)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service_name: str, username: str) -> str | None:
        return self.items.get((service_name, username))

    def set_password(self, service_name: str, username: str, password: str) -> None:
        self.items[(service_name, username)] = password

    def delete_password(self, service_name: str, username: str) -> None:
        del self.items[(service_name, username)]


def test_with_a_keyring_the_file_holds_only_ids(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    store = SecretStore(tmp_path / "s.json", keyring)
    store.set("cam-01", Credentials("admin", PASSWORD))
    assert PASSWORD not in store.path.read_text(encoding="utf-8")
    assert store.ids() == ["cam-01"]
    assert store.get("cam-01") == Credentials("admin", PASSWORD)
    store.remove("cam-01")
    assert keyring.items == {} and store.ids() == []


# --- URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "clean", "creds"),
    [
        ("rtsp://admin:secret@10.0.0.5:554/live", "rtsp://10.0.0.5:554/live", ("admin", "secret")),
        ("rtsp://admin:p%40ss%2Fw@cam/x?ch=1", "rtsp://cam/x?ch=1", ("admin", "p@ss/w")),
        ("rtsp://admin:pa/ss@cam/x", "rtsp://cam/x", ("admin", "pa/ss")),  # unencoded "/"
        ("http://viewer@cam/mjpg", "http://cam/mjpg", ("viewer", "")),
        ("rtsp://cam/live", "rtsp://cam/live", None),
        ("udp://@239.0.0.1:1234", "udp://@239.0.0.1:1234", None),
        ("/srv/videos/cam.mp4", "/srv/videos/cam.mp4", None),
    ],
)
def test_split_credentials(url: str, clean: str, creds: tuple[str, str] | None) -> None:
    got_url, got = split_credentials(url)
    assert got_url == clean
    assert got == (None if creds is None else Credentials(*creds))


def test_with_credentials_percent_encodes_and_round_trips() -> None:
    creds = Credentials("opé rateur", PASSWORD)
    url = with_credentials("rtsp://10.0.0.5:554/live?ch=1", creds)
    assert url == "rtsp://op%C3%A9%20rateur:p%40ss%3Aw%2Frd%25%C3%A9@10.0.0.5:554/live?ch=1"
    assert split_credentials(url) == ("rtsp://10.0.0.5:554/live?ch=1", creds)
    assert with_credentials("rtsp://old:x@cam/", Credentials("u", "p")) == "rtsp://u:p@cam/"
    assert with_credentials("rtsp://cam/", None) == "rtsp://cam/"
    assert with_credentials("udp://@239.0.0.1:1234", creds) == "udp://@239.0.0.1:1234"


def test_extract_and_apply_on_cameras() -> None:
    site = load_site(default_config_dir())
    cam = camera_with_credentials(site.cameras[0], Credentials("admin", "pw"))
    assert cam.stream_main == "rtsp://admin:pw@127.0.0.1:8554/cam01"
    assert cam.stream_sub == "rtsp://admin:pw@127.0.0.1:8554/cam01_sub"
    clean, found = extract_credentials([cam, site.cameras[1]])
    assert clean == [site.cameras[0], site.cameras[1]]
    assert found == {"cam-01": Credentials("admin", "pw")}


@pytest.mark.expected_logs("csu.config.secrets")
def test_the_console_opens_streams_with_the_stored_credentials_or_says_why_not(
    store: SecretStore,
) -> None:
    site = load_site(default_config_dir())
    first, second = site.cameras[0], site.cameras[1]
    store.set(first.id, Credentials("admin", PASSWORD))
    cameras, problems = cameras_with_credentials(site.cameras, store)
    assert problems == []
    assert cameras[0].stream_main == with_credentials(
        first.stream_main, Credentials("admin", PASSWORD)
    )
    assert split_credentials(cameras[0].stream_main)[1] == Credentials("admin", PASSWORD)
    assert cameras[1] == second  # no credentials stored: untouched
    os.chmod(store.path, 0o644)  # readable by others: refused, the cameras stay as they are
    cameras, problems = cameras_with_credentials(site.cameras, store)
    assert cameras == site.cameras and len(problems) == 1 and "chmod 600" in problems[0]
    assert PASSWORD not in problems[0]
