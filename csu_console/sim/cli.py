"""``csu-sim``: run the simulated alert gateway (used by ``make demo`` and tests)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import random
import signal
import ssl
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csu_console.config import check_site, default_config_dir
from csu_console.core.geo import Area, random_point_in
from csu_console.logs import setup_logging
from csu_console.sim.gateway import Gateway
from csu_console.sim.generator import AlertGenerator, ZoneSpec
from csu_console.sim.outbox import Outbox

log = logging.getLogger("csu.sim")


def zone_specs(config_dir: Path) -> list[ZoneSpec]:
    """The site's zones as the generator needs them (invalid config: no zones)."""
    site, problems = check_site(config_dir)
    if site is None:
        for p in problems:
            log.error("configuration : %s", p)
        return []
    return [ZoneSpec(z.id, z.name, z.commune, _sampler(z.area)) for z in site.zones]


def _sampler(area: Area) -> Callable[[random.Random], tuple[float, float]]:
    def sample(rng: random.Random) -> tuple[float, float]:
        return random_point_in(area, rng)

    return sample


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="csu-sim", description="Passerelle d'alertes simulée")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 = un port libre")
    p.add_argument("--port-file", type=Path, help="écrit le port réellement ouvert")
    p.add_argument("--config", type=Path, default=None, help="site (zones) : défaut config/")
    p.add_argument("--rate", type=float, default=0.0, help="alertes par minute (Poisson)")
    p.add_argument("--burst", type=int, default=0, help="alertes envoyées d'un coup au départ")
    p.add_argument("--cap-ratio", type=float, default=0.1, help="part d'alertes CAP 1.2")
    p.add_argument(
        "--cap-lifecycle",
        action="store_true",
        help="les partenaires CAP mettent aussi à jour et annulent leurs alertes",
    )
    p.add_argument("--scenario", type=Path, help="fichier JSONL à rejouer")
    p.add_argument("--token", help="jeton attendu (Authorization: Bearer)")
    p.add_argument("--state", type=Path, help="fichier d'état (survit aux redémarrages)")
    p.add_argument("--tls-cert", type=Path, help="certificat PEM (active wss://)")
    p.add_argument("--tls-key", type=Path)
    p.add_argument("--seed", type=int)
    p.add_argument("--resend-after", type=float, default=5.0, help="secondes avant renvoi")
    return p.parse_args(argv)


async def replay(gateway: Gateway, path: Path) -> None:
    """Replay a JSONL scenario: ``{"delay_s": s, "alert"|"cap"|"raw": ...}`` per line."""
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            step: dict[str, Any] = json.loads(line)
        except ValueError as exc:
            log.error("%s:%d : ligne ignorée (%s)", path, lineno, exc)
            continue
        await asyncio.sleep(float(step.get("delay_s", 0)))
        seq = gateway.outbox.next_seq
        if "alert" in step:
            body = {"type": "alert", "seq": seq, "alert": step["alert"]}
            key = (str(step["alert"].get("source")), str(step["alert"].get("id")))
            gateway.offer([(json.dumps(body, ensure_ascii=False).encode(), True, key, "ack")])
        elif "cap" in step:
            body = {"type": "cap", "seq": seq, "xml": step["cap"]}
            gateway.offer([(json.dumps(body, ensure_ascii=False).encode(), True, None, "ack")])
        elif "raw" in step:
            gateway.inject([{"raw": step["raw"]}])
        elif "emit" in step:
            gateway.emit(int(step["emit"]))


async def run(args: argparse.Namespace) -> int:
    config_dir = args.config or default_config_dir()
    zones = zone_specs(config_dir)
    generator = AlertGenerator(zones, args.seed, args.cap_lifecycle) if zones else None
    outbox = Outbox(args.state)
    gateway = Gateway(
        outbox,
        generator,
        token=args.token,
        resend_after_s=args.resend_after,
        cap_ratio=args.cap_ratio,
    )
    ctx = None
    if args.tls_cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
    port = await gateway.start(args.host, args.port, ctx)
    scheme = "wss" if ctx else "ws"
    if args.port_file:
        args.port_file.write_text(str(port))
    print(
        f"csu-sim: en écoute sur {scheme}://{args.host}:{port}/ (contrôle : /control)", flush=True
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks: list[asyncio.Task[None]] = []
    if args.burst and generator:
        gateway.emit(args.burst)
    if args.scenario:
        tasks.append(asyncio.create_task(replay(gateway, args.scenario)))
    if args.rate > 0 and generator:
        rng = random.Random(args.seed)

        async def steady() -> None:
            while True:
                await asyncio.sleep(rng.expovariate(args.rate / 60.0))
                gateway.emit(1)

        tasks.append(asyncio.create_task(steady()))
    await stop.wait()
    for t in tasks:
        t.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await t
    await gateway.stop()
    outbox.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``csu-sim``."""
    args = parse_args(argv)
    setup_logging(None, logging.INFO)
    try:
        return asyncio.run(run(args))
    except OSError as exc:
        print(f"csu-sim: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
