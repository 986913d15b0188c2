"""Stream credentials, kept apart from the GeoJSON files (never exported, never logged).

Where they live:

* by default, a JSON file ``<data-dir>/secrets/stream-credentials.json`` created with
  mode 0600 in a 0700 folder, written atomically; a file that the group or others
  may read, or that another user owns, is refused (:class:`SecretsError`) and the
  reason logged without any secret;
* the system keyring, only when the ``keyring`` package is importable *and* its
  backend is a real one (:func:`default_secret_store`); the file then keeps only the
  list of camera ids (the keyring cannot list its entries), never a password.

The console puts the credentials into a camera's URLs (its streams and its NVR
replay URL, ``replay_url``) only when it opens the stream
(:func:`with_credentials`, :func:`camera_with_credentials`); every log line goes
through :mod:`csu_console.media.video.redact`. :func:`split_credentials` takes them
out of a URL typed or imported with them.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote

from csu_console.config.atomic import write_atomic
from csu_console.config.schema import Camera
from csu_console.errors import UserFacingError

log = logging.getLogger("csu.config.secrets")

SECRETS_DIR = "secrets"
SECRETS_FILE = "stream-credentials.json"
KEYRING_SERVICE = "csu-console/stream-credentials"
#: Schemes whose URLs carry ``user:password@`` (udp, rtp and files do not).
AUTH_SCHEMES = frozenset({"rtsp", "rtsps", "http", "https", "rtmp", "rtmps"})
_FORMAT = 1


class SecretsError(UserFacingError):
    """The credentials store cannot be used as is (text in French, no secret in it)."""


@dataclass(frozen=True)
class Credentials:
    """A stream's user and password; the password never shows in ``repr``."""

    user: str
    password: str = field(repr=False)


class KeyringBackend(Protocol):
    """The three calls of the ``keyring`` package that the store uses."""

    def get_password(self, service_name: str, username: str) -> str | None: ...
    def set_password(self, service_name: str, username: str, password: str) -> None: ...
    def delete_password(self, service_name: str, username: str) -> None: ...


# -- URLs ----------------------------------------------------------------------------


