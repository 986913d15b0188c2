"""``csu-hub status``: what the CSU's hubs, links, stations and NATS look like now.

Read from NATS only (every hub writes its state there with a short TTL), so it
works from any machine that reaches the cluster, whichever hub is up.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import nats
import nats.errors
import nats.js.errors

from csu_console.hub.consumers import CONTACT_BUCKET, LIVE_BUCKET, consumer_name, read_all
from csu_console.hub.jetstream import ALERTS_STREAM, REJECTED_STREAM, STATUS_STREAM


async def collect(urls: list[str], stations: list[str]) -> dict[str, Any]:
    """Everything ``status`` prints, as one JSON-able object."""
    nc = await nats.connect(
        servers=urls, connect_timeout=3, max_reconnect_attempts=1, allow_reconnect=False
    )
    try:
        js = nc.jetstream()
        out: dict[str, Any] = {
            "nats": {
                "connected": nc.connected_url.netloc if nc.connected_url else None,
                "servers": sorted({u.netloc for u in nc.servers}),
                "jetstream": False,
            },
            "streams": {},
            "hubs": {},
            "stations": {},
        }
        try:
            info = await js.account_info()
            out["nats"]["jetstream"] = True
            out["nats"]["storage_bytes"] = info.storage
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError) as exc:
            out["nats"]["error"] = str(exc)
            return out
        for name in (ALERTS_STREAM, REJECTED_STREAM, STATUS_STREAM):
            try:
                si = await js.stream_info(name)
                out["streams"][name] = {
                    "messages": si.state.messages,
                    "bytes": si.state.bytes,
                    "last_seq": si.state.last_seq,
                    "replicas": si.config.num_replicas,
                }
            except nats.js.errors.NotFoundError:
                out["streams"][name] = None
        try:
            live = await read_all(js, LIVE_BUCKET)
            out["hubs"] = {v.get("hub", k): v for k, v in live.items() if k.startswith("hub.")}
        except nats.js.errors.BucketNotFoundError:
            pass
        contacts: dict[str, dict[str, Any]] = {}
        try:
            for value in (await read_all(js, CONTACT_BUCKET)).values():
                if isinstance(value.get("station"), str):
                    contacts[value["station"]] = value
        except nats.js.errors.BucketNotFoundError:
            pass
        for station in sorted(set(stations) | set(contacts)):
            row: dict[str, Any] = {"backlog": None, "contact": contacts.get(station)}
            try:
                ci = await js.consumer_info(ALERTS_STREAM, consumer_name(station))
                row["backlog"] = (ci.num_pending or 0) + (ci.num_ack_pending or 0)
                row["unacked"] = ci.num_ack_pending or 0
            except nats.js.errors.NotFoundError:
                row["backlog"] = None
            out["stations"][station] = row
        return out
    finally:
        await nc.close()


def render(status: dict[str, Any]) -> str:
    """The report as an installer reads it (French)."""
    lines: list[str] = []
    n = status["nats"]
    js = "JetStream disponible" if n.get("jetstream") else "JetStream INDISPONIBLE"
    lines.append(f"NATS : connecté à {n.get('connected')} ({', '.join(n['servers'])}) — {js}")
    for name, s in status["streams"].items():
        if s is None:
            lines.append(f"  flux {name} : absent")
        else:
            lines.append(
                f"  flux {name} : {s['messages']} messages, {_size(s['bytes'])}, "
                f"dernier seq {s['last_seq']}, {s['replicas']} réplique(s)"
            )
    if not status["hubs"]:
        lines.append("Hubs : aucun en service (aucun état publié depuis 30 s)")
    for hub, h in sorted(status["hubs"].items()):
        state = "OK" if h.get("state") == "ok" else "DÉGRADÉ"
        lines.append(
            f"Hub {hub} : {state}, postes connectés : {', '.join(h.get('stations', [])) or 'aucun'}"
        )
        for up, link in sorted((h.get("upstreams") or {}).items()):
            lines.append(
                f"  amont {up} ({link.get('url')}) : {link.get('phase')}"
                f"{' — ' + str(link['error']) if link.get('error') else ''} ; "
                f"stockées {link.get('stored')}, doublons {link.get('duplicate')}, "
                f"rejetées {link.get('rejected')}, statuts relayés {link.get('relayed')}"
            )
        lines.extend(_cap_lines(h.get("cap")))
    lines.append("Postes :")
    if not status["stations"]:
        lines.append("  aucun")
    for station, row in status["stations"].items():
        backlog = "pas encore de file" if row["backlog"] is None else f"{row['backlog']} en attente"
        contact = row.get("contact")
        if contact is None:
            seen = "jamais vu"
        elif contact.get("connected"):
            seen = f"connecté à {contact.get('hub')} (vu {_ago(contact.get('at'))})"
        else:
            seen = f"déconnecté, dernier contact {_ago(contact.get('at'))} via {contact.get('hub')}"
        lines.append(f"  {station} : {backlog} ; {seen}")
    return "\n".join(lines)


def _cap_lines(cap: Any) -> list[str]:
    """The hub's CAP intake: POST /cap per partner, each feed."""
    if not isinstance(cap, dict):
        return []
    lines: list[str] = []
    http = cap.get("http")
    if isinstance(http, dict):
        lines.append(
            f"  réception CAP {http.get('listen')}/cap : jetons refusés {http.get('unauthorized')}"
        )

    def counts(c: dict[str, Any]) -> str:
        text = (
            f"reçus {c.get('received')}, enregistrés {c.get('stored')}, "
            f"déjà reçus {c.get('duplicate')}, refusés {c.get('rejected')}"
        )
        if c.get("unavailable"):
            text += f", non stockés {c['unavailable']}"
        if c.get("last_rejection"):
            text += f" — dernier refus : {c['last_rejection']}"
        return text

    for name, c in sorted((cap.get("partners") or {}).items()):
        lines.append(f"  partenaire {name} : {counts(c)}")
    for name, f in sorted((cap.get("feeds") or {}).items()):
        state = (
            f"en échec ({f.get('last_error')})"
            if f.get("consecutive_errors")
            else f"lu {_ago(f.get('last_ok'))}"
            if f.get("last_ok")
            else "pas encore lu"
        )
        lines.append(
            f"  flux {name} ({f.get('url')}) : {state} ; lectures {f.get('polls')}, "
            f"inchangé {f.get('not_modified')}, erreurs {f.get('errors')} ; {counts(f)}"
        )
    return lines


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} o"
    value = float(n)
    for unit in ("Kio", "Mio", "Gio"):
        value /= 1024
        if value < 1024 or unit == "Gio":
            break
    return f"{value:.1f} {unit}"


def _ago(iso: object) -> str:
    if not isinstance(iso, str):
        return "?"
    try:
        then = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    seconds = max(0, int((datetime.now(UTC) - then).total_seconds()))
    if seconds < 120:
        return f"il y a {seconds} s"
    if seconds < 7200:
        return f"il y a {seconds // 60} min"
    return f"le {then.astimezone().strftime('%d/%m %H:%M')}"


def to_json(status: dict[str, Any]) -> str:
    return json.dumps(status, ensure_ascii=False, indent=2)
