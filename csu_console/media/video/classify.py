"""Why a camera does not play, in words an operator can act on.

The decoders do not say why an open failed (OpenCV returns ``False``, libVLC
"unable to open the MRL"), so this module asks the network itself, cheaply and
within a deadline: resolve the host (→ *hôte inconnu*), connect (→ *refusé*,
*délai dépassé*), then for ``rtsp://`` and ``http://`` send one ``DESCRIBE``/``GET``
and read the status line (401 → *non autorisé*, 404 or no video track → *pas de
vidéo*, silence → *délai dépassé*). Every function returns within ``timeout_s``
(plus scheduling noise), whatever the other end does.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from csu_console.media.video.source import StreamError
from csu_console.media.video.wire import Answer, Exchange, WireError

DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}
_UNREACHABLE = {"EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN"}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A classified failure; ``detail`` is precise and free of credentials."""

    error: StreamError
    detail: str


@dataclass(frozen=True, slots=True)
class Target:
    """What the network checks need from a camera URL."""

    scheme: str
    host: str
    port: int
    request_uri: str  # the URL without credentials
    user: str | None
    password: str | None

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def network_target(url: str) -> Target | None:
    """The host to check for ``url``; None for what has no server to ask (UDP/RTP
    listeners, files)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return None
    host = parts.hostname or ""
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        port = DEFAULT_PORTS[scheme]
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port:
        netloc += f":{parts.port}"
    uri = f"{scheme}://{netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password) if parts.password is not None else None
    return Target(scheme, host, port, uri, user, password)


def _resolve(target: Target, timeout_s: float) -> list[tuple[int, tuple[str, int]]] | Diagnosis:
    """getaddrinfo() has no timeout: run it on a daemon thread and stop waiting."""
    if not target.host:
        return Diagnosis(StreamError.UNKNOWN_HOST, "adresse sans nom d'hôte")
    try:
        ip = ipaddress.ip_address(target.host)
    except ValueError:
        pass
    else:
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        return [(family, (target.host, target.port))]
    box: list[list[tuple[int, tuple[str, int]]] | Diagnosis] = []
    done = threading.Event()

    def run() -> None:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
            box.append([(int(fam), (str(sa[0]), int(sa[1]))) for fam, _, _, _, sa in infos])
        except (socket.gaierror, UnicodeError) as exc:
            box.append(Diagnosis(StreamError.UNKNOWN_HOST, f"{target.host} : {exc}"))
        finally:
            done.set()

    threading.Thread(target=run, name="csu-video-dns", daemon=True).start()
    if not done.wait(timeout_s) or not box:
        return Diagnosis(
            StreamError.TIMEOUT, f"résolution de {target.host} sans réponse en {timeout_s:.1f} s"
        )
    return box[0]


def connect(target: Target, timeout_s: float) -> socket.socket | Diagnosis:
    """A TCP connection to ``target`` within ``timeout_s``, or why not."""
    deadline = time.monotonic() + timeout_s
    addrs = _resolve(target, timeout_s)
    if isinstance(addrs, Diagnosis):
        return addrs
    last: Diagnosis = Diagnosis(StreamError.UNKNOWN_HOST, f"{target.host} : aucune adresse")
    for family, sockaddr in addrs:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(remaining)
        try:
            sock.connect(sockaddr)
        except ConnectionRefusedError:
            last = Diagnosis(StreamError.REFUSED, f"connexion refusée par {target.where}")
        except TimeoutError:
            last = Diagnosis(
                StreamError.TIMEOUT, f"{target.where} ne répond pas en {timeout_s:.1f} s"
            )
        except OSError as exc:
            name = errno_name(exc)
            error = StreamError.TIMEOUT if name in _UNREACHABLE else StreamError.OTHER
            last = Diagnosis(error, f"{target.where} injoignable ({exc.strerror or exc})")
        else:
            return sock
        sock.close()
    if last.error is StreamError.UNKNOWN_HOST and addrs:
        last = Diagnosis(StreamError.TIMEOUT, f"{target.where} ne répond pas en {timeout_s:.1f} s")
    return last


def errno_name(exc: OSError) -> str:
    return errno.errorcode.get(exc.errno or 0, "")


def check_reachable(url: str, timeout_s: float) -> Diagnosis | None:
    """Only resolve and connect: cheap enough before every open."""
    target = network_target(url)
    if target is None:
        return _check_local(url)
    result = connect(target, timeout_s)
    if isinstance(result, Diagnosis):
        return result
    result.close()
    return None


def _check_local(url: str) -> Diagnosis | None:
    parts = urlsplit(url)
    if parts.scheme in ("", "file") and len(parts.scheme) != 1:  # not a "C:" drive
        path = Path(unquote(parts.path) if parts.scheme == "file" else url)
        if not path.exists():
            return Diagnosis(StreamError.NO_VIDEO, f"fichier introuvable : {path}")
    return None


def _judge(answer: Answer, target: Target, authenticated: bool) -> Diagnosis | None:
    code, reason = answer.status, answer.reason
    if code in (401, 403):
        why = "identifiants refusés" if authenticated else "identifiants requis"
        return Diagnosis(StreamError.UNAUTHORIZED, f"{why} ({code} {reason})")
    if code in (404, 410):
        return Diagnosis(StreamError.NO_VIDEO, f"flux introuvable ({code} {reason})")
    if code >= 400:
        return Diagnosis(StreamError.OTHER, f"réponse {code} {reason} de {target.where}")
    if target.scheme == "rtsp" and code == 200 and b"m=video" not in answer.body:
        return Diagnosis(StreamError.NO_VIDEO, "aucune piste vidéo dans la description (SDP)")
    return None


def diagnose(url: str, timeout_s: float) -> Diagnosis | None:
    """Ask the server why ``url`` would not play; None when it looks fine
    (the decoder is then to blame: see the caller's own detail)."""
    deadline = time.monotonic() + timeout_s
    target = network_target(url)
    if target is None:
        return _check_local(url)
    sock = connect(target, timeout_s)
    if isinstance(sock, Diagnosis):
        return sock
    if target.scheme not in ("rtsp", "http"):
        sock.close()  # TLS: the decoder's own handshake will tell
        return None
    try:
        exchange = Exchange(sock, target, deadline)
        answer = exchange.request(None)
        authenticated = False
        if answer.status == 401 and target.user is not None:
            header = exchange.answer_challenge(answer)
            if header is not None:
                authenticated = True
                answer = exchange.request(header)
        return _judge(answer, target, authenticated)
    except TimeoutError:
        return Diagnosis(
            StreamError.TIMEOUT, f"{target.where} accepte mais ne répond pas en {timeout_s:.1f} s"
        )
    except WireError as exc:
        return Diagnosis(StreamError.OTHER, f"{target.where} : {exc}")
    except OSError as exc:
        return Diagnosis(StreamError.OTHER, f"{target.where} : {exc.strerror or exc}")
    finally:
        sock.close()