def _parts(url: str) -> tuple[str, str, str, str] | None:
    """(scheme, userinfo, host and the rest, scheme-less rest) or None for a non-URL.

    The user part runs to the last "@" before the query, as in
    :func:`~csu_console.media.video.redact.redact_url`: a password typed with an
    unencoded "/" must not end up in the host.
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep or not scheme or not scheme.replace("+", "").replace(".", "").isalnum():
        return None
    stops = [i for i in (rest.find("?"), rest.find("#")) if i != -1]
    at = rest.rfind("@", 0, min(stops, default=len(rest)))
    if at == -1:
        return scheme, "", rest, rest
    return scheme, rest[:at], rest[at + 1 :], rest


def split_credentials(url: str) -> tuple[str, Credentials | None]:
    """``url`` without ``user:password@``, and those credentials (None if it had none).

    ``rtsp://admin:p%40ss@10.0.0.5/live`` gives ``rtsp://10.0.0.5/live`` and
    ``Credentials("admin", "p@ss")`` (percent-decoded). ``udp://@239.0.0.1:1234``
    (libVLC's "listen") and file paths are returned unchanged.
    """
    parts = _parts(url)
    if parts is None or not parts[1]:
        return url, None
    scheme, userinfo, host_rest, _ = parts
    user, _, password = userinfo.partition(":")
    return f"{scheme}://{host_rest}", Credentials(unquote(user), unquote(password))


def with_credentials(url: str, creds: Credentials | None) -> str:
    """``url`` with ``user:password@`` (percent-encoded) for an rtsp/http URL.

    Credentials already in ``url`` are replaced; ``creds`` None gives ``url`` as is.
    Other schemes (udp, rtp, file) and non-URLs are returned unchanged.
    """
    parts = _parts(url)
    if creds is None or parts is None or parts[0].lower() not in AUTH_SCHEMES:
        return url
    userinfo = quote(creds.user, safe="")
    if creds.password:
        userinfo += ":" + quote(creds.password, safe="")
    return f"{parts[0]}://{userinfo}@{parts[2]}"


def camera_with_credentials(camera: Camera, creds: Credentials | None) -> Camera:
    """The camera with ``creds`` in its stream URLs and its NVR replay URL (to open
    them, never to save)."""
    if creds is None:
        return camera
    sub = None if camera.stream_sub is None else with_credentials(camera.stream_sub, creds)
    replay = None if camera.replay_url is None else with_credentials(camera.replay_url, creds)
    return replace(
        camera,
        stream_main=with_credentials(camera.stream_main, creds),
        stream_sub=sub,
        replay_url=replay,
    )


def extract_credentials(
    cameras: Iterable[Camera],
) -> tuple[list[Camera], dict[str, Credentials]]:
    """Cameras with credential-free URLs, and the credentials found, by camera id.

    The main stream's credentials win over the sub stream's, and those over the NVR
    replay URL's, when several have some (one user and password per camera: the
    NVR's replay takes the camera's).
    """
    clean: list[Camera] = []
    found: dict[str, Credentials] = {}
    for camera in cameras:
        main, main_creds = split_credentials(camera.stream_main)
        sub, sub_creds = (None, None)
        if camera.stream_sub is not None:
            sub, sub_creds = split_credentials(camera.stream_sub)
        replay, replay_creds = (None, None)
        if camera.replay_url is not None:
            replay, replay_creds = split_credentials(camera.replay_url)
        creds = main_creds or sub_creds or replay_creds
        if creds is not None:
            found[camera.id] = creds
        clean.append(replace(camera, stream_main=main, stream_sub=sub, replay_url=replay))
    return clean, found


# -- the store -----------------------------------------------------------------------


def default_secrets_path(data_dir: Path | None = None) -> Path:
    """``<data-dir>/secrets/stream-credentials.json`` (the user's data dir by default)."""
    from csu_console.paths import default_data_dir

    return Path(data_dir or default_data_dir()) / SECRETS_DIR / SECRETS_FILE


class SecretStore:
    """Stream credentials by camera id, in a private JSON file (or the keyring).

    Every call reads or writes the file: the setup screen and the console may run
    in different processes. With ``keyring`` the passwords go to the system keyring
    and the file keeps only the ids.
    """

    def __init__(self, path: Path, keyring: KeyringBackend | None = None) -> None:
        self.path = Path(path)
        self._keyring = keyring

    @property
    def uses_keyring(self) -> bool:
        """True when the passwords are in the system keyring."""
        return self._keyring is not None

    def get(self, camera_id: str) -> Credentials | None:
        """The camera's credentials, or None when it has none."""
        entry = self._read().get(camera_id)
        if entry is None:
            return None
        if self._keyring is not None:
            stored = self._keyring.get_password(KEYRING_SERVICE, camera_id)
            if stored is None:
                log.warning("identifiants de %s absents du trousseau système", camera_id)
                return None
            try:
                decoded = json.loads(stored)
            except json.JSONDecodeError:
                decoded = None  # reported by _entry, without the stored text
            entry = _entry(decoded, camera_id, self.path)
        return Credentials(entry["user"], entry["password"])

    def set(self, camera_id: str, creds: Credentials) -> None:
        """Store (or replace) the camera's credentials."""
        entries = self._read()
        value: dict[str, Any] = {"user": creds.user, "password": creds.password}
        if self._keyring is not None:
            self._keyring.set_password(KEYRING_SERVICE, camera_id, json.dumps(value))
            value = {"keyring": True}
        entries[camera_id] = value
        self._write(entries)
        log.info("identifiants de la caméra %s enregistrés", camera_id)

    def remove(self, camera_id: str) -> None:
        """Forget the camera's credentials (nothing happens when it has none)."""
        entries = self._read()
        if entries.pop(camera_id, None) is None:
            return
        if self._keyring is not None:
            self._keyring.delete_password(KEYRING_SERVICE, camera_id)
        self._write(entries)
        log.info("identifiants de la caméra %s supprimés", camera_id)

    def ids(self) -> list[str]:
        """Camera ids that have credentials, sorted."""
        return sorted(self._read())

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.error("lecture de %s impossible : %s", self.path, exc.strerror)
            raise SecretsError(
                f"Fichier des identifiants des caméras illisible : {self.path} "
                f"({exc.strerror or exc})."
            ) from exc
        with os.fdopen(fd, "rb") as fh:
            _check_private(os.fstat(fh.fileno()), self.path)
            raw = fh.read()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.error("%s n'est pas un JSON valide (%s)", self.path, type(exc).__name__)
            raise SecretsError(
                f"Fichier des identifiants des caméras corrompu : {self.path}."
            ) from None  # the decoder's message may quote a password
        cameras = data.get("cameras") if isinstance(data, dict) else None
        if not isinstance(cameras, dict):
            log.error("%s : objet « cameras » absent", self.path)
            raise SecretsError(f"Fichier des identifiants des caméras corrompu : {self.path}.")
        return {str(k): self._valid(k, v) for k, v in cameras.items()}

    def _valid(self, camera_id: str, value: Any) -> dict[str, Any]:
        if self._keyring is not None and isinstance(value, dict) and value.get("keyring"):
            return {"keyring": True}
        return _entry(value, camera_id, self.path)

    def _write(self, entries: dict[str, dict[str, Any]]) -> None:
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps({"format": _FORMAT, "cameras": entries}, ensure_ascii=False, indent=2)
        write_atomic(self.path, (text + "\n").encode("utf-8"), mode=0o600)


def _entry(value: Any, camera_id: str, path: Path) -> dict[str, Any]:
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("user"), str)
        or not isinstance(value.get("password"), str)
    ):
        log.error("%s : entrée de la caméra %s mal formée", path, camera_id)
        raise SecretsError(
            f"Fichier des identifiants des caméras corrompu : {path} (caméra {camera_id})."
        )
    return {"user": value["user"], "password": value["password"]}


def _check_private(st: os.stat_result, path: Path) -> None:
    mode = stat.S_IMODE(st.st_mode)
    if not stat.S_ISREG(st.st_mode):
        log.error("%s n'est pas un fichier ordinaire", path)
        raise SecretsError(f"{path} n'est pas un fichier ordinaire.")
    if mode & 0o077:
        log.error(
            "%s refusé : droits %04o, lisible par le groupe ou les autres (0600 attendu)",
            path,
            mode,
        )
        raise SecretsError(
            f"Le fichier des identifiants des caméras {path} est accessible à d'autres "
            f"utilisateurs (droits {mode:04o}). Lancez « chmod 600 {path} » puis réessayez."
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        log.error("%s refusé : propriétaire uid %d, la console tourne en uid %d",
                  path, st.st_uid, os.getuid())  # fmt: skip
        raise SecretsError(
            f"Le fichier des identifiants des caméras {path} appartient à un autre utilisateur."
        )


def usable_keyring() -> KeyringBackend | None:
    """The ``keyring`` backend when the package is installed and has a real backend.

    The "fail" and "null" backends (no keyring daemon: a server, a container) and
    the plaintext ones do not count: the 0600 file is then the safer place.
    """
    try:  # optional dependency, absent from the default install
        keyring: Any = importlib.import_module("keyring")
    except ImportError:
        return None
    try:
        backend: Any = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception as exc:  # noqa: BLE001 - any backend failure means "no keyring"
        log.info("trousseau système inutilisable : %s", type(exc).__name__)
        return None
    module = type(backend).__module__
    if priority <= 0 or module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return None
    if "plaintext" in module.lower() or "insecure" in module.lower():
        return None
    backend_api: KeyringBackend = keyring
    return backend_api


def default_secret_store(data_dir: Path | None = None) -> SecretStore:
    """The store of this machine: the system keyring when usable, else the 0600 file."""
    backend = usable_keyring()
    store = SecretStore(default_secrets_path(data_dir), backend)
    log.info(
        "identifiants des caméras : %s",
        "trousseau système" if backend is not None else f"fichier {store.path}",
    )
    return store


def cameras_with_credentials(
    cameras: Iterable[Camera], store: SecretStore
) -> tuple[tuple[Camera, ...], list[str]]:
    """The cameras with their stored credentials in their URLs (to open the streams),
    and the problems met reading the store (the cameras are then left as they are)."""
    cameras = tuple(cameras)
    try:
        return tuple(camera_with_credentials(c, store.get(c.id)) for c in cameras), []
    except SecretsError as e:
        log.error("identifiants des caméras illisibles : %s", e)
        return cameras, [str(e)]
